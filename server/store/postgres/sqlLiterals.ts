import pg from 'pg';

/**
 * Array values written into the text of a simple query, which takes no parameters but can carry several
 * statements in one round trip (BEGIN with the first statement, COMMIT with the last). Every value is
 * escaped or checked here, so no caller's text reaches the query unescaped.
 */

/** `ARRAY['a', 'b']::text[]`; pg.escapeLiteral doubles quotes and backslashes, and uses E'' when there is a backslash. */
export function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => pg.escapeLiteral(value)).join(', ')}]::text[]`;
}

/** `ARRAY[1, 2]::bigint[]`; only safe integers, so the text is digits and a sign and nothing else. */
export function bigintArray(values: readonly number[]): string {
  for (const value of values) if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer for a bigint literal: ${value}`);
  return `ARRAY[${values.join(', ')}]::bigint[]`;
}

/** `ARRAY[decode('0a0b', 'hex')]::bytea[]`; hex digits only, independent of standard_conforming_strings. */
export function byteaArray(values: readonly Uint8Array[]): string {
  const items = values.map((value) => `decode('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}', 'hex')`);
  return `ARRAY[${items.join(', ')}]::bytea[]`;
}
