import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { startupLines } from './startup/startup-lines';
import { version } from '../package.json';

async function main(): Promise<void> {
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
