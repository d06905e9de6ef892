import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { admin, TEMPLATE_ENV, testServerUrl, withDatabase } from './support/test-database';

/** With TEST_DATABASE_URL: create and migrate this run's template database (real migrations, real PostgreSQL). */
export default async function globalSetup(): Promise<void> {
  const server = testServerUrl();
  if (!server) return;
  const template = `fw_e2e_${process.pid}_${Date.now().toString(36)}_tmpl`;
  await admin(server, (c) => c.query(`CREATE DATABASE "${template}"`));
  const ds = new DataSource({
    type: 'postgres',
    url: withDatabase(server, template),
    migrations: MIGRATIONS,
    installExtensions: false,
  });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  process.env[TEMPLATE_ENV] = template;
}
