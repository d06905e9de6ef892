import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { installProcessGuard } from './common/process-guard';
import { ConfigError, loadConfig } from './config';
import { DataDirLockedError } from './database/data-dir-lock';
import { version } from '../package.json';

/** Exit codes (sysexits.h) for start-up failures that are the operator's to fix, not crashes. */
const EX_CONFIG = 78;
const EX_TEMPFAIL = 75;

async function main(): Promise<void> {
  // A stream error without a listener is logged and survived; any other uncaught error still exits (status 1)
  // after a fatal log: see process-guard.ts for why.
  const guardLog = new Logger('ProcessGuard');
  installProcessGuard({
    error: (details, message) => guardLog.error(details, message),
    fatal: (details, message) => guardLog.fatal(details, message),
  });
  let config;
  try {
    config = loadConfig(process.env, version);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
  const started = process.hrtime.bigint();
  let app;
  try {
    app = await createApp(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      // Another process serves this data directory: refuse at once, before touching any of its files.
      process.stderr.write(`${err.message}\n`);
      process.exit(EX_TEMPFAIL);
    }
    throw err;
  }
  await app.listen(config.port, config.host);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  new Logger('Main').log(
    { port: config.port, database: config.databaseUrl ? 'postgresql' : 'pglite', startupMs: Math.round(ms) },
    `Fairwatch listening on http://localhost:${config.port} (docs at /docs)`,
  );
}

void main();
