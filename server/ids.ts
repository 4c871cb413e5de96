import { randomBytes } from 'node:crypto';

/** 128 random bits in base64url: the {@link RandomId} format of shared/api/ids.ts. */
export function newRandomId(): string {
  return randomBytes(16).toString('base64url');
}
