/**
 * Every example in README.md's "Examples" and "Command-line tool" sections, run exactly as written against a
 * real listening server on PostgreSQL: bash for curl and the CLI (`npx fairwatch` runs bin/fairwatch.js over a
 * fresh compile of src/cli), python3 with pandas + requests, and the TypeScript client example type-checked
 * with tsc and run with @swc-node/register. Each example is the fenced block after an
 * `<!-- example: NAME -->` marker; an `<!-- output: NAME -->` block after it must equal what the example
 * printed (ids aside). The examples share one working directory holding compas_for_aequitas.csv and run in
 * README order, so later ones see what earlier ones made (the model compas@1.0.0, report.pdf).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMPAS_CSV } from './support/datasets';
import { buildCli } from './support/cli';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const COMPAS = COMPAS_CSV;
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

interface Example {
  name: string;
  language: string;
  code: string;
  expectedExit: number;
  output?: string;
}

/** The marked blocks of the README sections this suite owns. */
function parseExamples(markdown: string): { examples: Example[]; unmarkedBlocks: number } {
  const section = markdown.slice(markdown.indexOf('\n## Examples'));
  const examples: Example[] = [];
  const outputs = new Map<string, string>();
  let unmarkedBlocks = 0;
  const block = /(?:<!-- (example|output): ([\w-]+)((?: \w+=\S+)*) -->\n)?```(\w*)\n([\s\S]*?)```/g;
  for (const m of section.matchAll(block)) {
    const [, kind, name, attrs, language, code] = m;
    if (!kind || !name) {
      unmarkedBlocks++;
      continue;
    }
    if (kind === 'output') {
      outputs.set(name, code ?? '');
      continue;
    }
    const exit = /exit=(\d+)/.exec(attrs ?? '')?.[1];
    examples.push({ name, language: language ?? '', code: code ?? '', expectedExit: Number(exit ?? 0) });
  }
  for (const e of examples) if (outputs.has(e.name)) e.output = outputs.get(e.name);
  return { examples, unmarkedBlocks };
}

const { examples, unmarkedBlocks } = parseExamples(README);

/** Ids, hashes and timestamps differ from run to run. */
const normalize = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** The first python3 that has pandas and requests (PYTHON, then PATH, then Debian's /usr/bin/python3). */
function findPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c): c is string => typeof c === 'string' && c !== '',
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import pandas, requests'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('README examples run as written', () => {
  let t: TestApp;
  let dir: string;
  let env: Record<string, string>;

  const run = (command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> =>
    new Promise((done, reject) => {
      const child = spawn(command, args, {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, ...env, ...extraEnv },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-readme-'));
    // As in the repository root: node_modules, src (the client import) and the data file.
    symlinkSync(resolve(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    symlinkSync(resolve(ROOT, 'src'), join(dir, 'src'), 'dir');
    copyFileSync(COMPAS, join(dir, 'compas_for_aequitas.csv'));
    let bin: string;
    [t, bin] = await Promise.all([startTestApp(), buildCli(join(dir, 'cli'))]);
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    env = {
      FAIRWATCH_URL: `http://127.0.0.1:${port}`,
      FAIRWATCH_API_KEY: ADMIN_KEY,
      FAIRWATCH_TEST_BIN: bin,
    };
  }, 240_000); // compiles the CLI with tsc: ~20 s alone, minutes on a loaded 2-core machine
  afterAll(async () => {
    await t?.close(); // undefined when beforeAll failed
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every example the README shows, each marked', () => {
    expect(t.database).toBe(process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite');
    expect(examples.map((e) => `${e.name}:${e.language}`)).toEqual([
      'curl:bash',
      'python:python',
      'typescript:ts',
      'cli-audit:bash',
      'cli-gate:bash',
      'cli-jobs:bash',
    ]);
    expect(unmarkedBlocks).toBe(0);
  });

  /** `npx fairwatch` → the freshly built bin; any other npx call goes to the real npx. */
  const BASH_PRELUDE =
    'npx() { if [ "$1" = fairwatch ]; then shift; node "$FAIRWATCH_TEST_BIN" "$@"; else command npx "$@"; fi; }\n';

  async function execute(example: Example): Promise<Run> {
    switch (example.language) {
      case 'bash':
        return run('bash', ['-eo', 'pipefail', '-c', BASH_PRELUDE + example.code]);
      case 'python': {
        const python = findPython();
        if (python === null)
          throw new Error(
            'No python3 with pandas and requests: run .ci/install-python-deps (Debian packages).',
          );
        writeFileSync(join(dir, 'example.py'), example.code);
        return run(python, ['example.py']);
      }
      case 'ts': {
        writeFileSync(join(dir, 'example.ts'), example.code);
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify({
            extends: resolve(ROOT, 'tsconfig.json'),
            compilerOptions: { rootDir: dir, noEmit: true, types: ['node'], preserveSymlinks: false },
            include: [],
            files: ['example.ts'],
          }),
        );
        const typecheck = await run(process.execPath, [
          resolve(ROOT, 'node_modules/typescript/bin/tsc'),
          '-p',
          dir,
        ]);
        expect(typecheck.stdout + typecheck.stderr).toBe('');
        return run(process.execPath, ['-r', '@swc-node/register', 'example.ts']);
      }
      default:
        throw new Error(`no runner for ${example.language}`);
    }
  }

  const results = new Map<string, Run>();

  for (const example of examples) {
    it(`runs the ${example.name} example (exit ${example.expectedExit})${example.output !== undefined ? ' and prints what the README shows' : ''}`, async () => {
      const result = await execute(example);
      results.set(example.name, result);
      if (result.code !== example.expectedExit)
        throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
      if (example.output !== undefined) expect(normalize(result.stdout)).toBe(normalize(example.output));
    });
  }

  it('prints the published COMPAS numbers in every language (compas-reference.md)', () => {
    // African-American: n 3696, FPR .4485, selection rate .5882; Caucasian FPR .2345; Female n 1395.
    expect(results.get('curl')?.stdout).toContain('African-American\t3696\t0.4485\n');
    expect(results.get('curl')?.stdout).toContain('Caucasian\t2454\t0.2345\n');
    expect(results.get('python')?.stdout).toMatch(
      /race\s+African-American\s+3696\s+0\.5882\s+0\.4485\s+0\.7201/,
    );
    expect(results.get('python')?.stdout).toMatch(/sex\s+Female\s+1395\s+0\.4237\s+0\.3211\s+0\.6084/);
    expect(results.get('typescript')?.stdout).toContain('African-American: n=3696 FPR=0.4485');
    expect(results.get('cli-audit')?.stdout).toMatch(
      /race\s+African-American\s+3696\s+0\.5882\s+0\.4485\s+0\.7201/,
    );
    expect(results.get('cli-gate')?.stdout).toMatch(/29 CFR 1607\.4\(D\)\s+FAIL/);
  });

  it('leaves a signed report.pdf that verifies', () => {
    const jobs = results.get('cli-jobs');
    expect(jobs?.stdout).toMatch(/\scompas\s+1\.0\.0\s/);
    expect(jobs?.stdout).toMatch(/^VALID: report [0-9a-f-]{36} signed /m);
    expect(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
