import type * as Y from 'yjs';
import { z } from 'zod';
import { Author, LOCAL_ORIGIN } from './entries.ts';
import { getVoices } from './schema.ts';

/** How long one participant has spoken in this meeting, written only by that participant's own client. */
export const VoiceEntry = z.object({
  who: Author,
  /** Accumulated speaking time, in seconds (non-negative, at most one day). */
  seconds: z.number().min(0).max(86_400),
});
export type VoiceEntry = z.infer<typeof VoiceEntry>;

/** Writes the person's own total; skips the write when the stored total is already the same. */
export function writeVoiceSeconds(doc: Y.Doc, who: Author, seconds: number): void {
  const rounded = Math.round(Math.min(Math.max(seconds, 0), 86_400) * 10) / 10;
  const voices = getVoices(doc);
  const current = VoiceEntry.safeParse(voices.get(who.id));
  if (current.success && current.data.seconds === rounded && current.data.who.name === who.name) return;
  doc.transact(() => voices.set(who.id, { who, seconds: rounded } satisfies VoiceEntry), LOCAL_ORIGIN);
}

/** Every stored entry by participant id. */
export function readVoices(doc: Y.Doc): Map<string, VoiceEntry> {
  const entries = new Map<string, VoiceEntry>();
  for (const [id, value] of getVoices(doc).entries()) {
    const parsed = VoiceEntry.safeParse(value);
    if (parsed.success) entries.set(id, parsed.data);
  }
  return entries;
}

/** One row of the voices chart. */
export interface VoiceRow {
  name: string;
  role: Author['role'];
  seconds: number;
  present: boolean;
}

/**
 * Rows for the chart: everyone who has spoken plus everyone present (who may not have spoken yet, the
 * people the chart exists for). A person who rejoined gets a new participant id; rows with the same name
 * and role are added together. Sorted by name so that nobody is ranked.
 */
export function voiceRows(entries: Iterable<VoiceEntry>, present: Iterable<Author>): VoiceRow[] {
  const rows = new Map<string, VoiceRow>();
  const rowFor = (who: Author) => {
    const key = `${who.role}\u0000${who.name}`;
    let row = rows.get(key);
    if (!row) {
      row = { name: who.name, role: who.role, seconds: 0, present: false };
      rows.set(key, row);
    }
    return row;
  };
  for (const entry of entries) rowFor(entry.who).seconds += entry.seconds;
  for (const who of present) rowFor(who).present = true;
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name) || a.role.localeCompare(b.role));
}
