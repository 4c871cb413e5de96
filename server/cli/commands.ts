import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DeactivateRequest } from '../../shared/api/accounts.ts';
import { CreateUserRequest, Email } from '../../shared/api/auth.ts';
import { CreateMeetingRequest } from '../../shared/api/meetings.ts';
import { AddMemberRequest, CreateNetworkRequest } from '../../shared/api/networks.ts';
import { ApiError } from '../errors.ts';
import { resetLink } from '../routes/users.ts';
import { check } from '../routes/validate.ts';
import type { Services } from '../services/createServices.ts';
import type { Principal } from '../services/principal.ts';
import { parseDays, required, type CommandLine } from './parseArgs.ts';

const SYSTEM: Principal = { kind: 'system' };
const Id = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a valid id');

export interface CommandContext {
  services: Services;
  origin: string;
  readStdin: () => Promise<string>;
}

export type Command = (values: CommandLine['values'], ctx: CommandContext) => Promise<Record<string, unknown>>;

/**
 * The ops CLI's commands. Each validates with the same shared schemas as the HTTP API and goes through the
 * same services, acting as the `system` principal (an operator on the server has admin standing).
 */
export const COMMANDS: Record<string, Command> = {
  'user add': async (v, { services, readStdin }) => {
    if (!v['password-stdin']) throw new ApiError('bad_request', '--password-stdin is required (passwords never go on the command line)');
    const password = (await readStdin()).replace(/\r?\n$/, '');
    const request = check(CreateUserRequest, { email: required(v, 'email'), name: required(v, 'name'), role: required(v, 'role'), isAdmin: v.admin, password });
    const { user } = await services.auth.addAccount(SYSTEM, request);
    return { id: user.id, email: user.email };
  },
  'user deactivate': async (v, { services }) => {
    const { reason } = check(DeactivateRequest, { reason: required(v, 'reason') });
    const done = await services.auth.deactivate(SYSTEM, await accountId(v, services), reason);
    return { id: done.account.id, email: done.account.email, deactivatedAt: done.account.deactivatedAt, networksLeft: done.networkIds.length, sessionsEnded: done.sessionsEnded };
  },
  'user reactivate': async (v, { services }) => {
    const account = await services.auth.reactivate(SYSTEM, await accountId(v, services));
    return { id: account.id, email: account.email, active: true };
  },
  'user reset-password': async (v, { services, origin, readStdin }) => {
    const id = await accountId(v, services);
    if (v['password-stdin']) {
      await services.auth.setPassword(SYSTEM, id, (await readStdin()).replace(/\r?\n$/, ''));
      return { id, passwordSet: true, sessionsEnded: true };
    }
    const { token, expiresAt } = await services.auth.issuePasswordReset(SYSTEM, id);
    return { url: resetLink(origin, token), expiresAt };
  },
  'user sessions': async (v, { services }) => {
    const sessions = await services.auth.sessionsOf(SYSTEM, await accountId(v, services));
    return { count: sessions.length, sessions };
  },
  'user end-sessions': async (v, { services }) => {
    return { ended: await services.auth.endAllSessions(SYSTEM, await accountId(v, services)) };
  },
  'network create': async (v, { services }) => {
    const request = check(CreateNetworkRequest, { personName: required(v, 'name'), referredAt: required(v, 'referred-at'), timeZone: v['time-zone'] });
    return { id: (await services.networks.create(SYSTEM, request)).id };
  },
  'network assign': async (v, { services }) => {
    const networkId = check(Id, required(v, 'network'));
    await services.networks.assign(SYSTEM, networkId, required(v, 'user'));
    return { ok: true };
  },
  'member add': async (v, { services }) => {
    const networkId = check(Id, required(v, 'network'));
    // --interpreter means "is the interpreter"; --interpreter-language alone implies it.
    const request = check(AddMemberRequest, {
      name: required(v, 'name'),
      relationship: required(v, 'relationship'),
      contact: v.contact,
      interpreter: v.interpreter === true || v['interpreter-language'] !== undefined,
      interpreterLanguage: v['interpreter-language'],
      needsInterpreterIn: v['needs-interpreter'],
    });
    return { id: (await services.networks.addMember(SYSTEM, networkId, request)).id };
  },
  'invite create': async (v, { services, origin }) => {
    const created = await services.invites.create(SYSTEM, check(Id, required(v, 'member')), parseDays(v['expires-in']), origin);
    return { id: created.invite.id, url: created.url, expiresAt: created.invite.expiresAt };
  },
  'invite revoke': async (v, { services }) => {
    await services.invites.revoke(SYSTEM, check(Id, required(v, 'invite')));
    return { ok: true };
  },
  'meeting create': async (v, { services, origin }) => {
    const networkId = check(Id, required(v, 'network'));
    const request = check(CreateMeetingRequest, { scheduledAt: required(v, 'at'), title: v.title });
    const meeting = await services.meetings.create(SYSTEM, networkId, request);
    return { id: meeting.id, url: new URL(`/meetings/${meeting.id}`, origin).href, scheduledAt: meeting.scheduledAt };
  },
  'meeting end': async (v, { services }) => {
    const meeting = await services.meetings.end(SYSTEM, check(Id, required(v, 'meeting')));
    return { id: meeting.id, status: meeting.status };
  },
  'meeting export': async (v, { services }) => {
    const format = check(z.enum(['md', 'pdf'], '--format takes md or pdf'), required(v, 'format'));
    const out = resolve(required(v, 'out'));
    const file = await services.exports.exportMeeting(SYSTEM, check(Id, required(v, 'meeting')), format);
    await writeFile(out, file.body, { mode: 0o600 });
    return { out, format, bytes: file.body.byteLength };
  },
  'network close': async (v, { services }) => {
    return { closedAt: await services.retention.closeNetwork(SYSTEM, check(Id, required(v, 'network'))) };
  },
  'network delete': async (v, { services }) => {
    const counts = await services.retention.deleteNetwork(SYSTEM, check(Id, required(v, 'network')), v.confirm === true);
    return { deleted: true, ...counts };
  },
  'retention set': async (v, { services }) => {
    const raw = required(v, 'days');
    const days = raw === 'off' ? null : check(z.coerce.number().int().min(1).max(36500), raw);
    await services.retention.setRetentionDays(SYSTEM, days);
    return { endedNetworkRetentionDays: days };
  },
  'retention apply': async (_v, { services }) => {
    const deleted = await services.retention.applyRetention(SYSTEM);
    return { deleted: deleted.length, networks: deleted.join(',') };
  },
};

