import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** The integration tests that also run with the server on PostgreSQL (integration-postgres below). */
const POSTGRES_INTEGRATION_TESTS = [
  'access',
  'accounts',
  'api',
  'crash',
  'crossInstanceEvents',
  'eraseWhileOpen',
  'joinRules',
  'meetingTeam',
  'record',
  'recordComplete',
  'restart',
  'setup',
  'sync',
  'syncAccess',
  'syncBadInput',
  'syncDurability',
  'syncLifecycle',
  'syncWriters',
];

/**
 * Integration files at a time, in both integration projects (one pool). They mostly wait on the servers they
 * spawn and on sockets; each file has its own databases, data directories and ports (and its own PostgreSQL
 * where it restarts one), so they cannot see each other. e2e stays at one: two browsers with live video
 * each on two cores took one file from 63 s to 328 s (CPU pressure 80 %).
 */
const INTEGRATION_WORKERS = 2;

/**
 * What every test process has in its environment, and so every server, CLI and thread it starts: Node's
 * compile cache keeps the type-stripped and compiled server modules between the hundreds of processes the
 * tests start (a server's start took 1.6 s of CPU without it, 1.0 s with it, measured).
 */
const TEST_ENV = { LOG_LEVEL: 'silent', NODE_COMPILE_CACHE: join(tmpdir(), 'polyphony-test-compile-cache') };

export default defineConfig({
  test: {
    env: TEST_ENV,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'client/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One throw-away PostgreSQL for the run: the store contract tests run on it as well as on SQLite.
          globalSetup: ['tests/helpers/postgresGlobalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: INTEGRATION_WORKERS,
        },
      },
      {
        test: {
          // The same route, sync and server tests again with every server they start on PostgreSQL (a fresh
          // database each): the engines must be indistinguishable from outside. Tests of SQLite itself
          // (data directory modes, upgrades of SQLite files, backups of them) stay on SQLite only.
          name: 'integration-postgres',
          include: POSTGRES_INTEGRATION_TESTS.map((name) => `tests/integration/${name}.test.ts`),
          env: { ...TEST_ENV, POLYPHONY_TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/helpers/postgresGlobalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: INTEGRATION_WORKERS,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Browsers and LiveKit are heavy on two cores: one e2e file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
