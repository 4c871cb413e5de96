import type { PublicMedia } from './publicMedia.ts';
import { redisHostPort, type RedisAddress } from '../cluster/redisUrl.ts';

export const LOOPBACK = '127.0.0.1';

export interface LiveKitConfigInput {
  port: number;
  rtcUdpPort: number;
  apiKey: string;
  apiSecret: string;
  webhookUrl: string | undefined;
  /** Undefined: reachable from this machine only. */
  public: PublicMedia | undefined;
  /** Set: LiveKit's distributed mode, one node of several sharing rooms through this Redis. */
  redis?: RedisAddress | undefined;
}

const quoted = JSON.stringify; // a JSON string is a valid YAML double-quoted scalar

/**
 * The embedded LiveKit's config file. Every key checked against livekit-server v1.13.5
 * (pkg/config/config.go and mediatransportutil's rtcconfig): LiveKit parses it strictly, and an unknown key
 * stops it at start-up. Signalling stays on loopback in both modes (public clients reach it through
 * Polyphony's `/rtc` proxy); only media ports open up in public mode.
 */
export function renderLiveKitConfig(c: LiveKitConfigInput): string {
  return [
    '# Written by Polyphony on every start; edits are overwritten.',
    `port: ${c.port}`,
    `bind_addresses: [${quoted(LOOPBACK)}]`,
    'rtc:',
    `  udp_port: ${c.rtcUdpPort}`,
    ...(c.public ? publicRtc(c.public) : loopbackRtc(c.port)),
    ...(c.public ? publicTurn(c.public) : ['turn:', '  enabled: false']),
    'room:',
    '  # Rooms are created by Polyphony on a permitted join only, so that a token kept after a meeting',
    '  # ended cannot bring its room back.',
    '  auto_create: false',
    'keys:',
    `  ${quoted(c.apiKey)}: ${quoted(c.apiSecret)}`,
    ...(c.webhookUrl ? ['webhook:', `  api_key: ${quoted(c.apiKey)}`, `  urls: [${quoted(c.webhookUrl)}]`] : []),
    ...(c.redis ? redisBlock(c.redis) : []),
    'logging:',
    '  level: warn',
    '  pion_level: error',
    '  json: true',
    '',
  ].join('\n');
}

function loopbackRtc(signalPort: number): string[] {
  return [
    '  # ICE/TCP stays off: LiveKit binds it on every interface whatever bind_addresses says,',
    '  # and on loopback UDP always gets through.',
    '  tcp_port: 0',
    `  node_ip: ${quoted(LOOPBACK)}`,
    '  use_external_ip: false',
    '  enable_loopback_candidate: true',
    '  # Bind the UDP port on loopback only (by default it binds every local address).',
    '  ips:',
    `    includes: [${quoted(`${LOOPBACK}/32`)}]`,
    '  # Without any STUN server LiveKit hands browsers public ones (Google, Twilio). This address',
    '  # answers no STUN (it is the TCP signalling port), so browsers ask nobody outside.',
    `  stun_servers: [${quoted(`${LOOPBACK}:${signalPort}`)}]`,
  ];
}

function publicRtc(p: PublicMedia): string[] {
  const loopback = p.publicIp !== undefined && p.publicIp.startsWith('127.');
  return [
    '  # ICE over TCP, for networks that drop UDP.',
    `  tcp_port: ${p.rtcTcpPort}`,
    ...(p.publicIp === undefined
      ? ['  # The public address is found through STUN at start-up.', '  use_external_ip: true']
      : [`  node_ip: ${quoted(p.publicIp)}`, '  use_external_ip: false']),
    // Only a public address on loopback (a test on one machine) needs loopback candidates.
    `  enable_loopback_candidate: ${loopback}`,
  ];
}

function publicTurn(p: PublicMedia): string[] {
  const { turn } = p;
  return [
    'turn:',
    '  enabled: true',
    `  domain: ${quoted(turn.domain)}`,
    `  udp_port: ${turn.udpPort}`,
    ...(turn.tlsPort > 0 && turn.certFile && turn.keyFile
      ? [`  tls_port: ${turn.tlsPort}`, `  cert_file: ${quoted(turn.certFile)}`, `  key_file: ${quoted(turn.keyFile)}`]
      : []),
    `  relay_range_start: ${turn.relayPorts.start}`,
    `  relay_range_end: ${turn.relayPorts.end}`,
    ...(turn.allowPeers.length > 0 ? ['  # TURN_ALLOW_PEERS: tests on one machine only.', `  allow_restricted_peer_cidrs: [${turn.allowPeers.map((cidr) => quoted(cidr)).join(', ')}]`] : []),
  ];
}

/**
 * LiveKit's multi-node mode: nodes find each other, place rooms and relay signalling through Redis. A room
 * lives on one node; a participant whose signalling reaches another node is bridged to it.
 */
function redisBlock(r: RedisAddress): string[] {
  return [
    'redis:',
    `  address: ${quoted(redisHostPort(r))}`,
    ...(r.username ? [`  username: ${quoted(r.username)}`] : []),
    ...(r.password ? [`  password: ${quoted(r.password)}`] : []),
    `  db: ${r.db}`,
    ...(r.tls ? ['  use_tls: true'] : []),
  ];
}
