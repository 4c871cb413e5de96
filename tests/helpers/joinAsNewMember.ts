import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { cli, idOf } from './cli.ts';
import { HttpSession } from './httpSession.ts';
import type { ServerProcess } from './serverProcess.ts';

/**
 * A network member added through the ops CLI and joined over the API, without a browser: their LiveKit
 * access (and media key), for a test-only client that joins the video room directly.
 */
export async function joinAsNewMember(server: ServerProcess, networkId: string, meetingId: string, name: string) {
  const memberId = idOf(await cli(server.dataDir, ['member', 'add', '--network', networkId, '--name', name, '--relationship', 'friend']));
  const invite = await cli(server.dataDir, ['invite', 'create', '--member', memberId]);
  const session = HttpSession.forInvite(server.url, String(invite['url']));
  const { media } = JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName: name }));
  if (media.status !== 'available') throw new Error('video should be available in this test');
  return media;
}
