import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

// OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane); stored with the hash so it can be raised later.
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

/** Argon2id from Node's own crypto (OpenSSL): no native addon to build. Format: `argon2id$m$t$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await argon2Async('argon2id', { message: password, nonce, ...PARAMS });
  return ['argon2id', PARAMS.memory, PARAMS.passes, PARAMS.parallelism, nonce.toString('base64url'), tag.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false (never a throw) for a stored value of the wrong form. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, memory, passes, parallelism, salt, hash] = stored.split('$');
  if (algorithm !== 'argon2id' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await argon2Async('argon2id', {
    message: password,
    nonce: Buffer.from(salt, 'base64url'),
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
