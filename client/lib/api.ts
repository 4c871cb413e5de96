import type { z } from 'zod';
import { ErrorBody, type ErrorCode } from '../../shared/api/errors.ts';
import { SessionResponse, type LoginRequest, type SetupRequest } from '../../shared/api/auth.ts';
import {
  AccountList,
  AddAccountResponse,
  DeactivateResponse,
  ResetLinkResponse,
  SessionList,
  SessionsEnded,
  TeamAccount,
  type AddAccountRequest,
  type ChangePasswordRequest,
  type CompleteResetRequest,
} from '../../shared/api/accounts.ts';
import { INVITE_TOKEN_HEADER } from '../../shared/api/limits.ts';
import {
  CreateMeetingResponse,
  GetMeetingResponse,
  JoinMeetingResponse,
  MediaKeyResponse,
  Meeting,
  SetMeetingTeamResponse,
  type CreateMeetingRequest,
  type SetMeetingTeamRequest,
  type JoinMeetingRequest,
} from '../../shared/api/meetings.ts';
import {
  CreateInviteResponse,
  InviteLanding,
  Network,
  NetworkDetail,
  NetworkMember,
  NetworkList,
  type AddMemberRequest,
  type UpdateMemberRequest,
  type MarkPersonRequest,
  type CreateNetworkRequest,
} from '../../shared/api/networks.ts';
import {
  CaseloadResponse,
  ContinuityResponse,
  MeetingRecord,
  MemberOverview,
  RetentionSetting,
  ScheduledMeeting,
  ScheduleResponse,
  type ScheduleRequest,
} from '../../shared/api/records.ts';
import { LastWrittenNotesResponse, ListNotesVersionsResponse, NotesVersionResponse } from '../../shared/api/notesHistory.ts';
import { z as zod } from 'zod';

/** A failed API call, with the server's code and its plain-language message (safe to show as is). */
export class ApiCallError extends Error {
  readonly code: ErrorCode | 'network';

