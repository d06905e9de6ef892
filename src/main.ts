import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { installProcessGuard } from './common/process-guard';
import { ConfigError, loadConfig } from './config';
import { version } from '../package.json';

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
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const started = process.hrtime.bigint();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  new Logger('Main').log(
    { port: config.port, database: config.databaseUrl ? 'postgresql' : 'pglite', startupMs: Math.round(ms) },
    `Fairwatch listening on http://localhost:${config.port} (docs at /docs)`,
  );
}

void main();
