/**
 * A table or column name as a quoted SQL identifier, the same on SQLite and PostgreSQL. The names come from
 * the databases' own catalogs, never from input; quoting keeps a name that is a keyword (e.g. "at") valid.
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
