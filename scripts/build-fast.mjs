#!/usr/bin/env node
// @ts-check
/**
 * `npm start`'s build: transpiles only the files that changed since the last build, with swc (no type check;
 * `npm run typecheck`, `npm run build` and the tests do that). Same layout as `tsc -p tsconfig.build.json`:
 * src/** and migrations/** (no specs) into dist/, plus dist/package.json (main.ts imports its version).
 * The console's ES modules (dist/console-core, `npm run build:console`) are rebuilt with tsc only when one of
 * their sources is newer than its output: tsc alone knows which re-exports are types.
 *
 * Measured on the 2-core project machine under load (see README, Performance):
 * a restart with nothing changed was 16–22 s with `tsc --incremental` (it re-reads every declaration file
 * before it can tell that nothing changed) and is ~0.1 s here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'migrations'];

/** tsconfig.json's emit (decorators with metadata, class fields as assignments, CommonJS) in swc's terms. */
const SWC_OPTIONS = /** @type {import('@swc/core').Options} */ ({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs', ignoreDynamic: true }, // keep import() native (vega is ESM-only)
  sourceMaps: true,
  swcrc: false,
  configFile: false,
});

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** @param {string} file */
const isSource = (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts');
/** @param {string} file */
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1);
/** src/x/y.ts → dist/src/x/y.js */
const outputOf = (/** @type {string} */ file) => join(DIST, relative(ROOT, file)).replace(/\.ts$/, '.js');

async function buildServer() {
  const sources = SOURCE_DIRS.flatMap((d) => listFiles(join(ROOT, d))).filter(isSource);
  const stale = sources.filter((f) => mtime(f) >= mtime(outputOf(f)));
  for (const file of stale) {
    const out = outputOf(file);
    const { code, map } = await transformFile(file, {
      ...SWC_OPTIONS,
      filename: file,
      sourceFileName: relative(dirname(out), file).split(sep).join('/'),
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      map ? `${code}\n//# sourceMappingURL=${out.slice(dirname(out).length + 1)}.map\n` : code,
    );
    if (map) writeFileSync(`${out}.map`, map);
  }
  // A deleted or renamed source leaves no stale module behind (migrations and entities are found by listing).
  const expected = new Set(sources.map(outputOf));
  let removed = 0;
  for (const d of SOURCE_DIRS) {
    for (const out of listFiles(join(DIST, d))) {
      if (!out.endsWith('.js') || expected.has(out)) continue;
      // Outputs of files tsc emits but this build skips (specs) are left alone when their source exists.
      if (existsSync(join(ROOT, relative(DIST, out)).replace(/\.js$/, '.ts'))) continue;
      rmSync(out);
      rmSync(`${out}.map`, { force: true });
      removed++;
    }
  }
  const pkg = join(ROOT, 'package.json');
  if (mtime(pkg) >= mtime(join(DIST, 'package.json'))) copyFileSync(pkg, join(DIST, 'package.json'));
  return { total: sources.length, compiled: stale.length, removed };
}

function buildConsole() {
  const out = join(DIST, 'console-core');
  const outputs = listFiles(out).filter((f) => f.endsWith('.js'));
  const stale =
    !existsSync(join(out, 'reports', 'browser.js')) ||
    outputs.some(
      (o) => mtime(join(ROOT, 'src', 'core', relative(out, o)).replace(/\.js$/, '.ts')) >= mtime(o),
    );
  if (!stale) return false;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.console.json')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return true;
}

const started = process.hrtime.bigint();
const server = await buildServer();
const consoleBuilt = buildConsole();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(
  `build: ${server.compiled} of ${server.total} files transpiled` +
    (server.removed > 0 ? `, ${server.removed} stale removed` : '') +
    (consoleBuilt ? ', console modules rebuilt' : '') +
    ` in ${(ms / 1000).toFixed(2)} s\n`,
);
