import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { ComputeService } from './modules/compute/compute.service';
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
  void app.get(ComputeService).warmUp();
  await app.listen(config.port, config.host);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  new Logger('Main').log(
    { port: config.port, database: config.databaseUrl ? 'postgresql' : 'pglite', startupMs: Math.round(ms) },
    `Fairwatch listening on http://localhost:${config.port} (docs at /docs)`,
  );
}

void main();