/** The account named by --user EMAIL. */
async function accountId(v: CommandLine['values'], services: Services): Promise<string> {
  return (await services.auth.accountByEmail(SYSTEM, check(Email, required(v, 'user')))).id;
}

export const USAGE = `Usage: npm run -s polyphony -- <command> [options] [--json]

  user add --email E --name N --role practitioner|peer_worker [--admin] --password-stdin
  user deactivate --user EMAIL --reason R           ends their sessions, takes them off every network
  user reactivate --user EMAIL                      may log in again (not put back on networks)
  user reset-password --user EMAIL [--password-stdin]   prints a one-time link (24 h), or sets the password
  user sessions --user EMAIL                        their live sessions
  user end-sessions --user EMAIL                    ends all their sessions
  network create --name N --referred-at ISO8601 [--time-zone Europe/Oslo]
  network assign --network ID --user EMAIL
  member add --network ID --name N --relationship R [--contact C]
             [--interpreter [--interpreter-language L] | --needs-interpreter L]
                                                    --interpreter: IS the interpreter (in L);
                                                    --needs-interpreter: needs one in L
  invite create --member ID [--expires-in 14d]
  invite revoke --invite ID
  meeting create --network ID --at ISO8601 [--title T]
  meeting end --meeting ID                          seals the meeting's record
  meeting export --meeting ID --format md|pdf --out FILE
  network close --network ID                        the network's work has ended (retention counts from now)
  network delete --network ID --confirm             deletes the network and everything of it; no undo
  retention set --days N|off                        how long ended networks are kept
  retention apply                                   deletes ended networks older than the retention
  backup --out FILE                                 a consistent copy of DATA_DIR in one file (also while the server runs);
                                                    with DATABASE_URL, of that database through pg_dump
  restore --from FILE                               into an empty DATA_DIR only (and an empty DATABASE_URL
                                                    database); a damaged or newer backup is refused
  doctor                                            checks ports, URL, database, modes, disk, clock, LiveKit, TLS
  db copy --to postgres://USER@HOST/DB              copies DATA_DIR into an empty PostgreSQL database and proves
                                                    every row and document equal (also while the server runs)

Works on DATA_DIR (default ./data), also while the server runs. Links use PUBLIC_URL (default http://localhost:8080).
With --json each command prints exactly one JSON object; errors print {"error":{"code","message"}} and exit non-zero.`;
