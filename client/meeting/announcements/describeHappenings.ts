/**
 * Something in the meeting that a screen reader should hear about. Names are those the meeting shows on
 * screen (the server-bound identities in the document and in LiveKit), never typed by the listener.
 */
export type Happening =
  | { kind: 'here' | 'joined' | 'left'; id: string; name: string }
  | { kind: 'handRaised' | 'handLowered'; id: string; name: string; mine: boolean }
  | { kind: 'chat'; id: string; name: string; text: string }
  | { kind: 'phase'; phase: 'reflecting' | 'dialogue' };

type HandHappening = Extract<Happening, { kind: 'handRaised' | 'handLowered' }>;

/** Above this many names a list becomes a count: a long roll call drowns out the meeting itself. */
const NAMES_MAX = 3;
/** A chat message up to this long is read out whole; a longer one is announced by its sender only. */
export const CHAT_READ_MAX = 140;

/**
 * One short announcement for a burst of happenings, in a fixed order (phase first: it changes what
 * everyone does), merged by kind ("Sam and Ivy joined."). Someone who joined and left again within the
 * burst (a dropped connection coming back) is not mentioned. Empty when nothing is left to say.
 */
export function describeHappenings(happenings: readonly Happening[]): string {
  const sentences = [
    phaseSentence(happenings),
    ...presenceSentences(happenings),
    ...handSentences(happenings),
    chatSentence(happenings),
  ];
  return sentences.filter((s) => s !== undefined).join(' ');
}

function phaseSentence(happenings: readonly Happening[]): string | undefined {
  const last = happenings.filter((h) => h.kind === 'phase').at(-1);
  if (!last) return undefined;
  return last.phase === 'reflecting'
    ? 'The team has started reflecting. You are welcome to listen.'
    : 'The team has finished reflecting. Back to everyone.';
}

function presenceSentences(happenings: readonly Happening[]): string[] {
  const byKind = (kind: 'here' | 'joined' | 'left') =>
    people(happenings.filter((h): h is Extract<Happening, { kind: typeof kind }> => h.kind === kind));
  const joined = byKind('joined');
  const left = byKind('left');
  const came = new Set(joined.map((p) => p.id));
  const went = new Set(left.map((p) => p.id));
  const here = byKind('here').filter((p) => !went.has(p.id));
  const sentences: string[] = [];
  if (here.length > 0) sentences.push(`${namesOf(here)} ${here.length === 1 ? 'is' : 'are'} here.`);
  const joinedNow = joined.filter((p) => !went.has(p.id));
  const leftNow = left.filter((p) => !came.has(p.id));
  if (joinedNow.length > 0) sentences.push(`${namesOf(joinedNow)} joined.`);
  if (leftNow.length > 0) sentences.push(`${namesOf(leftNow)} left.`);
  return sentences;
}

function handSentences(happenings: readonly Happening[]): string[] {
  const hands = happenings.filter((h): h is HandHappening => h.kind === 'handRaised' || h.kind === 'handLowered');
  // Only where each hand ended up matters: raised then lowered within a burst is lowered.
  const final = new Map<string, HandHappening>();
  for (const hand of hands) {
    final.delete(hand.id);
    final.set(hand.id, hand);
  }
  const raised = [...final.values()].filter((h) => h.kind === 'handRaised');
  const lowered = [...final.values()].filter((h) => h.kind === 'handLowered');
  const sentences: string[] = [];
  if (raised.length > 0) sentences.push(`${namesOf(raised)} raised ${raised.length === 1 ? 'their hand' : 'their hands'}.`);
  if (lowered.some((h) => h.mine)) sentences.push('Your hand was lowered.');
  const others = lowered.filter((h) => !h.mine);
  if (others.length > 0) sentences.push(`${possessive(others)} ${others.length === 1 ? 'hand was' : 'hands were'} lowered.`);
  return sentences;
}

function chatSentence(happenings: readonly Happening[]): string | undefined {
  const messages = happenings.filter((h) => h.kind === 'chat');
  const only = messages.length === 1 ? messages[0] : undefined;
  if (only) {
    // A short message is read out, as a chat app does, so nobody has to leave the conversation to find it.
    const text = only.text.replace(/\s+/g, ' ').trim();
    return text.length <= CHAT_READ_MAX ? `Chat from ${only.name}: ${text}` : `${only.name} wrote a long message in the chat.`;
  }
  if (messages.length === 0) return undefined;
  return `${messages.length} new chat messages, from ${namesOf(people(messages))}.`;
}

/** Each person once, in the order they first appear. */
function people<T extends { id: string; name: string }>(happenings: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const h of happenings) if (!seen.has(h.id)) seen.set(h.id, h);
  return [...seen.values()];
}

/** "Sam", "Sam and Ivy", "Sam, Ivy and Kim", or "5 people" beyond {@link NAMES_MAX}. */
export function namesOf(who: readonly { name: string }[]): string {
  if (who.length > NAMES_MAX) return `${who.length} people`;
  const names = who.map((p) => p.name);
  const last = names.pop();
  return names.length > 0 ? `${names.join(', ')} and ${last}` : (last ?? '');
}

function possessive(who: readonly { name: string }[]): string {
  if (who.length > NAMES_MAX) return `${who.length} people’s`;
  return `${namesOf(who)}’s`;
}
