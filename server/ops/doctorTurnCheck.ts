import { lookup } from 'node:dns/promises';
import type { ConnectionOptions } from 'node:tls';
import type { ServerConfig } from '../config.ts';
import type { PublicMedia } from '../livekit/publicMedia.ts';
import { failed, passed, type DoctorCheck } from './doctor.ts';
import { answersHealthz } from './doctorNetworkChecks.ts';
import { probeTurnTls, probeTurnUdp, type TurnAnswer } from './turnProbe.ts';

/** Where TURN over TLS is tried. Browsers are told `turns:<TURN_DOMAIN>:443`, so that is the default. */
export interface TurnTlsTarget {
  /** Address to connect to instead of TURN_DOMAIN's DNS answer (the certificate is still checked for the domain). */
  connectTo?: string;
  port?: number;
  /** TLS options such as a private CA (tests); by default the system's trusted authorities decide. */
  tls?: ConnectionOptions;
}

/**
 * The embedded LiveKit's TURN, when public mode turns it on: TURN over UDP where browsers are sent
 * (the announced media address, `turn:<MEDIA_PUBLIC_IP>:<TURN_UDP_PORT>`), and TURN over TLS at
 * `TURN_DOMAIN:443` with the certificate checked as a browser would. Each must answer an unauthenticated
 * Allocate with 401. Undefined when TURN is not configured. The embedded TURN runs only while the server
 * does: before the first start the check says so and passes, like the port check.
 */
export async function checkTurn(config: ServerConfig, timeoutMs: number, tlsTarget: TurnTlsTarget = {}): Promise<DoctorCheck | undefined> {
  if (config.livekit.mode !== 'embedded' || config.livekit.public === undefined) return undefined;
  const media = config.livekit.public;
  if (!(await answersHealthz(config.host, config.port, timeoutMs))) {
    return passed('turn', 'Polyphony is not running here, so its embedded TURN was not tried: run doctor again once the server runs.');
  }
  const udp = await checkTurnUdp(media, timeoutMs);
  if (!udp.ok || media.turn.tlsPort === 0) return udp;
  const tls = await checkTurnTls(media, timeoutMs, tlsTarget);
  return tls.ok ? passed('turn', `${udp.detail} ${tls.detail}`) : tls;
}

async function checkTurnUdp(media: PublicMedia, timeoutMs: number): Promise<DoctorCheck> {
  const { udpPort, relayPorts } = media.turn;
  const host = media.publicIp ?? (await resolved(media.turn.domain));
  if (host === undefined) return unresolved(media.turn.domain);
  const where = `${host}:${udpPort} (UDP)`;
  const answer = await probeTurnUdp(host, udpPort, timeoutMs);
  if (isTurn(answer)) return passed('turn', `TURN answers on ${where}${media.turn.tlsPort === 0 ? '; TURN over TLS is off (no certificate).' : '.'}`);
  return failed('turn', `TURN did not answer on ${where}: ${describe(answer)}.`, `Open UDP ${udpPort} and ${relayPorts.start}-${relayPorts.end} to this machine in every firewall in front of it, and set MEDIA_PUBLIC_IP to the address those lead to.`);
}

async function checkTurnTls(media: PublicMedia, timeoutMs: number, target: TurnTlsTarget): Promise<DoctorCheck> {
  const { domain, tlsPort } = media.turn;
  const host = target.connectTo ?? (await resolved(domain));
  if (host === undefined) return unresolved(domain);
  const port = target.port ?? 443;
  const answer = await probeTurnTls(host, port, domain, timeoutMs, target.tls);
  if (isTurn(answer)) return passed('turn', `TURN over TLS answers at ${domain}:${port} with a certificate for that name.`);
  const certificate = answer.kind === 'failed' && /certificate|self.signed|altnames|issuer/i.test(answer.reason);
  return failed(
    'turn',
    `TURN over TLS did not answer at ${domain}:${port}: ${describe(answer)}.`,
    certificate
      ? `Give TURN a certificate from a public authority that names ${domain} (TURN_CERT_FILE and TURN_KEY_FILE, or the TLS_ ones), and restart.`
      : `Route TCP 443 on ${domain} to TURN_TLS_PORT ${tlsPort} (its own address with TURN_TLS_PORT=443, or routing by TLS server name in front) and open it in the firewall.`,
  );
}

/** A TURN server that wants credentials (401) is there; a success without them would be an open relay, still TURN. */
function isTurn(answer: TurnAnswer): boolean {
  return answer.kind === 'answered' && (answer.errorCode === 401 || answer.errorCode === undefined);
}

function describe(answer: TurnAnswer): string {
  return answer.kind === 'failed' ? answer.reason : `it answered with error ${answer.errorCode ?? 'none'}, not 401`;
}

async function resolved(domain: string): Promise<string | undefined> {
  try {
    return (await lookup(domain)).address;
  } catch {
    return undefined;
  }
}

function unresolved(domain: string): DoctorCheck {
  return failed('turn', `The TURN domain ${domain} does not resolve to an address.`, `Add a DNS A record for ${domain} pointing at this machine's public address (or set TURN_DOMAIN to a name that has one).`);
}
