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

/** The visible prefix of any key (for a bootstrap key that is not in our format: its first 8 characters). */
export function keyPrefix(key: string): string {
  const m = /^(fw_[A-Za-z0-9_-]{8})_/.exec(key);
  return m?.[1] ?? `${key.slice(0, 8)}…`;
}
