import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * e2e databases. With TEST_DATABASE_URL every test file gets a fresh database cloned from a template that
 * global-setup migrated once with the real migrations; without it, the app runs on an in-memory PGlite.
 */
export const TEMPLATE_ENV = 'FAIRWATCH_E2E_TEMPLATE';

export function testServerUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL;
  return url && url.trim() !== '' ? url : null;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function admin<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database cloned from the migrated template; returns its URL. */
export async function freshDatabase(serverUrl: string): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('global-setup did not prepare a template database');
  const name = `${template.replace(/_tmpl$/, '')}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return withDatabase(serverUrl, name);
}
