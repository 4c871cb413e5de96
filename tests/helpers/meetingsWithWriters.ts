import { cli, idOf } from './cli.ts';
import { joinAndConnect } from './docClient.ts';
import { HttpSession } from './httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from './seed.ts';
import type { ServerProcess } from './serverProcess.ts';

/**
 * Two meetings on `source`, `writers` stock clients typing into them in turn (a line every 3 ms each) and one
 * observer on each meeting: what an observer holds was acknowledged (sent on only once committed). Every
 * client and timer is handed to `cleanup`.
 */
export async function meetingsWithWriters(source: ServerProcess, writers: number, cleanup: (...tasks: (() => void)[]) => void) {
  await addUser(source.dataDir, 'pat@team.org');
  const seeded = await seedNetwork(source.dataDir, { team: ['pat@team.org'] });
  const second = idOf(await cli(source.dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date().toISOString()]));
  const meetings = [seeded.meetingId, second];
  const session = new HttpSession(source.url);
  await session.login('pat@team.org', PASSWORD);
  const observers = await Promise.all(meetings.map(async (id) => (await joinAndConnect(session, id, 'Observer')).client));
  const typists = await Promise.all(Array.from({ length: writers }, async (_, i) => (await joinAndConnect(session, meetings[i % 2] ?? '', `Writer ${i}`)).client));
  cleanup(...[...observers, ...typists].map((client) => () => client.destroy()));
  let written = 0;
  const timers = typists.map((writer, i) => setInterval(() => writer.addParagraph(`writer ${i} line ${written++}`), 3));
  const stopWriting = () => timers.forEach((timer) => clearInterval(timer));
  cleanup(stopWriting);
  return { meetings, observers, writers: typists, stopWriting, written: () => written };
}
