import pg from 'pg';

/**
 * Array values written into the text of a query, so that a batch of any size is one statement with a plan
 * of one shape, sent in one round trip. Every value is escaped or checked here, so no caller's text reaches
 * the query unescaped. `null` is SQL NULL.
 */

/** `ARRAY['a', NULL]::text[]`; pg.escapeLiteral doubles quotes and backslashes, and uses E'' when there is a backslash. */
export function textArray(values: readonly (string | null)[]): string {
  return `ARRAY[${values.map((value) => (value === null ? 'NULL' : pg.escapeLiteral(value))).join(', ')}]::text[]`;
}

/** `ARRAY[1, NULL]::bigint[]` (or `int[]`); only safe integers, so the text is digits and a sign and nothing else. */
export function integerArray(values: readonly (number | null)[], type: 'bigint' | 'int' = 'bigint'): string {
  for (const value of values) if (value !== null && !Number.isSafeInteger(value)) throw new RangeError(`not a safe integer for an integer literal: ${value}`);
  return `ARRAY[${values.map((value) => (value === null ? 'NULL' : String(value))).join(', ')}]::${type}[]`;
}

/** `ARRAY[decode('0a0b', 'hex')]::bytea[]`; hex digits only, independent of standard_conforming_strings. */
export function byteaArray(values: readonly Uint8Array[]): string {
  const items = values.map((value) => `decode('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}', 'hex')`);
  return `ARRAY[${items.join(', ')}]::bytea[]`;
}
