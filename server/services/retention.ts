import type { ErasureCounts } from '../store/networkEraser.ts';
import { ApiError } from '../errors.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { auditActor, type Principal } from './principal.ts';

const RETENTION_KEY = 'ended_network_retention_days';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionDeps {
  stores: Stores;
  access: Access;
  now: () => Date;
  /**
   * Told once a network is erased, so its open sockets close and its video rooms end everywhere. (Its
   * documents are marked erased in the same transaction, so the document store refuses writes meanwhile.)
   */
  events: Pick<AccessEventPort, 'publish'>;
}

/**
 * Ending networks, how long ended networks are kept, and deleting a network with everything of it.
 * Deleting is for administrators only, and is the one action that leaves no trace of the network but an
 * audit entry with its id.
 */
export function createRetentionService({ stores, access, now, events }: RetentionDeps) {
  const erase = async (networkId: string, actor: ReturnType<Access['requireAdmin']>): Promise<ErasureCounts> => {
    const meetingIds = (await stores.meetings.listForNetwork(networkId)).map((m) => m.id);
    const counts = await stores.eraser.erase(networkId);
    if (!counts) throw new ApiError('not_found', 'There is no such network.');
    await events.publish({ kind: 'network_erased', networkId, meetingIds });
    await stores.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'network_deleted', targetId: networkId });
    return counts;
  };

  return {
    /** Days an ended network is kept; undefined when kept until deleted by hand. */
    async retentionDays(principal: Principal): Promise<number | undefined> {
      access.requireAdmin(principal);
      const value = await stores.settings.get(RETENTION_KEY);
      return value === undefined ? undefined : Number(value);
    },

    async setRetentionDays(principal: Principal, days: number | null): Promise<void> {
      const actor = access.requireAdmin(principal);
      await stores.unitOfWork(async (tx) => {
        if (days === null) await tx.settings.delete(RETENTION_KEY);
        else await tx.settings.set(RETENTION_KEY, String(days));
        await tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'retention_changed' });
      });
    },

    /** Marks a network as ended (its work is done); the retention period counts from now. */
    async closeNetwork(principal: Principal, networkId: string): Promise<string> {
      const actor = await access.requireTeam(principal, networkId);
      if (!(await stores.networks.byId(networkId))) throw new ApiError('not_found', 'There is no such network.');
      return stores.unitOfWork(async (tx) => {
        await tx.records.closeNetwork(networkId, now().toISOString());
        await tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'network_closed', networkId });
        return (await tx.records.closedAt(networkId)) ?? now().toISOString();
      });
    },

    /** Deletes one network now. `confirm` must be true: there is no undo. */
    async deleteNetwork(principal: Principal, networkId: string, confirm: boolean): Promise<ErasureCounts> {
      const actor = access.requireAdmin(principal);
      if (!confirm) throw new ApiError('bad_request', 'Deleting a network cannot be undone: confirm it explicitly (--confirm).');
      return erase(networkId, actor);
    },

    /** Deletes every network ended longer ago than the retention setting. Returns their ids. */
    async applyRetention(principal: Principal): Promise<string[]> {
      const actor = access.requireAdmin(principal);
      const days = await stores.settings.get(RETENTION_KEY);
      if (days === undefined) return [];
      const before = new Date(now().getTime() - Number(days) * DAY_MS).toISOString();
      const due = await stores.records.closedBefore(before);
      for (const networkId of due) await erase(networkId, actor);
      return due;
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
