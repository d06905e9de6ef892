/**
 * Writes the OpenAPI document of the real application to openapi.json (or the path given as the first
 * argument): `npm run openapi:generate`. The app is created exactly as main.ts creates it, on an in-memory
 * embedded database, so no PostgreSQL and no ./data directory are needed; nothing listens.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument, createApp } from '../bootstrap';
import { loadConfig } from '../config';
import { version } from '../../package.json';
import { serializeOpenApiDocument } from './openapi-document';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'openapi.json');
  const config = loadConfig({ FAIRWATCH_DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }, version);
  const app = await createApp(config);
  try {
    writeFileSync(out, serializeOpenApiDocument(buildOpenApiDocument(app, config)));
  } finally {
    await app.close();
  }
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
