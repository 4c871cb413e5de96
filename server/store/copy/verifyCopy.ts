import type { DatabaseSync } from 'node:sqlite';
import type { Pool } from 'pg';
import { createSqliteDocStore } from '../docStore.ts';
import { createPostgresDocStore } from '../postgres/docStore.ts';
import { compareDocuments } from './compareDocuments.ts';
import { differingTables } from './compareRows.ts';
import type { CopyPlan } from './copyPlan.ts';

/** What differs between the engines after a copy: names of tables and documents only, never their content. */
export interface CopyVerification {
  tables: string[];
  documents: string[];
  /** How many documents were compared. */
  documentsCompared: number;
}

/**
 * Proves a copy equal: every row of every table (compareRows) and every document as each engine's document
 * store loads it (compareDocuments), over the documents named on either side.
 */
export async function verifyCopy(db: DatabaseSync, pool: Pool, plan: CopyPlan): Promise<CopyVerification> {
  const tables = await differingTables(db, pool, plan);
  const fromSqlite = db.prepare('SELECT DISTINCT doc_name FROM doc_updates').all().map((row) => String(row['doc_name']));
  const fromPostgres = (await pool.query<{ doc_name: string }>('SELECT DISTINCT doc_name FROM doc_updates')).rows.map((row) => row.doc_name);
  const names = [...new Set([...fromSqlite, ...fromPostgres])].sort();
  const documents = await compareDocuments(names, createSqliteDocStore(db), createPostgresDocStore(pool));
  return { tables, documents: documents.differing, documentsCompared: documents.compared };
}
