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

export default defineConfig({
  test: {
    env: { LOG_LEVEL: 'silent' },
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
        },
      },
      {
        test: {
          // The same route, sync and server tests again with every server they start on PostgreSQL (a fresh
          // database each): the engines must be indistinguishable from outside. Tests of SQLite itself
          // (data directory modes, upgrades of SQLite files, backups of them) stay on SQLite only.
          name: 'integration-postgres',
          include: POSTGRES_INTEGRATION_TESTS.map((name) => `tests/integration/${name}.test.ts`),
          env: { LOG_LEVEL: 'silent', POLYPHONY_TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/helpers/postgresGlobalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
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
