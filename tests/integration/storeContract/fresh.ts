import { afterEach } from 'vitest';
import type { Engine, EngineDatabase } from './engines.ts';

/** A function that opens a fresh database of `engine` for one test; it is closed after the test. */
export function useFreshDatabase(engine: Engine): () => Promise<EngineDatabase> {
  const open: EngineDatabase[] = [];
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
  });
  return async () => {
    const database = await engine.open();
    open.push(database);
    return database;
  };
}
