import { admin, TEMPLATE_ENV, testServerUrl } from './support/test-database';

/** Drops this run's template and every database cloned from it. */
export default async function globalTeardown(): Promise<void> {
  const server = testServerUrl();
  const template = process.env[TEMPLATE_ENV];
  if (!server || !template) return;
  const prefix = template.replace(/_tmpl$/, '');
  await admin(server, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
