/**
 * `npm start`'s entry: reads the configuration, starts opening the embedded database (PGlite reads its files
 * and compiles its WebAssembly in the background), and only then loads the application's ~2,000 modules
 * (src/startup/serve.ts), so that the two overlap rather than add up on a restart.
 */
import type { AppConfig } from './config';
import { ConfigError, loadConfig } from './config';
import { DataDirLockedError } from './database/data-dir-lock';
import { preopenEmbeddedDatabase } from './database/data-source-options';
import { version } from '../package.json';

/** Exit codes (sysexits.h) for start-up failures that are the operator's to fix, not crashes. */
const EX_CONFIG = 78;
const EX_TEMPFAIL = 75;

function exit(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function main(): void {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, version);
  } catch (err) {
    if (err instanceof ConfigError) exit(EX_CONFIG, err.message);
    throw err;
  }
  try {
    preopenEmbeddedDatabase(config);
  } catch (err) {
    // Another process serves this data directory: refuse at once, before touching any of its files.
    if (err instanceof DataDirLockedError) exit(EX_TEMPFAIL, err.message);
    throw err;
  }
  // Loaded here, not imported above: imports would all load before PGlite could start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { serve } = require('./startup/serve') as typeof import('./startup/serve');
  void serve(config);
}

main();
