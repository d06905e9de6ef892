import { publicBaseUrl, startupLines } from './startup-lines';

const base = { host: '0.0.0.0', databaseUrl: null, dataDir: '/srv/fairwatch/data', version: '0.1.0' };

describe('startupLines', () => {
  it('ends with the console, docs and health URLs, and how to get a first key when none is configured', () => {
    const lines = startupLines({ ...base, adminApiKey: null }, 3000, { processMs: 2345.6, nestMs: 1200 }).map(
      (l) => l.msg,
    );
    expect(lines).toEqual([
      'Fairwatch 0.1.0 ready in 2.3 s on embedded PGlite in /srv/fairwatch/data',
      'Console:  http://localhost:3000/',
      'API docs: http://localhost:3000/docs (OpenAPI document http://localhost:3000/openapi.json)',
      'Health:   http://localhost:3000/health',
      expect.stringContaining('No ADMIN_API_KEY: to get a first admin key, restart with one'),
    ]);
    expect(lines[4]).toContain('ADMIN_API_KEY=$(openssl rand -hex 32) npm start');
  });

  it('says the key is ready, and never prints it, when ADMIN_API_KEY is set', () => {
    const secret = 'a-secret-admin-key-of-32-characters!';
    const lines = startupLines({ ...base, adminApiKey: secret }, 8080, { processMs: 900, nestMs: 400 });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('No ADMIN_API_KEY');
    expect(lines.at(-1)?.msg).toContain('ADMIN_API_KEY is ready');
    expect(lines[3]?.msg).toBe('Health:   http://localhost:8080/health');
  });

  it('names PostgreSQL without its URL (which may hold a password) and keeps the measured time as a field', () => {
    const lines = startupLines(
      { ...base, databaseUrl: 'postgres://u:hunter2@db:5432/fw', adminApiKey: null },
      3000,
      { processMs: 731.4, nestMs: 402.5 },
    );
    expect(lines[0]).toEqual({
      msg: 'Fairwatch 0.1.0 ready in 0.7 s on PostgreSQL',
      fields: { port: 3000, database: 'postgresql', startupMs: 731, nestMs: 403 },
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});

describe('publicBaseUrl', () => {
  it('shows a wildcard bind as localhost and keeps a named host', () => {
    expect(publicBaseUrl('0.0.0.0', 3000)).toBe('http://localhost:3000');
    expect(publicBaseUrl('::', 3000)).toBe('http://localhost:3000');
    expect(publicBaseUrl('127.0.0.1', 4000)).toBe('http://127.0.0.1:4000');
    expect(publicBaseUrl('::1', 4000)).toBe('http://[::1]:4000');
    expect(publicBaseUrl('fairwatch.internal', 80)).toBe('http://fairwatch.internal:80');
  });
});
