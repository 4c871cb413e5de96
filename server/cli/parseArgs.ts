import { parseArgs } from 'node:util';
import { ApiError } from '../errors.ts';

/** The options every command may take, parsed strictly: an unknown flag is an error, not ignored. */
export function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: attachValues(argv), allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new ApiError('bad_request', error instanceof Error ? error.message : 'invalid arguments');
  }
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  admin: { type: 'boolean', default: false },
  'password-stdin': { type: 'boolean', default: false },
  'referred-at': { type: 'string' },
  'time-zone': { type: 'string' },
  network: { type: 'string' },
  user: { type: 'string' },
  relationship: { type: 'string' },
  contact: { type: 'string' },
  interpreter: { type: 'boolean', default: false },
  'interpreter-language': { type: 'string' },
  'needs-interpreter': { type: 'string' },
  member: { type: 'string' },
  'expires-in': { type: 'string' },
  invite: { type: 'string' },
  meeting: { type: 'string' },
  at: { type: 'string' },
  title: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  confirm: { type: 'boolean', default: false },
  days: { type: 'string' },
  reason: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/**
 * Ids are base64url and may start with "-", which parseArgs would take for an option: `--member -x…`.
 * Every option that takes a value gets the next word as its value, whatever it looks like.
 */
function attachValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && name in OPTIONS && OPTIONS[name as keyof typeof OPTIONS].type === 'string' && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export type CommandLine = ReturnType<typeof parseCommandLine>;

/** A required option's value, or a bad_request naming it. */
export function required(values: CommandLine['values'], name: keyof CommandLine['values']): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new ApiError('bad_request', `--${name} is required`);
  return value;
}

/** `14d`, `36h` or a plain number of days, as whole days (at least 1). */
export function parseDays(value: string | undefined): number {
  if (value === undefined) return 14;
  const match = /^(\d+)([dh]?)$/.exec(value.trim());
  if (!match) throw new ApiError('bad_request', '--expires-in takes a duration such as 14d or 48h');
  const amount = Number(match[1]);
  const days = match[2] === 'h' ? Math.ceil(amount / 24) : amount;
  if (days < 1 || days > 365) throw new ApiError('bad_request', '--expires-in must be between 1 day and 365 days');
  return days;
}
