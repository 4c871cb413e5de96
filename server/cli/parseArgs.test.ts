import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseDays } from './parseArgs.ts';

describe('the CLI command line', () => {
  it('takes an id that starts with a dash as the value of its option', () => {
    const { values, positionals } = parseCommandLine(['invite', 'create', '--member', '-AbCdEfGhIjKlMnOpQrStU', '--json']);
    expect(positionals).toEqual(['invite', 'create']);
    expect(values.member).toBe('-AbCdEfGhIjKlMnOpQrStU');
    expect(values.json).toBe(true);
  });

  it('refuses an unknown option with a plain error', () => {
    expect(() => parseCommandLine(['network', 'create', '--nme', 'Jo'])).toThrow(/nme/);
  });

  it('reads expiry as days or hours', () => {
    expect(parseDays(undefined)).toBe(14);
    expect(parseDays('7d')).toBe(7);
    expect(parseDays('36h')).toBe(2);
    expect(() => parseDays('soon')).toThrow();
    expect(() => parseDays('0d')).toThrow();
  });
});
