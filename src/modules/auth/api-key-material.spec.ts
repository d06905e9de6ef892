import { FOREIGN_KEY_PREFIX, generateApiKey, hashApiKey, keyPrefix } from './api-key-material';

describe('api key material', () => {
  it("shows a generated key's own prefix", () => {
    const { key, prefix } = generateApiKey();
    expect(keyPrefix(key)).toBe(prefix);
    expect(prefix).toMatch(/^fw_[A-Za-z0-9_-]{8}$/);
    expect(keyPrefix('fw_abcdEFGH_0123456789012345678901234567890123456789012')).toBe('fw_abcdEFGH');
  });

  it('shows nothing of a key in another format (an operator-chosen ADMIN_API_KEY)', () => {
    const admin = 'Qz7Hx4mPw9Lk2vNc8Rt5Yb3Jd6Gf1Sa0';
    expect(keyPrefix(admin)).toBe(FOREIGN_KEY_PREFIX);
    expect(keyPrefix('fw_short')).toBe(FOREIGN_KEY_PREFIX); // not our format either
    for (let i = 0; i + 6 <= admin.length; i++) expect(keyPrefix(admin)).not.toContain(admin.slice(i, i + 6));
  });

  it('hashes with SHA-256 (hex)', () => {
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
