import type { AppConfig } from '../config';

/** One start-up log line: a message, and the fields a JSON log reader can filter on. */
export interface StartupLine {
  msg: string;
  fields: Record<string, string | number>;
}

/** The address a person on this machine types: a wildcard bind (0.0.0.0, ::) is reached as localhost. */
export function publicBaseUrl(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '' || host === '[::]';
  const name = wildcard ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * The last lines of the start-up log: where the console, the API docs and the health check are, and, when no
 * ADMIN_API_KEY was given, how to get a first key (the only way a fresh instance gets one: an admin key is
 * created at start-up from ADMIN_API_KEY; every other key is made with that one through POST /v1/api-keys).
 */
export function startupLines(
  config: Pick<AppConfig, 'host' | 'databaseUrl' | 'dataDir' | 'adminApiKey' | 'version'>,
  port: number,
  timing: { processMs: number; nestMs: number },
): StartupLine[] {
  const base = publicBaseUrl(config.host, port);
  const database = config.databaseUrl
    ? 'PostgreSQL'
    : config.dataDir
      ? `embedded PGlite in ${config.dataDir}`
      : 'embedded PGlite in memory';
  const lines: StartupLine[] = [
    {
      msg: `Fairwatch ${config.version} ready in ${(timing.processMs / 1000).toFixed(1)} s on ${database}`,
      fields: {
        port,
        database: config.databaseUrl ? 'postgresql' : 'pglite',
        startupMs: Math.round(timing.processMs),
        nestMs: Math.round(timing.nestMs),
      },
    },
    { msg: `Console:  ${base}/`, fields: { url: `${base}/` } },
    {
      msg: `API docs: ${base}/docs (OpenAPI document ${base}/openapi.json)`,
      fields: { url: `${base}/docs` },
    },
    { msg: `Health:   ${base}/health`, fields: { url: `${base}/health` } },
  ];
  if (config.adminApiKey) {
    lines.push({
      msg: 'API key: the admin key given in ADMIN_API_KEY is ready (Authorization: Bearer <key>)',
      fields: {},
    });
  } else {
    lines.push({
      msg:
        'No ADMIN_API_KEY: to get a first admin key, restart with one (at least 24 characters), e.g. ' +
        '`ADMIN_API_KEY=$(openssl rand -hex 32) npm start`, then sign in to the console or send ' +
        '`Authorization: Bearer <key>`; make other keys with POST /v1/api-keys',
      fields: {},
    });
  }
  return lines;
}
