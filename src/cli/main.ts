#!/usr/bin/env node
/** The `fairwatch` command (bin/fairwatch.js loads the compiled form of this file). */
import { runCli } from './program';

runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
