import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import type { Role } from '../../src/common/request-context';
import { loadConfig, type AppConfig } from '../../src/config';
import { freshDatabase, testServerUrl } from './test-database';

export const ADMIN_KEY = 'e2e-admin-key-0123456789abcdefghij';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  dataSource: DataSource;
  database: 'postgresql' | 'pglite';
  /** Authorization header for `key`, by default the bootstrap admin key. */
  auth: (key?: string) => { Authorization: string };
  /** POST /v1/api-keys as the bootstrap admin (expects 201): the new key's `{id, key, ...}`. */
  createKey: (role: Role, name?: string) => Promise<{ id: string; key: string; prefix: string }>;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule (same bootstrap as main.ts) on a fresh database: a new PostgreSQL database with
 * TEST_DATABASE_URL, else in-memory PGlite (or `pglite: true` to force the embedded path).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { pglite?: boolean; dataDir?: string } = {},
): Promise<TestApp> {
  const server = opts.pglite ? null : testServerUrl();
  const config = loadConfig(
    {
      LOG_LEVEL: 'silent',
      ADMIN_API_KEY: ADMIN_KEY,
      FAIRWATCH_DATA_DIR: opts.dataDir ?? ':memory:',
      RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000', // every suite's requests come from one address
      ...(server ? { DATABASE_URL: await freshDatabase(server) } : {}),
      ...env,
    },
    'test',
  );
  const app = await createApp(config);
  await app.init();
  const http = request(app.getHttpServer());
  const auth = (key = ADMIN_KEY) => ({ Authorization: `Bearer ${key}` });
  return {
    app,
    http,
    config,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    database: server ? 'postgresql' : 'pglite',
    auth,
    createKey: async (role, name = role) =>
      (await http.post('/v1/api-keys').set(auth()).send({ name, role }).expect(201)).body as {
        id: string;
        key: string;
        prefix: string;
      },
    close: () => app.close(),
  };
}
