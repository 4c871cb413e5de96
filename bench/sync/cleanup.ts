/**
 * Everything the bench starts (server processes, temp dirs, sockets) registers its teardown here. `runAll`
 * runs them newest first; the synchronous `emergency` ones also run on exit and on SIGINT/SIGTERM, so that
 * a crash or Ctrl-C never leaves a server process or a temp dir behind.
 */
export interface Cleanup {
  /** An async teardown, run by `runAll`. Returns a function that unregisters it. */
  add(teardown: () => Promise<void> | void): () => void;
  /** A synchronous last resort (kill a pid, remove a dir), also run on exit. Returns an unregister function. */
  emergency(teardown: () => void): () => void;
  runAll(): Promise<void>;
}

export function createCleanup(): Cleanup {
  const teardowns = new Set<() => Promise<void> | void>();
  const emergencies = new Set<() => void>();

  const runEmergencies = (): void => {
    for (const teardown of [...emergencies].reverse()) {
      try {
        teardown();
      } catch {
        // Best effort: the process is ending.
      }
    }
    emergencies.clear();
  };
  process.on('exit', runEmergencies);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
      runEmergencies();
      process.exit(130);
    });
  }

  return {
    add(teardown) {
      teardowns.add(teardown);
      return () => void teardowns.delete(teardown);
    },
    emergency(teardown) {
      emergencies.add(teardown);
      return () => void emergencies.delete(teardown);
    },
    async runAll() {
      for (const teardown of [...teardowns].reverse()) {
        teardowns.delete(teardown);
        try {
          await teardown();
        } catch (error) {
          process.stderr.write(`bench: cleanup failed: ${String(error)}\n`);
        }
      }
      runEmergencies();
    },
  };
}
