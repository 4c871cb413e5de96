import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import { createLogger, errorFields, type Logger } from '../log.ts';
import type { Stores } from '../store/stores.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import { createAccess } from './access.ts';
import { createAuthService } from './auth.ts';
import { createFailureLogInStore } from './failureLogInStore.ts';
import { createInviteService } from './invites.ts';
import { createLoginThrottle, LOGIN_WINDOW_MS } from './loginThrottle.ts';
import { createInviteTokens } from './inviteTokens.ts';
import { createMeetingService } from './meetings.ts';
import { createNetworkService } from './networks.ts';
import { createNotesHistoryService } from '../record/notesHistory.ts';
import { createExportService } from './exports.ts';
import { createMediaGate } from './mediaGate.ts';
import { createMediaKeys } from './mediaKeys.ts';
import { createRecordService, sealRecord } from './records.ts';
import { createRetentionService } from './retention.ts';
import { createSchedulingService } from './scheduling.ts';

export interface ServiceDeps {
  stores: Stores;
  serverSecret: Uint8Array;
  media: MediaStateHolder;
  rooms: LiveRooms;
  signTicket: (claims: SyncTicketClaims) => string;
  /**
   * Where the services say that someone lost access (invite revoked, meeting ended, network erased...):
   * the server's consumers close sockets and video for it, in this process or another (server/events).
   */
  events: Pick<AccessEventPort, 'publish'>;
  /** For the few lines services write themselves (who was refused from a video room: ids and kinds only). */
  logger?: Logger;
  now?: () => Date;
}

/** Every service, wired once. Used by the HTTP server and by the ops CLI, so both follow the same rules. */
export function createServices(deps: ServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const { stores } = deps;
  const logger = deps.logger ?? createLogger({ service: 'polyphony' });
  const access = createAccess(stores);
  // A deactivation ends that person's sockets and video everywhere (server/events).
  const onUserDeactivated = (userId: string, networkIds: string[]) => deps.events.publish({ kind: 'user_deactivated', userId, networkIds });
  const onSessionsEnded = (userId: string) => deps.events.publish({ kind: 'sessions_ended', userId });
  const auth = createAuthService({ stores, access, now, onUserDeactivated, onSessionsEnded });
  const invites = createInviteService({
    stores,
    access,
    tokens: createInviteTokens(deps.serverSecret),
    now,
    events: deps.events,
  });
  const networks = createNetworkService({ stores, access, now, invites });
  const notesHistory = createNotesHistoryService({ stores, access, now });
  const mediaKeys = createMediaKeys({ stores, serverSecret: deps.serverSecret, rooms: deps.rooms, now });
  const meetings = createMeetingService({
    stores,
    access,
    media: deps.media,
    rooms: deps.rooms,
    mediaKeys,
    signTicket: deps.signTicket,
    now,
    events: deps.events,
    // A failed freeze does not undo the end: the record is then frozen when it is first read (recordOf).
    sealRecord: (meeting) => sealRecord(stores, meeting, now()).catch((error: unknown) => logger.error('record_seal_failed', { meetingId: meeting.id, ...errorFields(error) })),
    notesHistory,
  });
  const scheduling = createSchedulingService({ stores, access, meetings, tokens: createInviteTokens(deps.serverSecret), now });
  const records = createRecordService({ stores, access, now, events: deps.events });
  const exports = createExportService({ stores, access, now });
  const retention = createRetentionService({ stores, access, now, events: deps.events });
  const mediaGate = createMediaGate({ stores, access, rooms: deps.rooms, logger, now });
  // In the store: every instance counts the same failed logins.
  const loginThrottle = createLoginThrottle({
    now: () => now().getTime(),
    failures: createFailureLogInStore({ store: stores.loginFailures, serverSecret: deps.serverSecret, windowMs: LOGIN_WINDOW_MS, now: () => now().getTime() }),
  });
  return { access, auth, loginThrottle, invites, networks, meetings, notesHistory, scheduling, records, exports, retention, mediaGate, mediaKeys, audit: stores.audit };
}

export type Services = ReturnType<typeof createServices>;
