import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessApp } from '../helpers/inProcessApp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function appWithClient() {
  const clientDir = mkdtempSync(join(tmpdir(), 'polyphony-client-'));
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Polyphony</title>');
  mkdirSync(join(clientDir, 'assets'));
  writeFileSync(join(clientDir, 'assets', 'index-abc123.js'), 'export {};');
  cleanups.push(() => rmSync(clientDir, { recursive: true, force: true }));
  const server = await createInProcessApp({ clientDir });
  cleanups.push(() => server.close());
  return server;
}

describe('caching of personal answers (finding: personal JSON had no Cache-Control: no-store)', () => {
  it('marks every /api answer no-store: personal data, errors and unknown paths alike', async () => {
    const server = (await appWithClient());
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: server.clock.now() });
    const pat = await server.team('pat@team.org');

    const answers = [
      await pat.request('GET', '/api/caseload'),
      await member.request('GET', `/api/meetings/${meetingId}`),
      await member.request('GET', '/api/caseload'),
      await server.app.request('/api/no-such-thing'),
      await server.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 403, 404, 400]);
    for (const res of answers) expect(res.headers.get('cache-control'), res.url).toBe('no-store');
  });

  it('never lets a cache keep the app page, however it is asked for', async () => {
    const server = (await appWithClient());
    for (const path of ['/', '/index.html', '/i/some-invite-token', '/meetings/abc', '/assets/missing-file.js']) {
      const res = await server.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('lets browsers keep the hashed assets, which never change under one name', async () => {
    const res = await (await appWithClient()).app.request('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
