import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors.ts';
import { CreateMeetingResponse, GetMeetingResponse, JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { LIVEKIT: 'off' } });
});
afterAll(async () => server?.dispose());

const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorBody.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('meetings API', () => {
  it('creates a meeting, reads it back, and joins it with media unavailable when video is off', async () => {
    const created = CreateMeetingResponse.parse(await (await post('/api/meetings', JSON.stringify({ title: 'First meeting' }))).json());
    expect(created.joinPath).toBe(`/m/${created.meeting.id}`);
    const read = GetMeetingResponse.parse(await (await fetch(`${server.url}/api/meetings/${created.meeting.id}`)).json());
    expect(read.meeting).toEqual(created.meeting);
    const joined = JoinMeetingResponse.parse(
      await (await post(`/api/meetings/${created.meeting.id}/join`, JSON.stringify({ displayName: '  Robin ' }))).json(),
    );
    expect(joined.displayName).toBe('Robin');
    expect(joined.media.status).toBe('unavailable');
    expect(joined.sync.docName).toContain(created.meeting.id);
  });

  it('refuses a body that is not JSON', async () => {
    await expectError(await post('/api/meetings', '{not json'), 400, 'bad_request');
  });

  it('refuses unknown fields and wrong types, naming the field', async () => {
    const res = await post('/api/meetings', JSON.stringify({ title: 42 }));
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(await res.json()).error.message).toContain('title');
    await expectError(await post('/api/meetings', JSON.stringify({ extra: true })), 400, 'bad_request');
  });

  it('refuses a body over the size cap before reading it', async () => {
    await expectError(await post('/api/meetings', JSON.stringify({ title: 'x'.repeat(100_000) })), 413, 'payload_too_large');
  });

  it('refuses an empty or too long name', async () => {
    const created = CreateMeetingResponse.parse(await (await post('/api/meetings', '{}')).json());
    await expectError(await post(`/api/meetings/${created.meeting.id}/join`, JSON.stringify({ displayName: '   ' })), 400, 'bad_request');
    await expectError(await post(`/api/meetings/${created.meeting.id}/join`, JSON.stringify({ displayName: 'n'.repeat(61) })), 400, 'bad_request');
  });

  it('answers not_found for an unknown meeting and bad_request for a malformed id', async () => {
    await expectError(await fetch(`${server.url}/api/meetings/AAAAAAAAAAAAAAAAAAAAAA`), 404, 'not_found');
    await expectError(await fetch(`${server.url}/api/meetings/short`), 400, 'bad_request');
    await expectError(await fetch(`${server.url}/api/nothing-here`), 404, 'not_found');
  });

  it('sends security headers and serves join links as the app', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
