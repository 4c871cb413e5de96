import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import type { AppendGroup, AppendOutcome, WriteRefusal } from '../docLog.ts';
import type { Sql } from './sql.ts';

/**
 * Writes the groups of one group commit as one transaction, for any number of documents, in one round trip:
 * each group is checked on its own (erased, sealed, fenced) under its document's head lock, and a refused
 * group writes nothing while the others are written. Groups of one document are written in the order given,
 * with consecutive sequence numbers.
 *
 * The work is the function `polyphony_append_batch` (migration 18, where its invariants are stated: the head
 * locks in name order, a fresh snapshot for each check after them), or `polyphony_append_one` for a batch of
 * one document (migration 19). It is called on its own, outside any transaction, so the call is the
 * transaction: every round trip wakes PostgreSQL's backend and this process while editors wait for the
 * commit, and at light load each costs about as much as the commit's own flush.
 */
export async function appendBatch(sql: Sql, groups: readonly AppendGroup[]): Promise<AppendOutcome[]> {
  const [only] = groups;
  const statement = groups.length === 1 && only ? { ...APPEND_ONE, values: oneArguments(only) } : { ...APPEND_BATCH, values: batchArguments(groups) };
  const result = await sql.query<{ refused: string | null; written_seq: string }>(statement);
  if (result.rows.length !== groups.length) throw new Error(`the group commit answered ${result.rows.length} outcomes for ${groups.length} groups`);
  return result.rows.map((row): AppendOutcome => (row.refused === null ? { ok: true, lastSeq: Number(row.written_seq) } : { ok: false, refused: refusalOf(row.refused) }));
}

/**
 * Named, so that each connection parses and plans a call once and then only binds and runs it; the values
 * travel as parameters, never as SQL text. A batch of one document, what a quiet meeting commits, has a
 * leaner function of its own (migration 19), with the same checks and outcome.
 */
const APPEND_BATCH = {
  name: 'polyphony_append_batch',
  text:
    'SELECT refused, written_seq FROM polyphony_append_batch(' +
    '$1::text[], $2::bigint[], $3::text[], $4::int[], $5::int[], $6::int[], $7::bytea[], $8::int[], $9::bigint[], $10::text[], $11::text[])',
};
const APPEND_ONE = {
  name: 'polyphony_append_one',
  text: 'SELECT refused, written_seq FROM polyphony_append_one($1::text, $2::bigint, $3::text, $4::bytea[], $5::bigint[], $6::text[], $7::text[])',
};

/** polyphony_append_one's arguments, in its order. */
function oneArguments(group: AppendGroup): unknown[] {
  const bindings = group.clients ?? [];
  return [
    group.docName,
    safeIntegers([group.epoch ?? null])[0],
    meetingIdOfDocName(group.docName) ?? null,
    group.updates,
    safeIntegers(bindings.map((binding) => binding.clientId)),
    bindings.map((binding) => binding.participantId),
    bindings.map((binding) => binding.at),
  ];
}

/** The function's arguments, in its order: the groups, their updates, their client bindings (groups numbered from 1). */
function batchArguments(groups: readonly AppendGroup[]): unknown[] {
  const updates = groups.flatMap((group, index) => group.updates.map((data, offset) => ({ group: index + 1, offset, data })));
  const bindings = groups.flatMap((group, index) => (group.clients ?? []).map((binding) => ({ group: index + 1, ...binding })));
  return [
    groups.map((group) => group.docName),
    safeIntegers(groups.map((group) => group.epoch ?? null)),
    groups.map((group) => meetingIdOfDocName(group.docName) ?? null),
    groups.map((group) => group.updates.length),
    updates.map((update) => update.group),
    updates.map((update) => update.offset),
    updates.map((update) => update.data),
    bindings.map((binding) => binding.group),
    safeIntegers(bindings.map((binding) => binding.clientId)),
    bindings.map((binding) => binding.participantId),
    bindings.map((binding) => binding.at),
  ];
}

/** A number past 2^53 would reach PostgreSQL rounded (another client id, another epoch): refused instead. */
function safeIntegers(values: readonly (number | null)[]): readonly (number | null)[] {
  for (const value of values) if (value !== null && !Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return values;
}

const REFUSALS: readonly WriteRefusal[] = ['erased', 'sealed', 'fenced'];

function refusalOf(text: string): WriteRefusal {
  const refusal = REFUSALS.find((known) => known === text);
  if (!refusal) throw new Error(`the group commit answered an unknown refusal: ${text}`);
  return refusal;
}
