import { createHash, randomBytes } from 'node:crypto';

/** Keys look like `fw_<8 chars prefix>_<43 chars secret>`: 256 random bits, base64url. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `fw_${randomBytes(6).toString('base64url').slice(0, 8)}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** What is stored: SHA-256 of the key. Keys carry 256 bits of entropy, so a fast hash is sufficient. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What lists show as the prefix of a key that is not in our format (an operator's ADMIN_API_KEY). */
export const FOREIGN_KEY_PREFIX = 'ADMIN_API_KEY';

/**
 * The visible prefix of a key: `fw_<8 chars>` for our keys (random, chosen to be shown). A key in any other
 * format (ADMIN_API_KEY is the operator's choice) shows nothing of itself: its first characters may be most
 * of a guessable secret.
 */
export function keyPrefix(key: string): string {
  return /^(fw_[A-Za-z0-9_-]{8})_/.exec(key)?.[1] ?? FOREIGN_KEY_PREFIX;
}
