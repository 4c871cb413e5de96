import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import type { CertFiles } from './selfSignedCert.ts';

const DEPLOY = resolve(import.meta.dirname, '../../deploy/nginx');

/** Debian's nginx (package nginx-light or nginx; .ci/run installs it), or undefined where it is absent. */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface NginxSetup {
  dir: string;
  cert: CertFiles;
  /** The app's plain-http port on loopback (the shipped file says 8080). */
  upstreamPort: number;
  httpsPort: number;
  httpPort: number;
}

/**
 * The shipped deploy/nginx files as they would be installed, with only the host-specific parts swapped:
 * loopback ports for 443/80/8080, the test's certificate, and pid, logs and temp files in `dir`.
 * Returns the path of a complete nginx.conf.
 */
export function writeNginxConfig(setup: NginxSetup): string {
  const site = (file: string) =>
    readFileSync(join(DEPLOY, file), 'utf8')
      .replace(/^\s*listen \[::\]:.*$/gm, '') // the test machine may have no IPv6
      .replaceAll('listen 443 ', `listen 127.0.0.1:${setup.httpsPort} `)
      .replaceAll('listen 80;', `listen 127.0.0.1:${setup.httpPort};`)
      .replace(/\/etc\/letsencrypt\/live\/[^;]+\/fullchain\.pem/g, setup.cert.cert)
      .replace(/\/etc\/letsencrypt\/live\/[^;]+\/privkey\.pem/g, setup.cert.key)
      .replaceAll('server 127.0.0.1:8080;', `server 127.0.0.1:${setup.upstreamPort};`);
  const sites = join(setup.dir, 'sites');
  mkdirSync(sites, { recursive: true });
  writeFileSync(join(sites, 'polyphony.conf'), site('polyphony.conf'));
  writeFileSync(join(sites, 'livekit.conf'), site('livekit.conf'));
  const config = join(setup.dir, 'nginx.conf');
  const temp = (name: string) => join(setup.dir, name);
  writeFileSync(
    config,
    `# Workers keep the test's own user (root in CI), so they can use its private temp directory.
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${temp('access.log')};
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  # polyphony.conf first: its server is the default for requests to a bare address, as the test makes.
  include ${sites}/polyphony.conf;
  include ${sites}/livekit.conf;
}
`,
  );
  return config;
}

/** `nginx -t` on `config`: resolves with its output when the configuration is valid, throws it otherwise. */
export function nginxTest(nginx: string, config: string, dir: string): string {
  try {
    return execFileSync(nginx, ['-t', '-e', join(dir, 'error.log'), '-c', config], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`nginx -t failed:\n${stderr}`);
  }
}

/** Runs nginx in the foreground on `config` until the returned stop() ends it (SIGQUIT: a graceful stop). */
export async function startNginx(nginx: string, config: string, dir: string, port: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn(nginx, ['-e', join(dir, 'error.log'), '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await untilListening(port, exited, () => `nginx exited before listening:\n${stderr}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

/** Resolves once something accepts connections on loopback `port`; fails if `exited` settles first. */
async function untilListening(port: number, exited: Promise<void>, why: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(why());
    if (await accepts(port)) return;
    await Promise.race([exited, new Promise((tick) => setTimeout(tick, 50))]);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}
