import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors.ts';
import { JoinMeetingResponse, GetMeetingResponse } from '../../shared/api/meetings.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

let server: ServerProcess;
let seeded: SeededNetwork;
let team: HttpSession;
beforeAll(async () => {
  server = await startServerProcess({ env: { LIVEKIT: 'off' } });
  await addUser(server.dataDir, 'pat@team.org');
  seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
  team = new HttpSession(server.url);
  await team.login('pat@team.org', PASSWORD);
});
afterAll(async () => server?.dispose());

const raw = (path: string, init: RequestInit) => fetch(`${server.url}${path}`, init);
const postJson = (path: string, body: string) => raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorBody.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('the API', () => {
  it('lets an invited member read and join a meeting, with video unavailable when it is off', async () => {
    const member = HttpSession.forInvite(server.url, seeded.inviteUrl);
    const read = GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${seeded.meetingId}`));
    expect(read.meeting.networkId).toBe(seeded.networkId);
    const joined = JoinMeetingResponse.parse(await member.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: '  Sam ' }));
    expect(joined.displayName).toBe('Sam');
    expect(joined.role).toBe('network_member');
    expect(joined.media.status).toBe('unavailable');
  });

  it('refuses a body that is not JSON, and a state change sent as a form (CSRF)', async () => {
    await expectError(await postJson('/api/auth/login', '{not json'), 400, 'bad_request');
    const form = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a' });
    await expectError(form, 400, 'bad_request');
    const crossSite = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
    await expectError(crossSite, 403, 'forbidden');
    const opaque = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'null' }, body: '{}' });
    await expectError(opaque, 403, 'forbidden');
  });

  it('refuses unknown fields and wrong types, naming the field', async () => {
    const res = await team.request('POST', '/api/networks', { personName: 42, referredAt: new Date().toISOString() });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(await res.json()).error.message).toContain('personName');
    await expectError(await team.request('POST', '/api/networks', { personName: 'A', referredAt: 'yesterday' }), 400, 'bad_request');
    await expectError(await team.request('POST', `/api/networks/${seeded.networkId}/members`, { name: 'A', relationship: 'b', extra: 1 }), 400, 'bad_request');
  });

  it('refuses a body over the size cap before reading it', async () => {
    await expectError(await team.request('POST', '/api/networks', { personName: 'x'.repeat(100_000) }), 413, 'payload_too_large');
  });

  it('refuses an empty or too long name on joining', async () => {
    const path = `/api/meetings/${seeded.meetingId}/join`;
    await expectError(await team.request('POST', path, { displayName: '   ' }), 400, 'bad_request');
    await expectError(await team.request('POST', path, { displayName: 'n'.repeat(61) }), 400, 'bad_request');
  });

  it('answers not_found for an unknown meeting, bad_request for a malformed id, and not_found off the map', async () => {
    await expectError(await team.request('GET', '/api/meetings/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');
    await expectError(await team.request('GET', '/api/meetings/short'), 400, 'bad_request');
    await expectError(await team.request('GET', '/api/nothing-here'), 404, 'not_found');
  });

  it('refuses a wrong password with one plain message, and an unsigned LiveKit webhook', async () => {
    await expectError(await postJson('/api/auth/login', JSON.stringify({ email: 'pat@team.org', password: 'wrong' })), 401, 'unauthorized');
    await expectError(await postJson('/api/auth/login', JSON.stringify({ email: 'nobody@team.org', password: 'wrong' })), 401, 'unauthorized');
    const webhook = await raw('/api/livekit/webhook', { method: 'POST', headers: { 'content-type': 'application/webhook+json' }, body: '{}' });
    expect(webhook.status).toBeGreaterThanOrEqual(400);
  });

  it('slows down password guessing for one account from one address, saying how long to wait', async () => {
    await addUser(server.dataDir, 'guess@team.org');
    const answers: Response[] = [];
    for (let i = 0; i < 7; i++) answers.push(await postJson('/api/auth/login', JSON.stringify({ email: 'guess@team.org', password: 'nope' })));
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5).map((r) => r.status)).toEqual([429, 429]);
    expect(answers[6]?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('sends security headers, and an HttpOnly session cookie', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const login = await postJson('/api/auth/login', JSON.stringify({ email: 'pat@team.org', password: PASSWORD }));
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
  });
});
