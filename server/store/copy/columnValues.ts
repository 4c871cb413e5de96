import type { SQLOutputValue } from 'node:sqlite';

/**
 * The PostgreSQL column types `db copy` knows how to fill from SQLite (information_schema's data_type).
 * Times are TEXT on both engines (ISO 8601 as stored): a copied time reads back byte for byte.
 */
export const COPYABLE_TYPES = ['text', 'smallint', 'integer', 'bigint', 'bytea', 'boolean'] as const;
export type CopyableType = (typeof COPYABLE_TYPES)[number];

export function isCopyableType(type: string): type is CopyableType {
  return (COPYABLE_TYPES as readonly string[]).includes(type);
}

/** A value SQLite holds that the column's PostgreSQL type cannot take (e.g. bytes in a TEXT column). */
export class UncopyableValueError extends Error {
  constructor(column: string, type: CopyableType, found: string) {
    super(`${column} holds ${found}, which a PostgreSQL ${type} column cannot take`);
    this.name = 'UncopyableValueError';
  }
}

/**
 * A SQLite value as the parameter for a PostgreSQL column of `type`. SQLite is read with integers as
 * bigint (nothing is rounded); node-postgres sends a bigint, and a bigint inside an array, as its digits.
 * SQLite's typing is per value, not per column, so what a column holds is converted by the target's type.
 */
export function toPostgres(column: string, type: CopyableType, value: SQLOutputValue): unknown {
  if (value === null) return null;
  switch (type) {
    case 'text':
      if (value instanceof Uint8Array) throw new UncopyableValueError(column, type, 'bytes');
      return String(value);
    case 'smallint':
    case 'integer':
    case 'bigint':
      if (value instanceof Uint8Array) throw new UncopyableValueError(column, type, 'bytes');
      return value;
    case 'bytea':
      return typeof value === 'string' ? Buffer.from(value, 'utf8') : value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : String(value);
    case 'boolean':
      if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
      throw new UncopyableValueError(column, type, typeof value === 'string' ? 'text' : 'bytes');
  }
}

/** What either driver hands back for the copyable types (node:sqlite: number, bigint, string, bytes; pg: string, number, boolean, Buffer). */
export type EngineValue = string | number | bigint | boolean | Uint8Array | null;

/** A driver's value as an {@link EngineValue}; anything else (a Date, a parsed JSON object) means a type db copy does not know. */
export function engineValue(value: unknown): EngineValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value instanceof Uint8Array) return value;
  throw new TypeError(`a driver returned a ${typeof value} that db copy cannot compare`);
}

/**
 * One form for a value read from either engine, so that rows can be compared value by value: integers as
 * their digits (PostgreSQL returns bigint as a string, SQLite as a bigint here), bytes as hex, booleans as
 * 0/1 (SQLite has none: it keeps 0 and 1), text as it is. Values a column's type could not take on the other
 * engine get a tag, so they never compare equal to a converted value by accident.
 */
export function canonicalValue(type: CopyableType, value: EngineValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return type === 'bytea' ? `x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` : 'bytes!';
  switch (type) {
    case 'bytea':
      return typeof value === 'string' ? `x${Buffer.from(value, 'utf8').toString('hex')}` : `?${String(value)}`;
    case 'boolean':
      return Number(value) !== 0 ? '1' : '0';
    case 'smallint':
    case 'integer':
    case 'bigint':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value).toString() : String(value);
    case 'text':
      return String(value);
  }
}
