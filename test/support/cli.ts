import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

/**
 * Compiles src/cli (and what it imports) with tsc into `<out>/dist` and copies bin/fairwatch.js next to it, so
 * a test runs the CLI as a user does; returns the bin's path. `node_modules` must be reachable from `out`
 * (a symlink in `out` or in a parent folder).
 */
export async function buildCli(out: string): Promise<string> {
  mkdirSync(join(out, 'bin'), { recursive: true });
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      extends: resolve(ROOT, 'tsconfig.json'),
      compilerOptions: {
        rootDir: ROOT,
        outDir: join(out, 'dist'),
        types: ['node'],
        sourceMap: false,
        incremental: false,
      },
      include: [],
      files: [resolve(ROOT, 'src/cli/main.ts')],
    }),
  );
  await promisify(execFile)(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', out]);
  copyFileSync(resolve(ROOT, 'bin/fairwatch.js'), join(out, 'bin/fairwatch.js'));
  return join(out, 'bin/fairwatch.js');
}
