import { describe, expect, it } from 'vitest';
import { jsonDepth } from './jsonDepth.ts';

describe('JSON depth without parsing', () => {
  it('counts nested arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth('null', 16)).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}', 16)).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"]]"}', 16)).toBe(1);
  });

  it('stops as soon as the limit is passed (the 6,000-deep state of issue 11)', () => {
    expect(jsonDepth('['.repeat(6000) + ']'.repeat(6000), 16)).toBe(17);
    expect(jsonDepth('['.repeat(16) + ']'.repeat(16), 16)).toBe(16);
  });
});
