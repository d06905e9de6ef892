import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { installProcessGuard } from './common/process-guard';
import { ConfigError, loadConfig } from './config';
import { DataDirLockedError } from './database/data-dir-lock';
import { ComputeService } from './modules/compute/compute.service';
import { startupLines } from './startup/startup-lines';
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
  void app.get(ComputeService).warmUp();
  await app.listen(config.port, config.host);
  const nestMs = Number(process.hrtime.bigint() - started) / 1e6;
  const address: unknown = app.getHttpServer().address();
  const port =
    typeof address === 'object' && address !== null ? (address as { port: number }).port : config.port;
  const logger = new Logger('Main');
  // Timed from the process's start: loading modules is a large part of a restart.
  const timing = { processMs: process.uptime() * 1000, nestMs };
  for (const line of startupLines(config, port, timing)) logger.log(line.fields, line.msg);
}

void main();
