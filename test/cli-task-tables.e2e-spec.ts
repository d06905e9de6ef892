/**
 * `fairwatch audit` of a regression and a multiclass file, run as a user runs it (bin/fairwatch.js spawned
 * against a listening server): the tables print figures worked out by hand from the rows written here, and a
 * group of 1 to 10 people shows "<=10" with its figures (and its partner's) suppressed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from './support/cli';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');

/** n rows of group g whose prediction is the target plus `error` (targets 1, 2, 3, …). */
const regressionRows = (g: string, n: number, error: number): string[] =>
  Array.from({ length: n }, (_, i) => `${i + 1},${i + 1 + error},${g}`);

describe('CLI: tables of regression and multiclass audits', () => {
  let t: TestApp;
  let dir: string;
  let bin: string;
  let env: Record<string, string>;

  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((done, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-cli-tasks-'));
    symlinkSync(resolve(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    [t, bin] = await Promise.all([startTestApp(), buildCli(dir)]);
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    env = { FAIRWATCH_URL: `http://127.0.0.1:${port}`, FAIRWATCH_API_KEY: ADMIN_KEY };
  }, 180_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a regression audit: MAE per group, the gap to the reference, small groups suppressed', async () => {
    // A: error +1 (MAE 1, the reference: largest); D: error −3 (MAE 3, gap 3 − 1 = 2); C: 5 people (error
    // +10) print "<=10"; B (30, the smallest group shown) is hidden with it as its partner.
    const csv = [
      'y_true,y_pred,g',
      ...regressionRows('A', 40, 1),
      ...regressionRows('B', 30, 2),
      ...regressionRows('C', 5, 10),
      ...regressionRows('D', 35, -3),
    ].join('\n');
    writeFileSync(join(dir, 'los.csv'), csv);
    const r = await run([
      'audit',
      'los.csv',
      '--model',
      'los@1',
      '--attrs',
      'g',
      '--task',
      'regression',
      '--no-progress',
    ]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // overall MAE (40·1 + 30·2 + 5·10 + 35·3) / 110 = 255 / 110
    expect(r.stdout).toContain(`Overall: 110 people, MAE ${(255 / 110).toFixed(4)}`);
    expect(r.stdout).toMatch(/\n\s*g\s+A\s+2\.0000\s+4\.0000\s+3\.0000\n/); // MAE gap 2, mean-error gap 1 − (−3)
    expect(r.stdout).toMatch(/\n\s*g\s+D\s+35\s+3\.0000\s+-3\.0000\s+\S+\s+2\.0000\s/);
    expect(r.stdout).toMatch(
      /\n\s*g\s+C\s+<=10\s+suppressed\s+suppressed\s+suppressed\s+suppressed\s+suppressed/,
    );
    expect(r.stdout).toMatch(/\n\s*g\s+B\s+suppressed\s+suppressed/);
    expect(r.stdout).not.toMatch(/10\.0000|\b5 people/);
  }, 60_000);

  it('a multiclass audit: accuracy and selection rate per class, the class gaps', async () => {
    // P: 30 a→a, 30 b→b (accuracy 1, selection a 0.5, b 0.5, c 0). Q: 20 a→a, 20 b→a (accuracy 0.5,
    // selection a 1, b 0, c 0). Gaps: selection a 0.5, b 0.5, c 0; TPR a 1 − 1 = 0, b 1 − 0 = 1, c undefined.
    const csv = [
      'y_true,y_pred,g',
      ...Array<string>(30).fill('a,a,P'),
      ...Array<string>(30).fill('b,b,P'),
      ...Array<string>(20).fill('a,a,Q'),
      ...Array<string>(20).fill('b,a,Q'),
    ].join('\n');
    writeFileSync(join(dir, 'disposition.csv'), csv);
    const r = await run([
      'audit',
      'disposition.csv',
      '--model',
      'disp@1',
      '--attrs',
      'g',
      '--task',
      'multiclass',
      '--classes',
      'a,b,c',
      '--no-progress',
    ]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Overall: 100 people, classes a, b, c, accuracy 0.8000');
    expect(r.stdout).toMatch(/\n\s*g\s+a\s+0\.5000\s+0\.0000\n/);
    expect(r.stdout).toMatch(/\n\s*g\s+b\s+0\.5000\s+1\.0000\n/);
    expect(r.stdout).toMatch(/\n\s*g\s+c\s+0\.0000\s+-\n/);
    expect(r.stdout).toMatch(/\n\s*g\s+P\s+60\s+1\.0000\s+0\.5000\s+0\.5000\s+0\.0000\s+reference/);
    expect(r.stdout).toMatch(/\n\s*g\s+Q\s+40\s+0\.5000\s+1\.0000\s+0\.0000\s+0\.0000/);
  }, 60_000);
});
