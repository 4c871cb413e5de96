import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addReflection, readReflections } from './reflections.ts';
import { DOC_MIGRATIONS, DOC_SCHEMA_VERSIONS, docKindOf, docSchemaVersion, migrateDoc, NewerDocumentError, SCHEMA_VERSION_FIELD, type DocKind, type DocMigration } from './docMigrations.ts';
import { getMeta, getNetworkMeta } from './schema.ts';

const ORIGIN = { kind: 'server-migration' };
const author = { id: 'user-a', name: 'Ana', role: 'practitioner' as const };

describe('document layout versions', () => {
  it('reads a document written before versions existed as version 1, and stamps the current one without changing its content', () => {
    const doc = new Y.Doc();
    addReflection(doc, author, 'The kitchen sounded calmer.', new Date('2026-01-05T10:00:00.000Z'));
    const before = readReflections(doc);
    expect(docSchemaVersion(doc, 'meeting')).toBe(1);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(migrateDoc(doc, 'meeting', ORIGIN)).toEqual({ from: 1, to: DOC_SCHEMA_VERSIONS.meeting });
    expect(getMeta(doc).get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
    expect(readReflections(doc)).toEqual(before);
    expect(origins).toEqual([ORIGIN]);
    // Once stamped, nothing more is written.
    migrateDoc(doc, 'meeting', ORIGIN);
    expect(origins).toEqual([ORIGIN]);
  });

  it('runs each missing step once, in order, in one transaction with the version', () => {
    const ran: number[] = [];
    const step = (from: number): DocMigration => ({ from, describe: `step ${from}`, migrate: (d) => void (ran.push(from), getNetworkMeta(d).set(`moved${from}`, true)) });
    const doc = new Y.Doc();
    getNetworkMeta(doc).set(SCHEMA_VERSION_FIELD, 2);
    let transactions = 0;
    doc.on('afterTransaction', () => void transactions++);
    expect(migrateDoc(doc, 'network', ORIGIN, [step(3), step(1), step(2)], 4)).toEqual({ from: 2, to: 4 });
    expect(ran).toEqual([2, 3]);
    expect(transactions).toBe(1);
    expect(docSchemaVersion(doc, 'network')).toBe(4);
    expect(() => migrateDoc(new Y.Doc(), 'network', ORIGIN, [step(2)], 3)).toThrow(/no network document migration from version 1/);
  });

  it('refuses a document from a newer release and leaves it as it is', () => {
    const doc = new Y.Doc();
    getMeta(doc).set(SCHEMA_VERSION_FIELD, DOC_SCHEMA_VERSIONS.meeting + 1);
    const before = Y.encodeStateVector(doc);
    expect(() => migrateDoc(doc, 'meeting', ORIGIN)).toThrow(NewerDocumentError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('reads a version a client garbled as the first one, so the document still loads', () => {
    const doc = new Y.Doc();
    getMeta(doc).set(SCHEMA_VERSION_FIELD, 'seven');
    expect(docSchemaVersion(doc, 'meeting')).toBe(1);
    migrateDoc(doc, 'meeting', ORIGIN);
    expect(getMeta(doc).get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
  });

  it.each(['meeting', 'network'] as DocKind[])('has one %s step for every version below the current one', (kind) => {
    expect(DOC_MIGRATIONS[kind].map((s) => s.from).sort((a, b) => a - b)).toEqual(Array.from({ length: DOC_SCHEMA_VERSIONS[kind] - 1 }, (_, i) => i + 1));
  });

  it('tells the kind from the document name', () => {
    expect(docKindOf(`meeting-${'a'.repeat(22)}`)).toBe('meeting');
    expect(docKindOf(`network-${'b'.repeat(22)}`)).toBe('network');
    expect(docKindOf('meeting-short')).toBeUndefined();
  });
});
