import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/**
 * A minimal TURN reachability probe (RFC 8656 over RFC 8489): one Allocate request without credentials.
 * A TURN server that is there answers it with an Allocate error 401 (Unauthorized, asking for credentials);
 * anything else, or silence, means browsers will not get a relay there either. No credentials are needed,
 * and nothing is allocated.
 */
export type TurnAnswer =
  | { kind: 'answered'; errorCode: number | undefined }
  | { kind: 'failed'; reason: string };

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const ATTR_REQUESTED_TRANSPORT = 0x0019;
const ATTR_ERROR_CODE = 0x0009;
const HEADER_BYTES = 20;
const UDP_PROTOCOL = 17;

/** Sends the Allocate request over UDP and waits for the answer with the same transaction id. */
export function probeTurnUdp(host: string, port: number, timeoutMs: number): Promise<TurnAnswer> {
  const { request, transactionId } = allocateRequest();
  return new Promise((done) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const finish = (answer: TurnAnswer): void => {
      clearTimeout(timer);
      socket.close();
      done(answer);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('message', (message) => {
      const answer = readAllocateAnswer(message, transactionId);
      if (answer) finish(answer);
    });
    socket.once('error', (error) => finish({ kind: 'failed', reason: error.message }));
    socket.send(request, port, host);
  });
}

/**
 * Opens TLS as a browser would (the certificate checked against `servername`, unless `tls` says otherwise),
 * then sends the Allocate request over it. A handshake failure is reported as such: the usual faults are
 * a port not routed to TURN, or a certificate that does not name the TURN domain.
 */
export function probeTurnTls(host: string, port: number, servername: string, timeoutMs: number, tls: ConnectionOptions = {}): Promise<TurnAnswer> {
  const { request, transactionId } = allocateRequest();
  return new Promise((done) => {
    let received = Buffer.alloc(0);
    const socket = tlsConnect({ host, port, servername, ...tls }, () => socket.write(request));
    const finish = (answer: TurnAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      done(answer);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // Over a stream, STUN messages follow each other framed by their own length field.
      if (received.length < HEADER_BYTES || received.length < HEADER_BYTES + received.readUInt16BE(2)) return;
      finish(readAllocateAnswer(received, transactionId) ?? { kind: 'failed', reason: 'the answer over TLS is not a TURN answer' });
    });
    socket.once('error', (error) => finish({ kind: 'failed', reason: error.message }));
    socket.once('end', () => finish({ kind: 'failed', reason: 'the connection closed without an answer' }));
  });
}

function allocateRequest(): { request: Buffer; transactionId: Buffer } {
  const transactionId = randomBytes(12);
  const request = Buffer.alloc(HEADER_BYTES + 8);
  request.writeUInt16BE(ALLOCATE_REQUEST, 0);
  request.writeUInt16BE(8, 2); // one attribute: 4 bytes of header, 4 of value
  request.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(request, 8);
  request.writeUInt16BE(ATTR_REQUESTED_TRANSPORT, 20);
  request.writeUInt16BE(4, 22);
  request.writeUInt8(UDP_PROTOCOL, 24); // then three reserved zero bytes
  return { request, transactionId };
}

/** The Allocate answer in `message` for our transaction; undefined for anything else (stray packets). */
function readAllocateAnswer(message: Buffer, transactionId: Buffer): TurnAnswer | undefined {
  if (message.length < HEADER_BYTES || message.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  if (!message.subarray(8, 20).equals(transactionId)) return undefined;
  const type = message.readUInt16BE(0);
  if (type === ALLOCATE_SUCCESS) return { kind: 'answered', errorCode: undefined };
  if (type !== ALLOCATE_ERROR) return undefined;
  return { kind: 'answered', errorCode: errorCodeOf(message.subarray(HEADER_BYTES, HEADER_BYTES + message.readUInt16BE(2))) };
}

function errorCodeOf(attributes: Buffer): number | undefined {
  for (let at = 0; at + 4 <= attributes.length; ) {
    const type = attributes.readUInt16BE(at);
    const length = attributes.readUInt16BE(at + 2);
    if (type === ATTR_ERROR_CODE && length >= 4) return (attributes.readUInt8(at + 6) & 0x07) * 100 + attributes.readUInt8(at + 7);
    at += 4 + Math.ceil(length / 4) * 4; // attribute values are padded to 4 bytes
  }
  return undefined;
}
