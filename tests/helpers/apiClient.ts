import { CreateMeetingResponse, JoinMeetingResponse } from '../../shared/api/meetings.ts';

/** Creates a meeting and joins it over the real HTTP API, returning what a browser would get. */
export async function createAndJoin(baseUrl: string, displayName: string) {
  const created = CreateMeetingResponse.parse(await postJson(`${baseUrl}/api/meetings`, {}));
  const joined = await joinMeeting(baseUrl, created.meeting.id, displayName);
  return { meetingId: created.meeting.id, ...joined };
}

export async function joinMeeting(baseUrl: string, meetingId: string, displayName: string) {
  return JoinMeetingResponse.parse(await postJson(`${baseUrl}/api/meetings/${meetingId}/join`, { displayName }));
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
