import { Worker } from 'node:worker_threads';

export interface WriterThreadHandlers<Message> {
  onMessage(message: Message): void;
  /** The thread ended (crashed, ran out of memory, or was closed): `error` names it and its exit code. */
  onExit(error: Error): void;
}

/**
 * Starts a store's writer thread (SQLite's document writer, PostgreSQL's commit thread). Its last error
 * becomes the cause of the exit's error, so whoever was waiting on it learns why it died, not only that
 * it did.
 */
export function startWriterThread<Message>(url: URL, workerData: unknown, label: string, handlers: WriterThreadHandlers<Message>): Worker {
  const started = new Worker(url, { workerData });
  let lastError: unknown = null;
  started.on('message', (message: Message) => handlers.onMessage(message));
  started.on('error', (error: unknown) => void (lastError = error));
  started.once('exit', (code) => handlers.onExit(new Error(`${label} exited (${code})`, { cause: lastError })));
  return started;
}
