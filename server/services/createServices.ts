import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import type { InviteRecord } from '../store/inviteStore.ts';
import type { Stores } from '../store/stores.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import { createAccess } from './access.ts';
import { createAuthService } from './auth.ts';
import { createInviteService } from './invites.ts';
import { createInviteTokens } from './inviteTokens.ts';
import { createMeetingService } from './meetings.ts';
import { createNetworkService } from './networks.ts';
import { createExportService } from './exports.ts';
import { createRecordService } from './records.ts';
import { createRetentionService } from './retention.ts';
import { createSchedulingService } from './scheduling.ts';

export interface ServiceDeps {
  stores: Stores;
  serverSecret: Uint8Array;
  media: MediaStateHolder;
  rooms: LiveRooms;
  signTicket: (claims: SyncTicketClaims) => string;
  onInviteRevoked: (invite: InviteRecord) => Promise<void>;
  /** Called once a meeting has ended, to seal its document (close the sockets still writing to it). */
  onMeetingEnded?: (meetingId: string) => Promise<void>;
  /** Called before a network is erased, to close the sockets of its documents. */
  onNetworkErasing?: (networkId: string, meetingIds: string[]) => Promise<void>;
  /**
   * Called once a team account's deactivation is committed, with the networks it was taken off: close
   * that person's sync sockets and remove them from live video rooms.
   */
  onUserDeactivated?: (userId: string, networkIds: string[]) => Promise<void>;
  now?: () => Date;
}

/** Every service, wired once. Used by the HTTP server and by the ops CLI, so both follow the same rules. */
export function createServices(deps: ServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const { stores } = deps;
  const access = createAccess(stores);
  const auth = createAuthService({ stores, access, now, ...(deps.onUserDeactivated ? { onUserDeactivated: deps.onUserDeactivated } : {}) });
  const invites = createInviteService({
    stores,
    access,
    tokens: createInviteTokens(deps.serverSecret),
    now,
    onRevoked: deps.onInviteRevoked,
  });
  const networks = createNetworkService({ stores, access, now });
  const meetings = createMeetingService({
    stores,
    access,
    media: deps.media,
    rooms: deps.rooms,
    signTicket: deps.signTicket,
    now,
    ...(deps.onMeetingEnded ? { onEnded: deps.onMeetingEnded } : {}),
  });
  const scheduling = createSchedulingService({ stores, access, meetings, tokens: createInviteTokens(deps.serverSecret), now });
  const records = createRecordService({ stores, access, now });
  const exports = createExportService({ stores, access, now });
  const retention = createRetentionService({ stores, access, now, ...(deps.onNetworkErasing ? { beforeErase: deps.onNetworkErasing } : {}) });
  return { access, auth, invites, networks, meetings, scheduling, records, exports, retention, audit: stores.audit };
}

export type Services = ReturnType<typeof createServices>;
