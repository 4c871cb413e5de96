import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import type { AppendGroup, AppendOutcome, WriteRefusal } from '../docLog.ts';
import type { Sql } from './sql.ts';
import { byteaArray, integerArray, textArray } from './sqlLiterals.ts';

/**
 * Writes the groups of one group commit as one transaction, for any number of documents, in one round trip:
 * each group is checked on its own (erased, sealed, fenced) under its document's head lock, and a refused
 * group writes nothing while the others are written. Groups of one document are written in the order given,
 * with consecutive sequence numbers.
 *
 * The work is the function `polyphony_append_batch` (migration 18, where its invariants are stated: the head
 * locks in name order, a fresh snapshot for each check after them). It is called on its own, outside any
 * transaction, so the call is the transaction: every round trip wakes PostgreSQL's backend and this process
 * while editors wait for the commit, and at light load each costs about as much as the commit's own flush.
 */
export async function appendBatch(sql: Sql, groups: readonly AppendGroup[]): Promise<AppendOutcome[]> {
  const result = await sql.query<{ refused: string | null; written_seq: string }>(`SELECT refused, written_seq FROM polyphony_append_batch(${batchArguments(groups)})`);
  if (result.rows.length !== groups.length) throw new Error(`the group commit answered ${result.rows.length} outcomes for ${groups.length} groups`);
  return result.rows.map((row): AppendOutcome => (row.refused === null ? { ok: true, lastSeq: Number(row.written_seq) } : { ok: false, refused: refusalOf(row.refused) }));
}

/** The function's arguments, in its order: the groups, their updates, their client bindings (groups numbered from 1). */
function batchArguments(groups: readonly AppendGroup[]): string {
  const updates = groups.flatMap((group, index) => group.updates.map((data, offset) => ({ group: index + 1, offset, data })));
  const bindings = groups.flatMap((group, index) => (group.clients ?? []).map((binding) => ({ group: index + 1, ...binding })));
  return [
    textArray(groups.map((group) => group.docName)),
    integerArray(groups.map((group) => group.epoch ?? null)),
    textArray(groups.map((group) => meetingIdOfDocName(group.docName) ?? null)),
    integerArray(groups.map((group) => group.updates.length), 'int'),
    integerArray(updates.map((update) => update.group), 'int'),
    integerArray(updates.map((update) => update.offset), 'int'),
    byteaArray(updates.map((update) => update.data)),
    integerArray(bindings.map((binding) => binding.group), 'int'),
    integerArray(bindings.map((binding) => binding.clientId)),
    textArray(bindings.map((binding) => binding.participantId)),
    textArray(bindings.map((binding) => binding.at)),
  ].join(', ');
}

const REFUSALS: readonly WriteRefusal[] = ['erased', 'sealed', 'fenced'];

function refusalOf(text: string): WriteRefusal {
  const refusal = REFUSALS.find((known) => known === text);
  if (!refusal) throw new Error(`the group commit answered an unknown refusal: ${text}`);
  return refusal;
}
