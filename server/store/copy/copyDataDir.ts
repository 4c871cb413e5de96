import type { Pool } from 'pg';
import { ApiError } from '../../errors.ts';
import { NewerSchemaError } from '../database.ts';
import { openPostgres, PostgresUnreachableError } from '../postgres/database.ts';
import { DatabaseUrlError, validateDatabaseUrl } from '../postgres/databaseUrl.ts';
import { planCopy, readSqliteTables } from './copyPlan.ts';
import { copyRows } from './copyRows.ts';
import { snapshotDataDir } from './sqliteSnapshot.ts';
import { checkTarget } from './targetCheck.ts';
import { verifyCopy } from './verifyCopy.ts';

/** What `polyphony db copy` reports: counts and names only, never note text or personal data. */
export interface CopySummary {
  from: string;
  /** The target without its password. */
  to: string;
  schemaVersions: number[];
  /** Rows copied per table, in the order they were copied (foreign-key order). */
  tables: Record<string, number>;
  rows: number;
  documents: number;
  /** Every row and every document compared equal on both engines. */
  equal: boolean;
  /** Only when something differs: which tables and documents. */
  differences?: { tables: string[]; documents: string[] };
}

/**
 * Copies everything in the SQLite database of `dataDir` into the empty PostgreSQL database at `targetUrl`,
 * then proves the two equal. Refused, with one error and nothing changed in the target: a malformed URL
 * (bad_request), a data directory of a newer release, a target of a newer release or not empty (conflict),
 * an unreachable target (internal). The copy is one transaction: if it fails, the target holds no rows (it
 * may have been migrated to this release's schema, which is what a server starting on it would do).
 */
export async function copyDataDirToPostgres(dataDir: string, targetUrl: string): Promise<CopySummary> {
  const url = checkedUrl(targetUrl);
  const snapshot = await snapshotDataDir(dataDir);
  try {
    await checkTarget(url, readSqliteTables(snapshot.db).map((table) => table.name));
    const pool = await openTarget(url);
    try {
      const plan = await planCopy(snapshot.db, pool);
      const tables = await copyRows(snapshot.db, pool, plan);
      const check = await verifyCopy(snapshot.db, pool, plan);
      const equal = check.tables.length === 0 && check.documents.length === 0;
      return {
        from: dataDir,
        to: withoutPassword(url),
        schemaVersions: snapshot.schemaVersions,
        tables,
        rows: Object.values(tables).reduce((sum, n) => sum + n, 0),
        documents: check.documentsCompared,
        equal,
        ...(equal ? {} : { differences: { tables: check.tables, documents: check.documents } }),
      };
    } finally {
      await pool.end();
    }
  } finally {
    await snapshot.dispose();
  }
}

function checkedUrl(raw: string): string {
  try {
    return validateDatabaseUrl(raw, '--to');
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new ApiError('bad_request', error.message);
    throw error;
  }
}

/** The target's pool, its schema brought up to this release (under the same lock as a starting server). */
async function openTarget(url: string): Promise<Pool> {
  try {
    return await openPostgres(url, { max: 2 });
  } catch (error) {
    if (error instanceof NewerSchemaError) throw new ApiError('conflict', error.message);
    if (error instanceof PostgresUnreachableError) throw new ApiError('internal', error.message);
    throw error;
  }
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}
