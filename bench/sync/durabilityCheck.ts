import { POSTGRES_KINDS, SERVER_KINDS, type ServerKind } from '../servers/childProcess.ts';
import { createBenchSigner, createStorage, startBenchServer, type BenchServer } from './benchServer.ts';
import { createCleanup } from './cleanup.ts';
import { startPostgresCluster } from './postgresCluster.ts';
import { connectRealClient } from './realClient.ts';
import { readStoredText } from './storedText.ts';
import { sleep, withTimeout } from './waiting.ts';

// `node bench/sync/durabilityCheck.ts [kind…]` (Node 24; all five kinds when none is named)
// Observes the rule every bench column is configured for, "an update is stored before anyone else receives
// it": a listener, on each update it receives, reads the store through a connection of its own, and the text
// it has must already be there. Typing comes in bursts, so that some updates arrive while a commit is in
// flight. Exits 1 if any receipt came before its store. (Without storedBeforeBroadcast.ts, Hocuspocus on
// PostgreSQL fails it: 15 of 59 receipts early in one run.)
const INSERTS = 60;
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(SERVER_KINDS as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown server kind ${unknown.join(', ')} (known: ${SERVER_KINDS.join(', ')})`);
const kinds = requested.length > 0 ? SERVER_KINDS.filter((kind) => requested.includes(kind)) : SERVER_KINDS;
const cleanup = createCleanup();
let failed = false;
try {
  const postgres = kinds.some((kind) => POSTGRES_KINDS.includes(kind)) ? await startPostgresCluster(cleanup) : undefined;
  const signer = createBenchSigner();
  for (const kind of kinds) {
    const server = await startBenchServer(kind, cleanup, { storage: await createStorage(cleanup, kind, postgres), signer, postgres });
    try {
      const { checked, early } = await checkServer(kind, server);
      process.stdout.write(`${kind}: ${checked} receipts checked, ${early} received before they were stored\n`);
      if (early > 0 || checked === 0) failed = true;
    } finally {
      await server.stop();
    }
  }
} finally {
  await cleanup.runAll();
}
process.exit(failed ? 1 : 0);

async function checkServer(kind: ServerKind, server: BenchServer): Promise<{ checked: number; early: number }> {
  const docName = `durability-${crypto.randomUUID().slice(0, 8)}`;
  let early = 0;
  const reads: Promise<void>[] = [];
  const listener = connectRealClient(server, docName, () => {
    const seen = listener.text.toJSON();
    reads.push(
      readStoredText(kind, server.storage, docName).then((stored) => {
        if (!stored.startsWith(seen)) early++;
      }),
    );
  });
  const writer = connectRealClient(server, docName);
  try {
    await withTimeout(Promise.all([listener.synced, writer.synced]), 30_000, `${kind}: clients syncing`);
    for (let index = 0; index < INSERTS; index++) {
      writer.text.insert(writer.text.length, `${index};`);
      // Two of three inserts 20 ms apart, the third at once: bursts land while a commit is in flight.
      await sleep(index % 3 === 0 ? 0 : 20);
    }
    await sleep(2_000);
    await Promise.all(reads);
    return { checked: reads.length, early };
  } finally {
    listener.destroy();
    writer.destroy();
  }
}
