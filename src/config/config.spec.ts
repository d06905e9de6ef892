import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.limits.maxUploadBytes).toBe(536_870_912); // 512 MiB
    expect(c.limits.maxJsonUploadBytes).toBe(67_108_864); // 64 MiB
    expect(c.limits.maxRows).toBe(20_000_000);
    expect(c.limits.maxGroupsPerAttribute).toBe(200);
    expect(c.logLevel).toBe('info');
    expect(c.rateLimit).toEqual({ requestsPerMinute: 600, authFailuresPerMinute: 20 });
    expect(c.trustProxy).toBe(false);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toBe('10.0.0.0/8, loopback');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ AUTH_FAILURES_PER_MINUTE: '5' }).rateLimit.authFailuresPerMinute).toBe(5);
  });

  it('spools uploads under the data dir, or FAIRWATCH_SPOOL_DIR, or a private temp dir when in memory', () => {
    expect(loadConfig({ FAIRWATCH_DATA_DIR: '/srv/fw' }).spoolDir).toBe('/srv/fw/spool');
    expect(loadConfig({ FAIRWATCH_DATA_DIR: '/srv/fw', FAIRWATCH_SPOOL_DIR: '/fast/spool' }).spoolDir).toBe(
      '/fast/spool',
    );
    expect(loadConfig({ FAIRWATCH_DATA_DIR: ':memory:' }).spoolDir).toBeNull();
  });

  it('parses sizes with units', () => {
    expect(loadConfig({ MAX_UPLOAD_SIZE: '64kb' }).limits.maxUploadBytes).toBe(65_536);
    expect(loadConfig({ FAIRWATCH_MAX_JSON_UPLOAD_BYTES: '8mb' }).limits.maxJsonUploadBytes).toBe(8_388_608);
    expect(loadConfig({ MAX_UPLOAD_SIZE: '2GB' }).limits.maxUploadBytes).toBe(2_147_483_648);
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must use postgres/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a valid URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['ADMIN_API_KEY', 'short', /ADMIN_API_KEY must be at least 24/],
    ['MAX_UPLOAD_SIZE', '12 parsecs', /MAX_UPLOAD_SIZE must be a size/],
    ['AUTH_FAILURES_PER_MINUTE', '0', /AUTH_FAILURES_PER_MINUTE must be between 1/],
    ['TRUST_PROXY', 'true', /TRUST_PROXY must be a hop count or proxy addresses, not "true"/],
    ['TRUST_PROXY', 'proxy;rm', /TRUST_PROXY must be a hop count or comma-separated/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
