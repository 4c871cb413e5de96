import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './browser.ts';

/**
 * Two networks of their own joined by a veth link: the server's, where the only address besides loopback
 * is `serverAddress` (as on a VM with one interface: LiveKit's ICE/TCP answers a connection only on the
 * address it gathered its candidate from, so a machine with many interfaces would not show what a VM
 * does), and the browser's, where nftables drops every UDP packet in or out (with a counter), as on a
 * hospital network that lets only TCP out. The server runs through `serverLauncher`, Chromium through
 * `chromiumPath`.
 */
export interface UdpBlockedNetwork {
  /** The server's address, where the browser reaches it. */
  serverAddress: string;
  /** Prefix for the server's command line: it then runs in the server's network. */
  serverLauncher: string[];
  /** A program to launch as Chromium: it runs Debian's Chromium in the browser's network. */
  chromiumPath: string;
  /** UDP packets the browser network's firewall dropped so far. */
  droppedUdpPackets(): number;
  dispose(): void;
}

/** Why such a network cannot be made here, or undefined when it can (root, `ip netns`, `nft`). */
export function udpBlockedNetworkUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'it needs root (to make a network namespace and firewall rules), and the tests run as another user';
  for (const tool of ['ip', 'nft']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `\`${tool}\` is not installed (Debian's ${tool === 'ip' ? 'iproute2' : 'nftables'} package; npm's pretest installs it as root)`;
  }
  const probe = `polyphony-probe-${process.pid}`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `\`ip netns add\` fails here: ${made.stderr.trim()}`;
  const nft = spawnSync('ip', ['netns', 'exec', probe, 'nft', 'add', 'table', 'inet', 'probe'], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe]);
  if (nft.status !== 0) return `nftables does not work in a network namespace here: ${nft.stderr.trim()}`;
  return undefined;
}

export function createUdpBlockedNetwork(): UdpBlockedNetwork {
  const id = process.pid % 60_000;
  const names = { server: `polyphony-srv-${id}`, browser: `polyphony-udp-${id}` };
  const subnet = `10.213.${id % 250}`;
  const serverAddress = `${subnet}.1`;
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-netns-'));
  const run = (...args: string[]) => execFileSync(args[0] ?? '', args.slice(1), { stdio: 'pipe' });
  const dispose = () => {
    for (const name of Object.values(names)) spawnSync('ip', ['netns', 'del', name]); // the veth pair goes with them
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const name of Object.values(names)) {
      run('ip', 'netns', 'add', name);
      run('ip', '-n', name, 'link', 'set', 'lo', 'up');
    }
    run('ip', 'link', 'add', `pvs${id}`, 'netns', names.server, 'type', 'veth', 'peer', 'name', `pvb${id}`, 'netns', names.browser);
    run('ip', '-n', names.server, 'addr', 'add', `${serverAddress}/30`, 'dev', `pvs${id}`);
    run('ip', '-n', names.server, 'link', 'set', `pvs${id}`, 'up');
    run('ip', '-n', names.browser, 'addr', 'add', `${subnet}.2/30`, 'dev', `pvb${id}`);
    run('ip', '-n', names.browser, 'link', 'set', `pvb${id}`, 'up');
    const rules = join(dir, 'drop-udp.nft');
    writeFileSync(rules, DROP_UDP);
    run('ip', 'netns', 'exec', names.browser, 'nft', '-f', rules);
    const chromiumPath = join(dir, 'chromium-in-namespace');
    // Playwright talks to Chromium over inherited pipes (fds 3 and 4), which `ip netns exec` keeps.
    writeFileSync(chromiumPath, `#!/bin/sh\nexec ip netns exec ${names.browser} ${CHROMIUM_PATH} "$@"\n`);
    chmodSync(chromiumPath, 0o755);
    return { serverAddress, serverLauncher: ['ip', 'netns', 'exec', names.server], chromiumPath, droppedUdpPackets: () => droppedUdp(names.browser), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

const DROP_UDP = `table inet polyphony_test {
  chain output { type filter hook output priority filter; policy accept; meta l4proto udp counter drop; }
  chain input { type filter hook input priority filter; policy accept; meta l4proto udp counter drop; }
}
`;

function droppedUdp(namespace: string): number {
  const listed = execFileSync('ip', ['netns', 'exec', namespace, 'nft', 'list', 'table', 'inet', 'polyphony_test'], { encoding: 'utf8' });
  return [...listed.matchAll(/counter packets (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}
