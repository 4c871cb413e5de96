import { createHash } from 'node:crypto';

/** How one-time and session tokens are stored: SHA-256, hex. Tokens are random, so no salt or stretching is needed. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