  constructor(code: ErrorCode | 'network', message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

const Ok = zod.object({ ok: zod.literal(true) });

/** How a call proves who is asking: the session cookie (sent by the browser), or a network member's invite. */
export interface Credentials {
  inviteToken?: string | undefined;
}

/** The typed API client: one function per route, answers checked against the shared schemas. */
export const api = {
  session: () => call('GET', '/api/auth/session', SessionResponse),
  login: (body: LoginRequest) => call('POST', '/api/auth/login', SessionResponse, { body }),
  logout: () => call('POST', '/api/auth/logout', Ok, { body: {} }),
  setup: (body: SetupRequest) => call('POST', '/api/setup', SessionResponse, { body }),
  createUser: (body: AddAccountRequest) => call('POST', '/api/users', AddAccountResponse, { body }),
  changePassword: (body: ChangePasswordRequest) => call('POST', '/api/auth/password', Ok, { body }),
  completeReset: (body: CompleteResetRequest) => call('POST', '/api/auth/reset-password', Ok, { body }),
  accounts: () => call('GET', '/api/users', AccountList),
  deactivate: (userId: string, reason: string) => call('POST', `/api/users/${enc(userId)}/deactivate`, DeactivateResponse, { body: { reason } }),
  reactivate: (userId: string) => call('POST', `/api/users/${enc(userId)}/reactivate`, zod.object({ account: TeamAccount }), { body: {} }),
  passwordReset: (userId: string) => call('POST', `/api/users/${enc(userId)}/password-reset`, ResetLinkResponse, { body: {} }),
  sessions: (userId: string) => call('GET', `/api/users/${enc(userId)}/sessions`, SessionList),
  endSession: (userId: string, sessionId: string) => call('DELETE', `/api/users/${enc(userId)}/sessions/${enc(sessionId)}`, Ok),
  endSessions: (userId: string) => call('DELETE', `/api/users/${enc(userId)}/sessions`, SessionsEnded),
  networks: () => call('GET', '/api/networks', NetworkList),
  createNetwork: (body: CreateNetworkRequest) => call('POST', '/api/networks', zod.object({ network: Network }), { body }),
  network: (id: string) => call('GET', `/api/networks/${enc(id)}`, NetworkDetail),
  setNetworkTimeZone: (id: string, timeZone: string) => call('PUT', `/api/networks/${enc(id)}/time-zone`, zod.object({ network: Network }), { body: { timeZone } }),
  assignTeam: (id: string, email: string) => call('POST', `/api/networks/${enc(id)}/team`, Ok, { body: { email } }),
  addMember: (id: string, body: AddMemberRequest) =>
    call('POST', `/api/networks/${enc(id)}/members`, zod.object({ member: NetworkMember }), { body }),
  updateMember: (networkId: string, memberId: string, body: UpdateMemberRequest) =>
    call('PUT', `/api/networks/${enc(networkId)}/members/${enc(memberId)}`, zod.object({ member: NetworkMember }), { body }),
  removeMember: (networkId: string, memberId: string, reason: string) =>
    call('POST', `/api/networks/${enc(networkId)}/members/${enc(memberId)}/remove`, zod.object({ member: NetworkMember }), { body: { reason } }),
  markPerson: (networkId: string, body: MarkPersonRequest) => call('PUT', `/api/networks/${enc(networkId)}/person`, Ok, { body }),
  createInvite: (networkId: string, memberId: string) =>
    call('POST', `/api/networks/${enc(networkId)}/members/${enc(memberId)}/invites`, CreateInviteResponse, { body: {} }),
  revokeInvite: (inviteId: string) => call('DELETE', `/api/invites/${enc(inviteId)}`, Ok),
  createMeeting: (networkId: string, body: CreateMeetingRequest) =>
    call('POST', `/api/networks/${enc(networkId)}/meetings`, CreateMeetingResponse, { body }),
  inviteLanding: (inviteToken: string) => call('GET', '/api/invite', InviteLanding, { inviteToken }),
  getMeeting: (id: string, creds: Credentials = {}) => call('GET', `/api/meetings/${enc(id)}`, GetMeetingResponse, creds),
  joinMeeting: (id: string, body: JoinMeetingRequest, creds: Credentials = {}) =>
    call('POST', `/api/meetings/${enc(id)}/join`, JoinMeetingResponse, { body, ...creds }),
  mediaKey: async (id: string, creds: Credentials = {}) => (await call('GET', `/api/meetings/${enc(id)}/media-key`, MediaKeyResponse, creds)).mediaKey,
  endMeeting: (id: string) => call('POST', `/api/meetings/${enc(id)}/end`, zod.object({ meeting: Meeting }), { body: {} }),
  caseload: () => call('GET', '/api/caseload', CaseloadResponse),
  continuity: (networkId: string) => call('GET', `/api/networks/${enc(networkId)}/continuity`, ContinuityResponse),
  schedule: (networkId: string, body: ScheduleRequest) => call('POST', `/api/networks/${enc(networkId)}/schedule`, ScheduleResponse, { body }),
  reschedule: (meetingId: string, scheduledAt: string) =>
    call('POST', `/api/meetings/${enc(meetingId)}/reschedule`, zod.object({ meeting: ScheduledMeeting }), { body: { scheduledAt } }),
  setMeetingTeam: (meetingId: string, body: SetMeetingTeamRequest) => call('PUT', `/api/meetings/${enc(meetingId)}/team`, SetMeetingTeamResponse, { body }),
  unassign: (networkId: string, userId: string, reason: string) =>
    call('POST', `/api/networks/${enc(networkId)}/team/${enc(userId)}/unassign`, Ok, { body: { reason } }),
  record: (meetingId: string, creds: Credentials = {}) => call('GET', `/api/meetings/${enc(meetingId)}/record`, zod.object({ record: MeetingRecord }), creds),
  addAddendum: (meetingId: string, text: string, creds: Credentials = {}) =>
    call('POST', `/api/meetings/${enc(meetingId)}/addenda`, zod.object({ record: MeetingRecord }), { body: { text }, ...creds }),
  inviteLink: (inviteId: string) => call('GET', `/api/invites/${enc(inviteId)}/link`, zod.object({ url: zod.string() })),
  closeNetwork: (networkId: string) => call('POST', `/api/networks/${enc(networkId)}/close`, zod.object({ closedAt: zod.string() }), { body: {} }),
  retention: () => call('GET', '/api/admin/retention', RetentionSetting),
  setRetention: (days: number | null) => call('PUT', '/api/admin/retention', RetentionSetting, { body: { endedNetworkRetentionDays: days } }),
  memberOverview: (inviteToken: string) => call('GET', '/api/invite/overview', MemberOverview, { inviteToken }),
  notesVersions: (meetingId: string, before: number | undefined, creds: Credentials = {}) =>
    call('GET', `/api/meetings/${enc(meetingId)}/notes/versions?limit=20${before === undefined ? '' : `&before=${before}`}`, ListNotesVersionsResponse, creds),
  notesVersion: (meetingId: string, versionId: string, creds: Credentials = {}) =>
    call('GET', `/api/meetings/${enc(meetingId)}/notes/versions/${enc(versionId)}`, NotesVersionResponse, creds),
  restoreNotesVersion: (meetingId: string, versionId: string, creds: Credentials = {}) =>
    call('POST', `/api/meetings/${enc(meetingId)}/notes/versions/${enc(versionId)}/restore`, NotesVersionResponse, { body: {}, ...creds }),
  lastWrittenNotes: (meetingId: string, creds: Credentials = {}) => call('GET', `/api/meetings/${enc(meetingId)}/notes/last-written`, LastWrittenNotesResponse, creds),
  /** The member's own calendar file, fetched with the invite header (a plain link could not send it). */
  ownCalendar: (inviteToken: string, meetingId?: string) => download(`/api/invite/calendar${meetingId === undefined ? '' : `?meeting=${enc(meetingId)}`}`, { inviteToken }),
  /** A meeting's record as a file (Markdown or PDF), with the invite header when read through a link. */
  exportRecord: (meetingId: string, format: 'md' | 'pdf', creds: Credentials = {}) => download(`/api/meetings/${enc(meetingId)}/export?format=${format}`, creds),
};

/** Fetches a file to save (an .ics or an export); errors come back as the usual plain message. */
async function download(path: string, options: { inviteToken?: string | undefined } = {}): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (options.inviteToken) headers[INVITE_TOKEN_HEADER] = options.inviteToken;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch {
    throw new ApiCallError('network', 'We could not reach Polyphony. Please check your internet connection and try again.');
  }
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(await res.json().catch(() => undefined));
    throw parsed.success ? new ApiCallError(parsed.data.error.code, parsed.data.error.message) : new ApiCallError('internal', 'Something went wrong. Please try again.');
  }
  return res.blob();
}

const enc = encodeURIComponent;

async function call<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S,
  options: { body?: unknown; inviteToken?: string | undefined } = {},
): Promise<z.infer<S>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.inviteToken) headers[INVITE_TOKEN_HEADER] = options.inviteToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  } catch {
    throw new ApiCallError('network', 'We could not reach Polyphony. Please check your internet connection and try again.');
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) throw new ApiCallError(parsed.data.error.code, parsed.data.error.message);
    throw new ApiCallError('internal', 'Something went wrong. Please try again.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiCallError('internal', 'Polyphony sent an answer we did not understand. Please reload the page.');
  return parsed.data;
}

/** The message to show for any failure: the server's own words when it gave some. */
export function messageOf(error: unknown): string {
  return error instanceof ApiCallError ? error.message : 'Something went wrong. Please try again.';
}
