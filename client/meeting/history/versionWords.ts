import type { NotesVersionSummary, VersionAuthor } from '../../../shared/api/notesHistory.ts';

/** "Sam", "Sam and Ana", "Sam, Ana and Jo"; `nobody` when the list is empty. */
export function namesOf(authors: readonly VersionAuthor[], nobody: string): string {
  const names = [...new Set(authors.map((a) => a.name))];
  if (names.length === 0) return nobody;
  if (names.length === 1) return names[0] ?? nobody;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** What a version is, in plain words, for the history list. */
export function describeVersion(v: NotesVersionSummary): string {
  const who = namesOf(v.authors, '');
  switch (v.kind) {
    case 'edit':
      return who ? `Written by ${who}` : 'Notes kept';
    case 'before_deletion':
      return who ? `Written by ${who}, kept just before a large part was removed` : 'Kept just before a large part was removed';
    case 'large_deletion':
      return `${who || 'Someone'} removed ${v.removedWords ?? 0} ${v.removedWords === 1 ? 'word' : 'words'}`;
    case 'restore':
      return `${who || 'Someone'} restored an earlier version`;
    case 'reflecting_started':
      return 'When reflecting started';
    case 'reflecting_ended':
      return 'When reflecting ended';
    case 'sealed':
      return who ? `When ${who} ended the meeting` : 'When the meeting ended';
  }
}

/** A version's time, with the day when it is not today. */
export function versionTime(iso: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}
