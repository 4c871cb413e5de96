import type { QueryResult, QueryResultRow } from 'pg';

/**
 * What a PostgreSQL store runs its statements on: the pool (each statement on its own) or one client inside
 * a transaction (see inTransaction), so that the same store code serves both.
 */
export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  /** A named statement: each connection parses and plans it once, then only binds and runs it. */
  query<R extends QueryResultRow = QueryResultRow>(statement: NamedStatement): Promise<QueryResult<R>>;
}

export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** A text column as a string, or undefined for SQL NULL. Anything else is a bug in a query or the schema. */
export function optionalString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw new TypeError(`Expected a text column but read a ${typeof value}`);
}
