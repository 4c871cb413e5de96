import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { NewPassword } from '../../shared/api/auth.ts';
import { ApiError } from '../errors.ts';

/** Who the password is for: their name and email are the first things a guesser tries. */
export interface PasswordContext {
  email: string;
  name: string;
}

// zxcvbn score 3: at least 10^8 guesses, "safely unguessable" online and costly offline against Argon2id.
const MIN_SCORE = 3;
const SERVICE_WORDS = ['polyphony', 'open dialogue', 'opendialogue'];
const ADVICE = 'Please choose another: a few unrelated words make a long password that is easy to remember and hard to guess.';

let estimator: ZxcvbnFactory | undefined;
// Built on first use: loading the dictionaries takes a fifth of a second, not worth paying at start-up.
// Only the first 64 characters are scored and l33t variants are capped, so one check stays well under
// a tenth of a second even for 128 random characters (the default settings took over a second).
const zxcvbn = (): ZxcvbnFactory =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    maxLength: 64,
    l33tMaxSubstitutions: 10,
  }));

/**
 * Refuses a new password that is short, common or breached, repetitive (aaaa), sequential (1234, abcd),
 * a keyboard walk (qwerty), or built from the person's name, email or the service's name (NIST SP 800-63B
 * §3.1.1.2). Throws a `bad_request` whose message says plainly why and what to do instead.
 */
export function checkNewPassword(password: string, context: PasswordContext): void {
  const length = NewPassword.safeParse(password);
  if (!length.success) throw new ApiError('bad_request', length.error.issues[0]?.message ?? ADVICE);
  const words = contextWords(context);
  const result = zxcvbn().check(password, words);
  if (result.score < MIN_SCORE) throw new ApiError('bad_request', `This password is too easy to guess: ${reasonFor(result)} ${ADVICE}`);
  if (zxcvbn().check(withoutWords(password, words)).score < MIN_SCORE) {
    throw new ApiError('bad_request', `This password is too easy to guess: ${CONTEXT_REASON} ${ADVICE}`);
  }
}

const CONTEXT_REASON = 'it is mostly your name, your email or the word "Polyphony", which a guesser tries first.';

/** The words a guesser who knows the person and the service tries first. Short fragments are left out. */
function contextWords({ email, name }: PasswordContext): string[] {
  const local = email.toLowerCase().split('@')[0] ?? '';
  const parts = [local, ...local.split(/[^a-z0-9]+/), name.toLowerCase(), ...name.toLowerCase().split(/\s+/)];
  return [...new Set([...SERVICE_WORDS, ...parts].filter((w) => w.length >= 3))];
}

/** The password with every context word taken out: what protects it once a guesser knows who it is for. */
function withoutWords(password: string, words: string[]): string {
  let rest = password.toLowerCase();
  for (const word of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(word).join('');
  return rest;
}

/** The plainest reason among the weak patterns zxcvbn found, most telling first. */
function reasonFor(result: ZxcvbnResult): string {
  const patterns = result.sequence.map((m) => (m.pattern === 'dictionary' ? `dictionary:${String(m['dictionaryName'])}` : m.pattern));
  if (patterns.includes('dictionary:userInputs')) return CONTEXT_REASON;
  if (patterns.some((p) => p.startsWith('dictionary:passwords'))) return 'it is one of the most common passwords, which are tried first.';
  if (patterns.includes('repeat')) return 'it repeats a character or a short pattern (like "aaaa" or "abcabc").';
  if (patterns.includes('sequence')) return 'it runs in order (like "abcd" or "1234").';
  if (patterns.includes('spatial')) return 'it follows a line of keys on the keyboard (like "qwerty").';
  if (patterns.includes('date')) return 'it is mostly a date.';
  if (patterns.some((p) => p.startsWith('dictionary:'))) return 'it is made of a few very common words or names.';
  return 'it is short for the kinds of characters it uses.';
}
