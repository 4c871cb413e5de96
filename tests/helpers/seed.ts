import { cli, idOf } from './cli.ts';

export const PASSWORD = 'correct horse battery staple';

export interface SeededNetwork {
  networkId: string;
  meetingId: string;
  memberId: string;
  inviteId: string;
  inviteUrl: string;
}

/** A team member account, made with the ops CLI as an operator would. */
export async function addUser(dataDir: string, email: string, options: { role?: 'practitioner' | 'peer_worker'; admin?: boolean; name?: string } = {}) {
  const args = ['user', 'add', '--email', email, '--name', options.name ?? email.split('@')[0] ?? email, '--role', options.role ?? 'practitioner', '--password-stdin'];
  if (options.admin) args.push('--admin');
  return idOf(await cli(dataDir, args, `${PASSWORD}\n`));
}

/** A network with its team, one member with an invite, and one meeting, all through the ops CLI. */
export async function seedNetwork(dataDir: string, options: { team: string[]; personName?: string; memberName?: string }): Promise<SeededNetwork> {
  const networkId = idOf(await cli(dataDir, ['network', 'create', '--name', options.personName ?? 'Jo', '--referred-at', new Date().toISOString()]));
  for (const email of options.team) await cli(dataDir, ['network', 'assign', '--network', networkId, '--user', email]);
  const memberId = idOf(await cli(dataDir, ['member', 'add', '--network', networkId, '--name', options.memberName ?? 'Sam', '--relationship', 'brother']));
  const invite = await cli(dataDir, ['invite', 'create', '--member', memberId, '--expires-in', '14d']);
  const meetingId = idOf(await cli(dataDir, ['meeting', 'create', '--network', networkId, '--at', new Date().toISOString()]));
  return { networkId, meetingId, memberId, inviteId: idOf(invite), inviteUrl: String(invite['url']) };
}
