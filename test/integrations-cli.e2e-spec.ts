/**
 * The `fairwatch` CLI as a CI pipeline runs it: bin/fairwatch.js over a fresh compile of src/cli (so the test
 * never runs a stale dist/), spawned as a child process against a real listening server on PostgreSQL, with
 * FAIRWATCH_URL and FAIRWATCH_API_KEY in its environment. Numbers from datasets/compas-reference.md.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMPAS_CSV } from './support/datasets';
import { buildCli } from './support/cli';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const COMPAS = COMPAS_CSV;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('integrations: the fairwatch CLI against a real server', () => {
  let t: TestApp;
  let dir: string;
  let bin: string;
  let env: Record<string, string>;

  const run = (args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Run> =>
    new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, ...env, ...extraEnv },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    });

  /** The group column of the disparity table, in printed order (columns are two or more spaces apart). */
  const tableGroups = (stdout: string): string[] => {
    const lines = stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith('Groups, worst disparity first'));
    const rows: string[] = [];
    for (const line of lines.slice(start + 2)) {
      if (line.trim() === '') break;
      rows.push(line.split(/\s{2,}/)[1] ?? '');
    }
    return rows;
  };
  /** The line of the disparity table for a group. */
  const rowOf = (stdout: string, group: string): string => {
    const table = stdout.slice(stdout.indexOf('Groups, worst disparity first'));
    const line = table.split('\n').find((l) => l.split(/\s{2,}/)[1] === group);
    if (!line) throw new Error(`no row for ${group} in\n${stdout}`);
    return line;
  };

  /** `audit <file> --model <model> --attrs <attrs> --label label_value --prediction score`, then `extra`. */
  const auditFile = (file: string, model: string, attrs: string, ...extra: string[]): string[] => [
    'audit',
    file,
    '--model',
    model,
    '--attrs',
    attrs,
    '--label',
    'label_value',
    '--prediction',
    'score',
    ...extra,
  ];
  const auditCompas = (model: string, attrs: string, ...extra: string[]): string[] =>
    auditFile(COMPAS, model, attrs, ...extra);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-cli-'));
    symlinkSync(resolve(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    [t, bin] = await Promise.all([startTestApp(), buildCli(dir)]);
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    env = { FAIRWATCH_URL: `http://127.0.0.1:${port}`, FAIRWATCH_API_KEY: ADMIN_KEY };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('audit COMPAS, creating the model', () => {
    let first: Run;

    beforeAll(async () => {
      first = await run(auditCompas('compas@1.0.0', 'race,sex', '--progress'));
    });

    it('exits 0 and says what it created', () => {
      expect(t.database).toBe(process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite');
      expect(first.stderr).not.toContain('error');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^Model compas@1\.0\.0 \(created\)/);
      expect(first.stdout).toMatch(/Audit [0-9a-f-]{36}: 7214 rows/);
      // Overall: pprev .4598, prev .4507, FPR .3235, TPR .6260, accuracy .6537.
      expect(first.stdout).toContain(
        'Overall: selection rate 0.4598, base rate 0.4507, FPR 0.3235, TPR 0.6260, accuracy 0.6537',
      );
    });

    it('drives the progress bar on stderr from the bytes read, up to the file size', () => {
      const size = statSync(COMPAS).size;
      expect(first.stderr).toContain(`100% | ${size}/${size} bytes`);
    });

    it('prints each group with its rates, the worst disparity first, flags shown', () => {
      // Reference: the largest group (African-American, Male). Worst |ln ratio| per group whose ratios may be
      // printed: Other FPR .1475/.4485 = 0.329, Hispanic FPR .2148/.4485 = 0.479, Caucasian FPR .2345/.4485 =
      // 0.523, Female PPV .5127/.6354 = 0.807. Asian (8 of 32 selected) and Native American (12 of 18, 6 not)
      // rest on counts of 1 to 10: their rates and ratios are suppressed, so they follow, then the references.
      expect(tableGroups(first.stdout)).toEqual([
        'Other',
        'Hispanic',
        'Caucasian',
        'Female',
        'Asian',
        'Native American',
        'African-American',
        'Male',
      ]);
      const aa = rowOf(first.stdout, 'African-American');
      expect(aa).toMatch(/\b3696\s+0\.5882\s+0\.4485\s+0\.7201\b/);
      expect(aa).toMatch(/reference/);
      expect(rowOf(first.stdout, 'Asian')).toMatch(/\b32\s+suppressed\s+suppressed\s+suppressed\s+-\s+-/);
      expect(rowOf(first.stdout, 'Native American')).toMatch(/\b18\s+suppressed\s.*insufficient_sample/);
      expect(rowOf(first.stdout, 'Female')).toMatch(/\b1395\s+0\.4237\s+0\.3211\s+0\.6084\s+PPV\s+0\.807\b/);
      // Slice summaries (Fairlearn terms) over the groups of at least 30 whose rates are shown (not Asian, not
      // Native American): race DP ratio (79/377)/(2174/3696) = .3563, diff .3787; sex DP ratio .9043.
      expect(first.stdout).toMatch(/race\s+African-American\s+0\.3563\s+0\.3787\s/);
      expect(first.stdout).toMatch(/sex\s+Male\s+0\.9043\s+0\.0448/);
    });

    it('finds the model the second time, and lists models and audits', async () => {
      const again = await run(auditCompas('compas@1.0.0', 'race,sex'));
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^Model compas@1\.0\.0 {2}id/);
      expect(again.stderr).toBe(''); // no progress bar without a terminal unless --progress

      const models = await run(['models']);
      expect(models.code).toBe(0);
      expect(models.stdout.split('\n').filter((l) => /\scompas\s+1\.0\.0\s/.test(l))).toHaveLength(1);

      const audits = await run(['audits', 'compas@1.0.0', '--json']);
      expect(audits.code).toBe(0);
      const list = JSON.parse(audits.stdout) as Array<{ id: string; rowCount: number }>;
      expect(list.map((a) => a.rowCount)).toEqual([7214, 7214]);

      // The second audit against the first: the same data, nothing drifts.
      const drift = await run(['drift', list[0]!.id, '--fail-on', 'warning']);
      expect(drift.stdout).toContain(`against ${list[1]!.id} (previous): OK`);
      expect(drift.code).toBe(0);
    });
  });

  describe('audit a Parquet file', () => {
    let parquet: string;

    beforeAll(async () => {
      // The COMPAS rows as Parquet, written by DuckDB (label_value BIGINT, score DOUBLE, the rest VARCHAR).
      parquet = join(dir, 'compas.parquet');
      const db = await DuckDBInstance.create(':memory:');
      const connection = await db.connect();
      await connection.run(`COPY (SELECT * FROM read_csv('${COMPAS}')) TO '${parquet}' (FORMAT parquet)`);
      connection.closeSync();
      db.closeSync();
    });

    it('gives the published COMPAS figures, as the CSV does', async () => {
      const r = await run(auditFile(parquet, 'compas-parquet@1.0.0', 'race,sex'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Audit [0-9a-f-]{36}: 7214 rows/);
      expect(r.stdout).toContain(
        'Overall: selection rate 0.4598, base rate 0.4507, FPR 0.3235, TPR 0.6260, accuracy 0.6537',
      );
    });

    it('refuses --where on Parquet before uploading anything (exit 1)', async () => {
      const r = await run(auditFile(parquet, 'compas-parquet-where@1.0.0', 'race', '--where', 'sex=Female'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--where filters CSV rows while streaming them');
      const models = await run(['models', '--json']);
      expect(models.stdout).not.toContain('compas-parquet-where');
    });
  });

  describe('the release gate (--fail-on)', () => {
    it('exits 3 when the four-fifths rule fails: COMPAS with low risk as the favourable outcome', async () => {
      const r = await run(
        auditCompas('compas@gate', 'race,sex', '--favorable', 'negative', '--fail-on', 'eeoc-ugesp'),
      );
      expect(r.stdout).toMatch(/eeoc-ugesp\s+29 CFR 1607\.4\(D\)\s+FAIL\s+Four-fifths rule/);
      expect(r.stdout).toContain('Gate FAILED: 1 control of eeoc-ugesp fails (eeoc-ugesp 29 CFR 1607.4(D)).');
      expect(r.code).toBe(3);
    });

    it('exits 0 when no control of the framework fails: COMPAS by sex, low risk favourable', async () => {
      // Low-risk rates Female 1 − .4237 = .5763, Male 1 − .4685 = .5315: impact ratio .922 ≥ 0.8.
      const r = await run(
        auditCompas('compas@gate', 'sex', '--favorable', 'negative', '--fail-on', 'eeoc-ugesp'),
      );
      expect(r.stdout).toMatch(/eeoc-ugesp\s+29 CFR 1607\.4\(D\)\s+PASS/);
      // 29 CFR 1607.4(B) wants race as well as sex: review, which does not fail the gate.
      expect(r.stdout).toMatch(/eeoc-ugesp\s+29 CFR 1607\.4\(B\)\s+REVIEW/);
      expect(r.stdout).toContain('Gate passed: no control of eeoc-ugesp fails (1 needs review).');
      expect(r.code).toBe(0);
    });
  });

  describe('report and verify', () => {
    it('writes a signed PDF that verifies (exit 0) and a changed copy that does not (exit 3)', async () => {
      const audits = JSON.parse((await run(['audits', 'compas@1.0.0', '--json'])).stdout) as Array<{
        id: string;
      }>;
      const auditId = audits[0]!.id;
      const report = await run([
        'report',
        auditId,
        '-o',
        'report.pdf',
        '--frameworks',
        'eeoc-ugesp,nyc-ll144',
      ]);
      expect(report.stderr).toBe('');
      expect(report.code).toBe(0);
      expect(report.stdout).toMatch(
        /^Report [0-9a-f-]{36} \(eeoc-ugesp, nyc-ll144\): verdict (PASS|FAIL|REVIEW)\n/,
      );
      const pdf = readFileSync(join(dir, 'report.pdf'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(report.stdout).toContain(`wrote report.pdf (${pdf.length} bytes)`);

      const valid = await run(['verify', 'report.pdf']);
      expect(valid.code).toBe(0);
      expect(valid.stdout).toMatch(/^VALID: report [0-9a-f-]{36} signed /);

      const at = Math.floor(pdf.length / 2);
      pdf[at] = pdf[at]! ^ 0x01;
      writeFileSync(join(dir, 'tampered.pdf'), pdf);
      const invalid = await run(['verify', 'tampered.pdf']);
      expect(invalid.stdout).toMatch(/^NOT VALID: /);
      expect(invalid.code).toBe(3);
    });
  });

  describe('errors and exit codes', () => {
    it('exits 2 with the problem detail on an HTTP error', async () => {
      const r = await run(['audits', '00000000-0000-4000-8000-000000000000']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: 404 Not found/);

      const bad = await run([
        'audit',
        COMPAS,
        '--model',
        'compas@1.0.0',
        '--attrs',
        'ethnicity',
        '--label',
        'label_value',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^error: 400 /);
      expect(bad.stderr).toContain('ethnicity');
    });

    it('exits 2 when the server cannot be reached', async () => {
      const closed = createServer();
      await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((done) => closed.close(() => done()));
      const r = await run(['models'], { FAIRWATCH_URL: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot reach the Fairwatch server (ECONNREFUSED)');
    });

    it('exits 1 on usage errors: no key, a bad option, a missing file', async () => {
      const noKey = await run(['models'], { FAIRWATCH_API_KEY: undefined });
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('FAIRWATCH_API_KEY is not set');

      const badChoice = await run([
        'audit',
        COMPAS,
        '--model',
        'm@1',
        '--attrs',
        'race',
        '--favorable',
        'maybe',
      ]);
      expect(badChoice.code).toBe(1);
      expect(badChoice.stderr).toContain("option '--favorable <outcome>' argument 'maybe' is invalid");

      const badModel = await run(['audit', COMPAS, '--model', 'no-version', '--attrs', 'race']);
      expect(badModel.code).toBe(1);
      expect(badModel.stderr).toContain('expected <name>@<version>');

      const badFramework = await run([
        'controls',
        '00000000-0000-4000-8000-000000000000',
        '--fail-on',
        'gdpr',
      ]);
      expect(badFramework.code).toBe(1);
      expect(badFramework.stderr).toContain('unknown framework "gdpr" (one of nist-ai-rmf, eu-ai-act,');

      const missing = await run(['audit', 'nope.csv', '--model', 'compas@1.0.0', '--attrs', 'race']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('ENOENT');

      const help = await run(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('3  gate failed');
    });
  });
});
