import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from '../bootstrap';
import { installProcessGuard } from '../common/process-guard';
import type { AppConfig } from '../config';
import { ComputeService } from '../modules/compute/compute.service';
import { ReportsService } from '../modules/reports/reports.service';
import { startupLines } from './startup-lines';
import { markStartup, startupTimingFields } from './startup-timing';

/**
 * How long after the service answers the optional warm-ups start (the CSV ingest workers, the report fonts):
 * they make the first upload and the first report faster, and would otherwise hold up the first answers of a
 * restart (~0.5 s of CPU on the 2-core project machine).
 */
const WARM_UP_DELAY_MS = 1000;

/** The service as `npm start` runs it (see main.ts): builds the application, listens, logs where it is. */
export async function serve(config: AppConfig): Promise<void> {
  markStartup('modules');
  // A stream error without a listener is logged and survived; any other uncaught error still exits (status 1)
  // after a fatal log: see process-guard.ts for why.
  const guardLog = new Logger('ProcessGuard');
  installProcessGuard({
    error: (details, message) => guardLog.error(details, message),
    fatal: (details, message) => guardLog.fatal(details, message),
  });
  const started = process.hrtime.bigint();
  const app = await createApp(config);
  markStartup('nest');
  await app.listen(config.port, config.host);
  markStartup('listening');
  const nestMs = Number(process.hrtime.bigint() - started) / 1e6;
  setTimeout(() => {
    void app.get(ComputeService).warmUp();
    app.get(ReportsService).warmUp();
  }, WARM_UP_DELAY_MS).unref();
  const address: unknown = app.getHttpServer().address();
  const port =
    typeof address === 'object' && address !== null ? (address as { port: number }).port : config.port;
  const logger = new Logger('Main');
  logger.log(startupTimingFields(), 'Start-up phases (ms since the process started)');
  // Timed from the process's start: loading modules is a large part of a restart.
  const timing = { processMs: process.uptime() * 1000, nestMs };
  for (const line of startupLines(config, port, timing)) logger.log(line.fields, line.msg);
}
