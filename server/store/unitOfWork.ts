import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs `work` in one transaction, on either engine: every write it makes through `tx` is committed together
 * when it resolves, and none of them is kept when it throws (the error is passed on). `work` must use only
 * the stores in `tx` (a store reached some other way runs outside the transaction), and should do nothing
 * but store calls: what reaches outside the database (events, sockets, LiveKit, emails) goes after the unit
 * has committed, so that nothing is announced that was then undone. On SQLite `work` must also await
 * nothing but those stores (see sqliteUnitOfWork.ts); anything else is refused there.
 *
 * A unit of work started inside another is refused with {@link UnitOfWorkMisuseError}: pass `tx` down to
 * whatever the outer one calls instead, so that what belongs together commits together.
 */
export type UnitOfWork<S> = <T>(work: (tx: S) => Promise<T>) => Promise<T>;

/** A unit of work used against its rules: a bug in the calling code, never a condition to handle. */
export class UnitOfWorkMisuseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnitOfWorkMisuseError';
  }
}

/** The unit whose work is running in this async context, if any (still open or not). */
const running = new AsyncLocalStorage<{ open: boolean }>();

/**
 * `unitOfWork`, refusing to start inside the work of another unit of work that is still open. Without
 * this, an inner unit would run on another connection of the pool (PostgreSQL: a second transaction that
 * commits on its own, or waits for a lock the outer one holds) or inside the outer one (SQLite).
 */
export function refusingNested<S>(unitOfWork: UnitOfWork<S>): UnitOfWork<S> {
  return async (work) => {
    if (running.getStore()?.open) {
      throw new UnitOfWorkMisuseError('A unit of work was started inside another one. Pass the outer one\'s stores (tx) down instead, so that everything commits together.');
    }
    const unit = { open: true };
    try {
      return await running.run(unit, () => unitOfWork(work));
    } finally {
      // Callbacks made inside the work keep this context after it ends; they may start units of their own.
      unit.open = false;
    }
  };
}
