import { describe, expect, it } from 'vitest';
import { canonicalValue, toPostgres, UncopyableValueError } from './columnValues.ts';

describe('column values between SQLite and PostgreSQL', () => {
  it('gives a SQLite value and what PostgreSQL returns for it after the copy one form', () => {
    expect(canonicalValue('bigint', 9_007_199_254_740_993n)).toBe(canonicalValue('bigint', '9007199254740993'));
    expect(canonicalValue('integer', 7n)).toBe(canonicalValue('integer', 7));
    expect(canonicalValue('bytea', new Uint8Array([1, 255]))).toBe(canonicalValue('bytea', Buffer.from([1, 255])));
    expect(canonicalValue('boolean', 1n)).toBe(canonicalValue('boolean', true));
    expect(canonicalValue('text', '2026-12-02T10:00:00.000Z')).toBe('2026-12-02T10:00:00.000Z');
    expect(canonicalValue('text', null)).toBeNull();
  });

  it('keeps values apart that differ', () => {
    expect(canonicalValue('bigint', 1n)).not.toBe(canonicalValue('bigint', '2'));
    expect(canonicalValue('bytea', new Uint8Array([1]))).not.toBe(canonicalValue('bytea', new Uint8Array([1, 0])));
    expect(canonicalValue('boolean', 0n)).not.toBe(canonicalValue('boolean', true));
    expect(canonicalValue('text', new Uint8Array([104, 105]))).not.toBe(canonicalValue('text', 'hi'));
    expect(canonicalValue('text', '')).not.toBeNull();
  });

  it('converts by the PostgreSQL column type, and refuses what the type cannot take', () => {
    expect(toPostgres('t.flag', 'boolean', 1n)).toBe(true);
    expect(toPostgres('t.n', 'bigint', 9_007_199_254_740_993n)).toBe(9_007_199_254_740_993n);
    expect(toPostgres('t.data', 'bytea', new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(toPostgres('t.name', 'text', 12n)).toBe('12');
    expect(() => toPostgres('t.name', 'text', new Uint8Array([1]))).toThrow(UncopyableValueError);
  });
});
