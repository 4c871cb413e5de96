import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The configuration the repository ships for HAProxy (README: "Several instances"). */
export const SHIPPED_HAPROXY_CONFIG = resolve(import.meta.dirname, '../../deploy/haproxy/polyphony.cfg');

/** An instance behind the load balancer, as HAProxy names and reaches it. */
export interface HaproxyBackendServer {
  name: string;
  host: string;
  port: number;
}

export interface LoopbackHaproxyOptions {
  /** The one plain-http port HAProxy listens on (127.0.0.1), instead of the shipped :443 and :80. */
  port: number;
  servers: readonly HaproxyBackendServer[];
  /** Where the process-wide files go that the shipped file puts in system paths (the admin socket). */
  runDir: string;
  /** Connections HAProxy accepts in all (2000 unless given: each takes two of the process's file descriptors). */
  maxconn?: number;
}

/**
 * The shipped configuration as it runs on loopback for tests and `npm run cluster`: the same defaults,
 * health checks, timeouts and routing, with only the host-specific parts swapped. It runs in the
 * foreground as the calling user (no chroot, user, daemon, syslog) with a small maxconn, listens on one plain-http port (no
 * certificate, so no redirect to https), and lists `servers` in both backends instead of the examples.
 */
export function loopbackHaproxyConfig(options: LoopbackHaproxyOptions, shipped = readFileSync(SHIPPED_HAPROXY_CONFIG, 'utf8')): string {
  const serverLines = (indent: string) => options.servers.map((server) => `${indent}server ${server.name} ${server.host}:${server.port}`).join('\n');
  let config = shipped
    .replace(/^\s*(chroot|user|group|daemon|log \/dev\/log)\b.*\n/gm, '')
    .replace(/^(\s*)stats socket \S+/m, `$1stats socket ${options.runDir}/admin.sock`)
    // A test machine's (or a container's) file limit is lower than what the shipped maxconn needs.
    .replace(/^(\s*)maxconn \d+/m, `$1maxconn ${options.maxconn ?? 2000}`)
    .replace(/^\s*http-request redirect scheme https.*\n/m, '');
  const binds = /^(\s*)bind .*\n(?:\s*bind .*\n)*/m;
  if (!binds.test(config)) throw new Error('the shipped HAProxy configuration has no bind line');
  config = config.replace(binds, (_match, indent: string) => `${indent}bind 127.0.0.1:${options.port}\n`);
  // Each backend's example servers (consecutive `server` lines) become the given ones.
  config = config.replace(/^(\s*)server .*\n(?:\s*server .*\n)*/gm, (_match, indent: string) => `${serverLines(indent)}\n`);
  return config;
}
