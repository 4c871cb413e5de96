import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.ts';
import { createSqliteDocLog, type SqliteDocLog } from './docLog.ts';
import type { DocWriterConfig, DocWriterRequest, DocWriterResponse, DocWriterResult } from './docWriterProtocol.ts';

// The document writer thread: owns its own SQLite connection, so that each commit's fsync blocks this
// thread and never the server's event loop. Requests are served strictly in arrival order.
const port = parentPort;
if (!port) throw new Error('docWriterThread must run as a worker thread');
const { dataDir } = workerData as DocWriterConfig;
const db = openDatabase(dataDir);
const log = createSqliteDocLog(db);

port.on('message', (request: DocWriterRequest | { op: 'close' }) => {
  if (request.op === 'close') {
    db.close();
    port.close(); // the thread ends once nothing else keeps it alive
    return;
  }
  let response: DocWriterResponse;
  try {
    response = { id: request.id, ok: true, result: serve(log, request) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, name, message };
  }
  const transfer = response.ok && typeof response.result === 'object' && 'bytes' in response.result ? [response.result.bytes.buffer, response.result.ends.buffer] : [];
  port.postMessage(response, transfer);
});

function serve(docLog: SqliteDocLog, request: DocWriterRequest): DocWriterResult {
  switch (request.op) {
    case 'append':
      return docLog.append(request.groups);
    case 'load':
      return docLog.load(request.docName);
    case 'compact':
      return docLog.compact(request.docName, request.snapshot, request.upToSeq);
    case 'count':
      return docLog.count(request.docName);
  }
}
