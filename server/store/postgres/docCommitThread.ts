import { parentPort, workerData } from 'node:worker_threads';
import type { AppendGroup } from '../docLog.ts';
import { createPostgresPool } from './database.ts';
import { appendBatch } from './docAppendBatch.ts';
import type { DocCommitConfig, DocCommitRequest, DocCommitResponse } from './docCommitProtocol.ts';

// The PostgreSQL commit thread: runs the document group commits (docAppendBatch) on a connection of its
// own, so that building the statements, the socket writes that wake PostgreSQL's backend and reading its
// answers happen beside the server's event loop, not on it. The main thread sends one batch at a time and
// waits for its answer, so one connection is enough, and appends of one document commit in the order sent.
const port = parentPort;
if (!port) throw new Error('docCommitThread must run as a worker thread');
const { databaseUrl } = workerData as DocCommitConfig;
const pool = createPostgresPool(databaseUrl, { max: 1 });

port.on('message', (request: DocCommitRequest) => {
  if (request.op === 'close') {
    // The main thread closes only once every batch it sent was answered.
    void pool.end().finally(() => port.close());
    return;
  }
  void commit(request.id, request.groups).then((response) => port.postMessage(response));
});

async function commit(id: number, groups: readonly AppendGroup[]): Promise<DocCommitResponse> {
  try {
    return { id, ok: true, outcomes: await appendBatch(pool, groups) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code === undefined ? { id, ok: false, name, message } : { id, ok: false, name, message, code };
  }
}
