import { createSignal, Show, untrack, type JSX } from 'solid-js';
import type { MemberFields, NetworkMember } from '../../../shared/api/networks.ts';
import { checkRadio, formFieldText } from '../../lib/formFieldText.ts';

/** Interpreting, as the team chooses it: two different things, never both. */
type Interpreting = 'none' | 'needs' | 'is';

const interpretingOf = (member: NetworkMember | undefined): Interpreting => (member?.interpreter ? 'is' : member?.needsInterpreterIn ? 'needs' : 'none');

/**
 * The fields of a network member, to add one or to edit one: name, relationship, contact, and interpreting
 * ("needs an interpreter in …" or "is the interpreter for the meetings, in …"). `prefix` keeps ids unique
 * when several of these forms are on the page. `onSave` gets the request; it throws to keep the form open.
 */
export function MemberFieldsForm(props: {
  prefix: string;
  member?: NetworkMember;
  submitLabel: string;
  onSave: (fields: MemberFields) => Promise<void>;
  children?: JSX.Element;
}) {
  // The member's fields when the form opened; the form owns what is typed from then on.
  const [interpreting, setInterpreting] = createSignal<Interpreting>(untrack(() => interpretingOf(props.member)));
  const id = (name: string) => `${props.prefix}-${name}`;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    const language = formFieldText(form, 'language').trim();
    const contact = formFieldText(form, 'contact').trim();
    await props.onSave({
      name: formFieldText(form, 'name'),
      relationship: formFieldText(form, 'relationship'),
      ...(contact ? { contact } : {}),
      interpreter: interpreting() === 'is',
      ...(interpreting() === 'is' && language ? { interpreterLanguage: language } : {}),
      ...(interpreting() === 'needs' ? { needsInterpreterIn: language } : {}),
    });
    if (!props.member) {
      element.reset();
      setInterpreting('none');
      // reset() clears radios bound by property (no checked attribute to return to): tick the default again.
      checkRadio(element, id('interpreting'), 'none');
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e).catch(() => undefined)}>
      <label for={id('name')}>Name</label>
      <input id={id('name')} name="name" type="text" required maxLength={100} autocomplete="off" value={props.member?.name ?? ''} />
      <label for={id('relationship')}>Relationship to the person</label>
      <input
        id={id('relationship')}
        name="relationship"
        type="text"
        required
        maxLength={100}
        placeholder="mother, friend, social worker…"
        value={props.member?.relationship ?? ''}
      />
      <label for={id('contact')}>Phone or email (optional)</label>
      <input id={id('contact')} name="contact" type="text" maxLength={200} autocomplete="off" aria-describedby={id('contact-hint')} value={props.member?.contact ?? ''} />
      <p class="hint" id={id('contact-hint')}>
        Only the team sees it. It fills in the text message or email when you send their link.
      </p>
      <fieldset class="stack">
        <legend>Interpreting</legend>
        <InterpretingChoice id={id('interp-none')} value="none" current={interpreting()} onPick={setInterpreting} name={id('interpreting')}>
          No interpreter needed
        </InterpretingChoice>
        <InterpretingChoice id={id('interp-needs')} value="needs" current={interpreting()} onPick={setInterpreting} name={id('interpreting')}>
          Needs an interpreter
        </InterpretingChoice>
        <InterpretingChoice id={id('interp-is')} value="is" current={interpreting()} onPick={setInterpreting} name={id('interpreting')}>
          Is the interpreter for this network's meetings
        </InterpretingChoice>
        <Show when={interpreting() !== 'none'}>
          <label for={id('language')}>{interpreting() === 'is' ? 'Language they interpret' : 'Language they need an interpreter in'}</label>
          <input
            id={id('language')}
            name="language"
            type="text"
            maxLength={60}
            required={interpreting() === 'needs'}
            placeholder="Arabic, Polish, sign language…"
            value={props.member?.interpreterLanguage ?? props.member?.needsInterpreterIn ?? ''}
          />
        </Show>
      </fieldset>
      <div class="row wrap">
        <button type="submit" class="primary">
          {props.submitLabel}
        </button>
        {props.children}
      </div>
    </form>
  );
}

function InterpretingChoice(props: { id: string; name: string; value: Interpreting; current: Interpreting; onPick: (value: Interpreting) => void; children: JSX.Element }) {
  return (
    <label class="check" for={props.id}>
      <input id={props.id} type="radio" name={props.name} value={props.value} checked={props.current === props.value} onChange={() => props.onPick(props.value)} />
      {props.children}
    </label>
  );
}

/** How a member's interpreting reads in a list: "is the interpreter (Arabic)", "needs an interpreter in Arabic". */
export function interpretingText(member: NetworkMember): string | undefined {
  if (member.interpreter) return member.interpreterLanguage ? `is the interpreter for the meetings, in ${member.interpreterLanguage}` : 'is the interpreter for the meetings';
  return member.needsInterpreterIn ? `needs an interpreter in ${member.needsInterpreterIn}` : undefined;
}
