import { text } from 'node:stream/consumers';
import { readConfig, storeConfigOf, type ServerConfig } from '../config.ts';
import { ApiError } from '../errors.ts';
import { createLiveRooms } from '../livekit/liveRooms.ts';
import { createMediaStateHolder } from '../livekit/mediaState.ts';
import { createLogger } from '../log.ts';
import { loadOrCreateServerSecret } from '../secret.ts';
import { createOutboxEvents } from '../events/outboxEvents.ts';
import { newRandomId } from '../ids.ts';
import { createServices } from '../services/createServices.ts';
import { openStores } from '../store/openStores.ts';
import { PRIVATE_UMASK } from '../store/privateDataDir.ts';
import { createTicketSigner } from '../sync/tickets.ts';
import { COMMANDS, USAGE, type Command } from './commands.ts';
import { DATA_DIR_COMMANDS } from './dataDirCommands.ts';
import type { DoctorCheck } from '../ops/doctor.ts';
import { parseCommandLine, type CommandLine } from './parseArgs.ts';

// The ops CLI: the same stores and services as the server, on the same DATA_DIR or DATABASE_URL (SQLite's
// WAL makes that safe while the server runs; every server on the store hears of revocations made here through
// the outbox: at once on PostgreSQL, within a fifth of a second on SQLite).
process.umask(PRIVATE_UMASK); // as the server: every file made in DATA_DIR is owner-only
const json = process.argv.includes('--json');
try {
  const { values, positionals } = parseCommandLine(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  // Own keys only: `polyphony toString` must be an unknown command, not Object.prototype's.
  const dataDirCommand = Object.hasOwn(DATA_DIR_COMMANDS, positionals.join(' ')) ? DATA_DIR_COMMANDS[positionals.join(' ')] : undefined;
  const command = positionals.length === 2 ? COMMANDS[positionals.join(' ')] : undefined;
  if (!dataDirCommand && !command) {
    throw new ApiError('bad_request', positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command given');
  }
  const answer = dataDirCommand ? await dataDirCommand(values, process.env) : { result: await runServiceCommand(command, values, readConfig(process.env)) };
  process.stdout.write(json ? `${JSON.stringify(answer.result)}\n` : `${humanReadable(answer.result)}\n`);
  if (answer.failed) process.exitCode = 1;
} catch (error) {
  const known = error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error));
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: known.code, message: known.message } })}\n`);
  else process.stderr.write(`error (${known.code}): ${known.message}\n${known.code === 'bad_request' ? `\n${USAGE}\n` : ''}`);
  process.exitCode = known.code === 'bad_request' ? 2 : 1;
}

/** A command that goes through the services, on the database opened (and migrated) as the server does. */
async function runServiceCommand(command: Command | undefined, values: CommandLine['values'], config: ServerConfig): Promise<Record<string, unknown>> {
  if (!command) throw new ApiError('bad_request', 'no command given');
  const opened = await openStores(storeConfigOf(config), { docsOnThread: false });
  const secret = loadOrCreateServerSecret(config.dataDir);
  const signer = createTicketSigner(secret);
  const logger = createLogger({ service: 'polyphony-cli' });
  const media = createMediaStateHolder({ status: 'unavailable', reason: 'not used by the CLI' });
  const services = createServices({
    stores: opened.stores,
    serverSecret: secret,
    media,
    rooms: createLiveRooms(media, logger),
    signTicket: (claims) => signer.sign(claims),
    // Recorded in the store's outbox: the running server closes the sockets and video rooms itself.
    events: createOutboxEvents({ store: opened.accessEvents, origin: `cli-${newRandomId()}`, logger }),
    logger,
  });
  try {
    return await command(values, { services, origin: config.publicUrl ?? 'http://localhost:8080', readStdin: () => text(process.stdin) });
  } finally {
    // A PostgreSQL pool left open would keep the command from exiting.
    await opened.close();
  }
}

function humanReadable(result: Record<string, unknown>): string {
  if (Array.isArray(result['checks'])) return doctorReport(result['checks'] as DoctorCheck[]);
  return Object.entries(result)
    .map(([key, value]) => `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}

function doctorReport(checks: DoctorCheck[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${c.fix ? `\n     fix: ${c.fix}` : ''}`).join('\n');
}
