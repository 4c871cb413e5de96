import { Schema, type MarkSpec } from 'prosemirror-model';
import { schema as basicSchema } from 'prosemirror-schema-basic';
import { colorFor } from '../../../shared/doc/awareness.ts';
import { safeLinkHref } from '../../../shared/doc/noteLinks.ts';

/** What y-prosemirror puts on a passage when it shows who wrote it: `user` is the author's participant id. */
interface YChangeAttrs {
  user: string | null | undefined;
  type: 'added' | 'removed';
}

/**
 * The notes' schema: ProseMirror's basic one plus y-prosemirror's `ychange` mark, which it sets only while
 * the editor shows who wrote what. Each passage then carries its author's colour and name: as a small label
 * before it (so colour is never the only sign), and as its title on hover.
 */
export function notesSchema(nameOf: (participantId: string) => string | undefined): Schema {
  const ychange: MarkSpec = {
    attrs: { user: { default: null }, type: { default: null }, color: { default: null } },
    inclusive: false,
    parseDOM: [],
    toDOM(mark) {
      const attrs = mark.attrs as YChangeAttrs;
      if (attrs.type === 'removed') return ['span', { class: 'authored', 'data-change': 'removed' }, 0];
      const name = (attrs.user && nameOf(attrs.user)) || 'someone not known';
      const color = attrs.user ? colorFor(attrs.user) : '#5e5c64';
      return ['span', { class: 'authored', 'data-author': name, title: `Written by ${name}`, style: `--author-color: ${color}` }, 0];
    },
  };
  return new Schema({
    nodes: basicSchema.spec.nodes.remove('image'),
    marks: basicSchema.spec.marks.update('link', safeLink).addToEnd('ychange', ychange),
  });
}

/**
 * ProseMirror's link mark, made safe for hostile documents: `href` has a default, so a link without one is
 * still text rather than a reason for y-prosemirror to delete the passage; an unsafe href renders as plain
 * text, and a pasted unsafe link is pasted as text.
 */
const safeLink: MarkSpec = {
  attrs: { href: { default: null }, title: { default: null } },
  inclusive: false,
  parseDOM: [
    {
      tag: 'a[href]',
      getAttrs(dom: HTMLElement) {
        const href = safeLinkHref(dom.getAttribute('href'));
        return href ? { href, title: dom.getAttribute('title') } : false;
      },
    },
  ],
  toDOM(mark) {
    const href = safeLinkHref(mark.attrs['href']);
    if (!href) return ['span', { class: 'link-refused' }, 0];
    const title: unknown = mark.attrs['title'];
    return ['a', { href, rel: 'noopener noreferrer nofollow', target: '_blank', ...(typeof title === 'string' ? { title } : {}) }, 0];
  },
};
