import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.ts';
import { createSqliteDocLog, type SqliteDocLog } from './docLog.ts';
import type { DocWriterConfig, DocWriterRequest, DocWriterResponse, DocWriterResult } from './docWriterProtocol.ts';

// The document writer thread: owns its own SQLite connection, so that each commit's fsync blocks this
// thread and never the server's event loop.
//
// Appends go first, then loads (someone is waiting to see the notes), then compactions: only one load or
// compaction runs per turn of this thread's loop, so an edit waits behind at most one of them. Meetings that end together
// unload together, and their compactions would otherwise hold up the live meetings' edits one after
// another. Reordering is safe: a compaction covers only rows up to a sequence number already committed, a
// later append always gets a higher one, and a document is loaded only once its earlier requests are done.
const port = parentPort;
if (!port) throw new Error('docWriterThread must run as a worker thread');
const { dataDir, epochs } = workerData as DocWriterConfig;
const db = openDatabase(dataDir);
const log = createSqliteDocLog(db, new Map(epochs));

const appends: DocWriterRequest[] = [];
const reads: DocWriterRequest[] = [];
const compactions: DocWriterRequest[] = [];
let drainScheduled = false;
let closing = false;

port.on('message', (request: DocWriterRequest | { op: 'close' }) => {
  if (request.op === 'close') closing = true;
  else queueFor(request).push(request);
  scheduleDrain();
});

function queueFor(request: DocWriterRequest): DocWriterRequest[] {
  if (request.op === 'append') return appends;
  return request.op === 'compact' ? compactions : reads;
}

function scheduleDrain(): void {
  if (drainScheduled) return;
  drainScheduled = true;
  // setImmediate: the messages that arrived meanwhile are read in first, so new appends can go ahead.
  setImmediate(drain);
}

function drain(): void {
  drainScheduled = false;
  for (let request = appends.shift(); request; request = appends.shift()) respond(request);
  const next = reads.shift() ?? compactions.shift();
  if (next) respond(next);
  if (appends.length + reads.length + compactions.length > 0) return scheduleDrain();
  if (closing) {
    db.close();
    port?.close(); // the thread ends once nothing else keeps it alive
  }
}

function respond(request: DocWriterRequest): void {
  let response: DocWriterResponse;
  try {
    response = { id: request.id, ok: true, result: serve(log, request) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, name, message };
  }
  const transfer = response.ok && typeof response.result === 'object' && 'bytes' in response.result ? [response.result.bytes.buffer, response.result.ends.buffer] : [];
  port?.postMessage(response, transfer);
}

function serve(docLog: SqliteDocLog, request: DocWriterRequest): DocWriterResult {
  switch (request.op) {
    case 'append':
      return docLog.append(request.groups);
    case 'load':
      return docLog.load(request.docName);
    case 'compact':
      return docLog.compact(request.docName, request.snapshot, request.upToSeq, request.epoch);
    case 'count':
      return docLog.count(request.docName);
    case 'claim':
      return docLog.claim(request.docName);
  }
}
