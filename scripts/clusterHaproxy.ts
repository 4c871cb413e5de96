/**
 * A minimal HAProxy configuration for `npm run cluster` on loopback: health checks on /healthz, WebSocket
 * upgrades passed through, and every socket of one shared document (`/sync/<doc>`) sent to the same instance
 * (consistent hash of the path), the others round-robin. Until the shipped deploy/ configuration lands, this
 * is the local cluster's own; it is written into the cluster's temporary directory on every start.
 */
export interface HaproxyInput {
  /** The port browsers use, on 127.0.0.1. */
  port: number;
  /** The instances' ports, on 127.0.0.1. */
  instancePorts: number[];
}

export function renderHaproxyConfig({ port, instancePorts }: HaproxyInput): string {
  const servers = (check: string) => instancePorts.map((p, i) => `  server polyphony${i + 1} 127.0.0.1:${p} ${check}`);
  const check = 'check inter 1s fall 2 rise 2';
  return [
    '# Written by scripts/cluster.ts on every start.',
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    // A WebSocket (sync, LiveKit's signalling proxy) idles between messages for longer than a request would.
    '  timeout tunnel 1h',
    '  option http-server-close',
    '  option redispatch',
    '  retries 2',
    'frontend polyphony',
    `  bind 127.0.0.1:${port}`,
    '  use_backend sync if { path_beg /sync/ }',
    '  default_backend app',
    'backend app',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    ...servers(check),
    'backend sync',
    '  # One document, one instance: the hash of the path (without the ticket in the query) picks it.',
    '  balance uri',
    '  hash-type consistent',
    '  option httpchk GET /healthz',
    ...servers(check),
    '',
  ].join('\n');
}
