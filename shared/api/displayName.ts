import { z } from 'zod';
import { DISPLAY_NAME_MAX } from './limits.ts';

/**
 * Words that say someone's role. The app shows each person's role itself, from what the server knows
 * (a badge beside the name), so a name may not end with one: "Pat practitioner" or "Sam, team" would read
 * as the team on a tile or in a list.
 */
export const ROLE_WORDS = [
  'practitioner',
  'peer worker',
  'peerworker',
  'team',
  'clinician',
  'interpreter',
  'staff',
  'nurse',
  'doctor',
  'therapist',
  'psychiatrist',
  'psychologist',
  'social worker',
  'admin',
  'administrator',
  'moderator',
  'host',
] as const;

/**
 * What a name may contain: letters with their accents (any script), digits, spaces, and the punctuation
 * of real names: apostrophes (O'Brien), hyphens (Anne-Marie), full stops and commas (J. R.), "&". Zero-width
 * (non-)joiners stay, as Persian and Indic names need them. Everything else is refused rather than cleaned,
 * because the app's own labels use dots, bars, colons, dashes and brackets: a name must not imitate them.
 */
const NAME_CHARACTER = /^[\p{L}\p{M}\p{N} '’ʼ\-‐.,&\u200c\u200d]$/u;
/**
 * Letters (in Unicode's sense) that look like the app's separators: clicks and tone letters like bars,
 * colons and dots (ǀ ǁ ː ꞉ ᐧ ꓸ ꓽ), the Hebrew paseq and sof pasuq, the Armenian full stop.
 */
const LOOK_ALIKES = /[\u01c0-\u01c3\u02d0\u02d1\u02f8\ua789\ua78a\u1427\ua4f8-\ua4ff\u05c0\u05c3\u0589\u1361]/u;
/** More combining marks in a row than any written language needs stack into tall glyphs over the tile. */
const MARK_PILE = /\p{M}{4,}/u;

/**
 * The name a person gives when joining, as everyone will see it on the video tiles and in the record.
 * Normalised first (NFKC, so full-width and other compatibility forms become the characters they look
 * like and are judged as those; every run of white space becomes one space; trimmed), then checked:
 * 1 to {@link DISPLAY_NAME_MAX} characters, only name characters, no role word at the end.
 * The answer is the normalised name.
 */
export const DisplayName = z
  .string()
  .transform((raw) => normaliseName(raw))
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** NFKC, every run of white space (tabs and line breaks too) one space, trimmed. Other controls stay, to be refused. */
export function normaliseName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Why a normalised name cannot be used, in words for the person typing it; undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'Please enter your name.';
  if (name.length > DISPLAY_NAME_MAX) return `Please keep your name to ${DISPLAY_NAME_MAX} characters.`;
  const odd = [...name].find((c) => !NAME_CHARACTER.test(c) || LOOK_ALIKES.test(c));
  if (odd !== undefined || MARK_PILE.test(name)) {
    return "Your name can have letters, numbers, spaces and . , ' - & only. Symbols such as · | : ( ) [ ] — are left out because the app uses them for its own labels.";
  }
  const word = endingRoleWord(name);
  if (word) return `Your name cannot end with "${word}": the app shows each person's role beside their name itself.`;
  return undefined;
}

/** The role word a name ends with, if any, compared without case or punctuation ("Pat-Practitioner."). */
function endingRoleWord(name: string): string | undefined {
  const words = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ROLE_WORDS.find((role) => words === role || words.endsWith(` ${role}`));
}
