import type { DatabaseSync } from 'node:sqlite';
import { refusingNested, UnitOfWorkMisuseError, type UnitOfWork } from './unitOfWork.ts';

/**
 * {@link UnitOfWork} on SQLite: BEGIN IMMEDIATE … COMMIT (or ROLLBACK) on the one connection every store of
 * `stores` runs on.
 *
 * That connection is shared by every request of the process, so the transaction must not stay open while
 * another request runs. It does not as long as `work` awaits only these stores: their statements run
 * synchronously and their promises settle in microtasks, so the whole unit ends before the event loop takes
 * its next task (another request, a socket message, a timer). This is checked, not hoped: a sentinel set
 * with setImmediate at BEGIN fires only once the event loop moved on, i.e. once `work` awaited something
 * that needed another task (a password hash, a file, a network call). It then rolls the transaction back at
 * once, the stores given to `work` refuse every further call, and the unit fails with
 * {@link UnitOfWorkMisuseError}: nothing of it is stored, and whatever other request ran meanwhile went on
 * outside it. Do such work before the unit, and what reaches outside after it.
 *
 * Transactions the stores open themselves (transaction.ts) become savepoints inside the unit.
 */
export function createSqliteUnitOfWork<S extends object>(db: DatabaseSync, stores: S): UnitOfWork<S> {
  let open: { crossedTask: boolean } | undefined;
  return refusingNested(async (work) => {
    const release = await turn();
    try {
      if (db.isTransaction) throw new UnitOfWorkMisuseError('A unit of work was started while a transaction is open on this connection.');
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      release();
      throw error;
    }
    const unit = { crossedTask: false };
    open = unit;
    // Stores of this unit only: work that lingers after its unit ended must not write into the next one.
    const tx = refusingCallsOutside(stores, () => {
      if (open !== unit) throw new UnitOfWorkMisuseError('These stores belong to a unit of work that has ended (or was rolled back): use them only inside its work, and await each call.');
    });
    const sentinel = setImmediate(() => {
      unit.crossedTask = true;
      open = undefined;
      try {
        if (db.isTransaction) db.exec('ROLLBACK');
      } catch {
        // The connection was closed meanwhile: nothing of the unit was committed either way.
      }
      release();
    });
    try {
      const result = await work(tx);
      if (unit.crossedTask) throw crossedTask();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (unit.crossedTask) throw crossedTask(error);
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      clearImmediate(sentinel);
      if (open === unit) open = undefined;
      release();
    }
  });
}

/**
 * Units of work of this thread run one at a time, whatever connection each is on: two started in one task
 * (Promise.all) would otherwise meet a transaction already open on their connection, or, on two connections,
 * wait synchronously in BEGIN IMMEDIATE for a lock that only this thread could release. Each unit ends within
 * the task it started in, so a unit waits here for microtasks at most. Resolves with a function that ends
 * the turn (calling it again does nothing).
 */
let busy = false;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
  busy = true;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };
}

function crossedTask(cause?: unknown): UnitOfWorkMisuseError {
  return new UnitOfWorkMisuseError(
    'A unit of work on SQLite awaited something other than its stores (the event loop moved on while its transaction was open), so it was rolled back. Do that before the unit of work, or after it.',
    cause === undefined ? undefined : { cause },
  );
}

/** `stores` with every method checking `allowed` first. */
function refusingCallsOutside<S extends object>(stores: S, allowed: () => void): S {
  const guarded: Record<string, unknown> = {};
  for (const [name, store] of Object.entries(stores)) guarded[name] = guardMethods(store as object, allowed);
  // Same keys, and each store keeps its methods with their own signatures (only wrapped).
  return guarded as S;
}

function guardMethods(store: object, allowed: () => void): Record<string, unknown> {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    guarded[name] =
      typeof member === 'function'
        ? (...args: unknown[]): unknown => {
            allowed();
            return (member as (...a: unknown[]) => unknown).apply(store, args);
          }
        : member;
  }
  return guarded;
}
