/**
 * The CLI flags a newcomer reaches for first, run as a user runs them: bin/fairwatch.js over a fresh compile of
 * src/cli, spawned against a real listening server (PostgreSQL with TEST_DATABASE_URL, else PGlite). Expected
 * values are counted here from datasets/diabetes_readmission_scored.csv, never taken from the CLI's output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from './support/cli';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const DATA = resolve(ROOT, 'datasets/diabetes_readmission_scored.csv');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Rows of the CSV (no quoting in this file) matching every column=value, and their predicted-positive count. */
function count(where: Record<string, string[]>): { rows: number; predicted: number } {
  const lines = readFileSync(DATA, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const tests = Object.entries(where).map(([c, values]) => ({ i: header.indexOf(c), values }));
  const iPred = header.indexOf('y_pred');
  let rows = 0;
  let predicted = 0;
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (!tests.every((t) => t.values.includes(f[t.i]!))) continue;
    rows++;
    predicted += Number(f[iPred]);
  }
  return { rows, predicted };
}

interface AuditJson {
  model: { id: string; documentation: Record<string, string | null> };
  audit: {
    id: string;
    name: string | null;
    rowCount: number;
    periodStart: string | null;
    periodEnd: string | null;
    notes: string | null;
    documentation: Record<string, string | null>;
    summary: { overall: { selection_rate: number | null } };
  };
  where?: { rows: number; kept: number };
}

interface Control {
  framework: string;
  controlId: string;
  status: string;
  rationale: string;
  evidence: Array<{ metric: string; value?: unknown }>;
}

describe('CLI: naming, period, documentation, --where, controls --json, drift filters, errors', () => {
  let t: TestApp;
  let dir: string;
  let bin: string;
  let env: Record<string, string>;

  const run = (args: string[]): Promise<Run> =>
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
  const ok = async (args: string[]): Promise<string> => {
    const r = await run(args);
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const audit = (model: string, ...extra: string[]): string[] => [
    'audit',
    DATA,
    '--model',
    model,
    '--attrs',
    'race,gender',
    '--no-progress',
    ...extra,
  ];
  const auditCount = async (model: string): Promise<number> =>
    (JSON.parse(await ok(['audits', model, '--json'])) as unknown[]).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-cli-newcomer-'));
    symlinkSync(resolve(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    [t, bin] = await Promise.all([startTestApp(), buildCli(dir)]);
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    env = { FAIRWATCH_URL: `http://127.0.0.1:${port}`, FAIRWATCH_API_KEY: ADMIN_KEY };
    writeFileSync(
      join(dir, 'datasheet.yaml'),
      'dataSources: UCI Diabetes 130-US hospitals\ninclusionExclusion: Inpatient diabetes encounters, 1-14 days\n',
    );
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ intendedUse: 'Follow-up referral', owner: 'Care team' }),
    );
  }, 180_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('--where', () => {
    it('uploads only the matching rows: one value, two values of one column, two columns', async () => {
      const one = JSON.parse(await ok(audit('where@1', '--where', 'period=2', '--json'))) as AuditJson;
      const p2 = count({ period: ['2'] });
      expect(p2.rows).toBe(16961); // six equal periods of 101,766 rows
      expect(one.audit.rowCount).toBe(p2.rows);
      expect(one.where).toMatchObject({ rows: 101766, kept: p2.rows });
      expect(one.audit.summary.overall.selection_rate).toBeCloseTo(p2.predicted / p2.rows, 12);

      const either = JSON.parse(
        await ok(audit('where@1', '--where', 'period=1', '--where', 'period=6', '--json')),
      ) as AuditJson;
      expect(either.audit.rowCount).toBe(count({ period: ['1', '6'] }).rows);

      const both = JSON.parse(
        await ok(audit('where@1', '--where', 'period=3', '--where', 'race=Hispanic', '--json')),
      ) as AuditJson;
      const expected = count({ period: ['3'], race: ['Hispanic'] });
      expect(both.audit.rowCount).toBe(expected.rows);
      expect(both.audit.summary.overall.selection_rate).toBeCloseTo(expected.predicted / expected.rows, 12);
    });

    it('says so in the table output', async () => {
      const out = await ok(audit('where@1', '--where', 'period=4'));
      expect(out).toContain(`(--where period=4: 16961 of 101766 rows)`);
    });

    it('refuses an unknown column or a filter nothing matches, once, exit 1, and uploads nothing', async () => {
      const before = await auditCount('where@1');
      const unknown = await run(audit('where@1', '--where', 'perio=2'));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        'error: --where: no column "perio" in the CSV header (columns: "y_true", "y_pred", "score", "race", ' +
          '"gender", "age_group", "age", "payer_code", "period")\n',
      );
      const none = await run(audit('where@1', '--where', 'period=7'));
      expect(none.code).toBe(1);
      expect(none.stderr).toBe(
        'error: --where period=7: none of the 101766 rows matches; nothing was uploaded.\n',
      );
      const bad = await run(audit('where@1', '--where', 'period'));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('expected column=value');
      expect(await auditCount('where@1')).toBe(before);
    });
  });

  describe('--name, --period-start/--period-end, --notes, --documentation, --model-documentation', () => {
    it('records them, and MEASURE 2.1 passes with them where it fails without', async () => {
      const bare = JSON.parse(await ok(audit('doc@1', '--where', 'period=5', '--json'))) as AuditJson;
      expect(bare.audit.name).toBeNull();
      expect(bare.audit.periodStart).toBeNull();
      const bareControls = JSON.parse(
        await ok(['controls', bare.audit.id, '--frameworks', 'nist-ai-rmf', '--json']),
      ) as Control[];
      const bareMeasure = bareControls.find((c) => c.controlId === 'MEASURE 2.1')!;
      expect(bareMeasure.status).toBe('fail');

      const named = JSON.parse(
        await ok(
          audit(
            'doc@1',
            '--where',
            'period=5',
            '--name',
            'Period 5',
            '--period-start',
            '2005-09-01',
            '--period-end',
            '2007-04-30',
            '--notes',
            'demo period',
            '--documentation',
            'datasheet.yaml',
            '--model-documentation',
            'model.json',
            '--json',
          ),
        ),
      ) as AuditJson;
      expect(named.audit).toMatchObject({
        name: 'Period 5',
        periodStart: '2005-09-01T00:00:00.000Z',
        periodEnd: '2007-04-30T00:00:00.000Z',
        notes: 'demo period',
        documentation: {
          dataSources: 'UCI Diabetes 130-US hospitals',
          inclusionExclusion: 'Inpatient diabetes encounters, 1-14 days',
        },
      });
      const model = JSON.parse(await ok(['models', '--json'])) as Array<{
        name: string;
        documentation: Record<string, string>;
      }>;
      expect(model.find((m) => m.name === 'doc')?.documentation).toMatchObject({
        intendedUse: 'Follow-up referral',
        owner: 'Care team',
      });
      const controls = JSON.parse(
        await ok(['controls', named.audit.id, '--frameworks', 'nist-ai-rmf', '--json']),
      ) as Control[];
      const measure = controls.find((c) => c.controlId === 'MEASURE 2.1')!;
      expect(measure.status).toBe('pass');
      expect(measure.rationale).toContain('the period the data cover');
    });

    it('--data-source records the setting on the audit (config.dataSource), not in its documentation', async () => {
      const r = JSON.parse(
        await ok(
          audit(
            'doc@1',
            '--where',
            'period=6',
            '--data-source',
            'external',
            '--data-source-description',
            'Partner site',
            '--json',
          ),
        ),
      ) as AuditJson & { audit: { dataSource: string; dataSourceDescription: string | null } };
      expect([r.audit.dataSource, r.audit.dataSourceDescription]).toEqual(['external', 'Partner site']);
      expect(r.audit.documentation.dataSources).toBeUndefined();
      const plain = JSON.parse(await ok(audit('doc@1', '--where', 'period=5', '--json'))) as {
        audit: { dataSource: string };
      };
      expect(plain.audit.dataSource).toBe('local');
    });

    it('refuses a bad period or documentation file before uploading anything (exit 1, said once)', async () => {
      const before = await auditCount('doc@1');
      writeFileSync(join(dir, 'typo.json'), JSON.stringify({ intendedUsage: 'x' }));
      const typo = await run(audit('doc@1', '--documentation', 'typo.json'));
      expect(typo.code).toBe(1);
      expect(typo.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
        expect.stringContaining('error: typo.json: unknown field "intendedUsage"'),
      ]);
      const reversed = await run(
        audit('doc@1', '--period-start', '2024-03-01', '--period-end', '2024-01-01'),
      );
      expect(reversed.code).toBe(1);
      expect(reversed.stderr).toBe(
        'error: --period-start 2024-03-01T00:00:00.000Z is after --period-end 2024-01-01T00:00:00.000Z.\n',
      );
      const badDate = await run(audit('doc@1', '--period-start', '2023-02-29'));
      expect(badDate.code).toBe(1);
      expect(badDate.stderr).toContain('not a calendar date: "2023-02-29"');
      expect(await auditCount('doc@1')).toBe(before);
    });
  });

  describe('controls and drift output', () => {
    let first: string;
    let last: string;
    beforeAll(async () => {
      first = (JSON.parse(await ok(audit('drift@1', '--where', 'period=1', '--json'))) as AuditJson).audit.id;
      last = (JSON.parse(await ok(audit('drift@1', '--where', 'period=6', '--json'))) as AuditJson).audit.id;
    });

    it('controls --json carries rationale and evidence; the table shows the same rationale', async () => {
      const json = JSON.parse(
        await ok(['controls', last, '--frameworks', 'nist-ai-rmf', '--json']),
      ) as Control[];
      expect(json.length).toBeGreaterThan(5);
      const map = json.find((c) => c.controlId === 'MAP 1.1')!;
      expect(map.status).toBe('fail'); // drift@1 has no documentation
      expect(map.evidence).toContainEqual({ metric: 'documentation.intendedUse', value: 'missing' });
      expect(map.rationale).toMatch(/^The required documentation fields intendedUse/);
      const table = await ok(['controls', last, '--frameworks', 'nist-ai-rmf']);
      expect(table.split('\n')[1]).toMatch(/^FRAMEWORK\s+CONTROL\s+STATUS\s+TITLE\s+RATIONALE$/);
      for (const c of json) {
        const row = table.split('\n').find((l) => l.includes(` ${c.controlId} `))!;
        expect(row.endsWith(c.rationale)).toBe(true);
      }
    });

    it('drift --status and --kind show exactly the checks of the unfiltered report that match', async () => {
      const all = JSON.parse(await ok(['drift', last, '--json'])) as {
        status: string;
        checks: Array<{ kind: string; status: string }>;
      };
      expect(all.checks.length).toBeGreaterThan(20);
      const filtered = JSON.parse(
        await ok(['drift', last, '--status', 'alert,warning', '--kind', 'score,population', '--json']),
      ) as typeof all;
      const expected = all.checks.filter(
        (c) => ['alert', 'warning'].includes(c.status) && ['score', 'population'].includes(c.kind),
      );
      expect(filtered.checks).toEqual(expected);
      expect(filtered.status).toBe(all.status);
      const table = await ok(['drift', last, '--status', 'ok', '--kind', 'fairness']);
      const okFairness = all.checks.filter((c) => c.status === 'ok' && c.kind === 'fairness').length;
      expect(table).toContain(
        `Showing ${okFairness} of ${all.checks.length} checks (status ok) (kind fairness)`,
      );
      const rows = table.split('\n').filter((l) => /^(OK|WARNING|ALERT)\s/.test(l));
      expect(rows).toHaveLength(okFairness);
      expect(rows.every((l) => /^OK\s+fairness\s/.test(l))).toBe(true);
      expect(first).not.toBe(last);
    });

    it('refuses an unknown status or kind, once, without the whole help page', async () => {
      const r = await run(['drift', last, '--status', 'critical']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "error: option '--status <statuses>' argument 'critical' is invalid. unknown value \"critical\" (one of ok, warning, alert)\n" +
          '(run `fairwatch drift --help` for usage)\n',
      );
    });
  });

  describe('errors once, examples in every help', () => {
    it('prints a server problem once', async () => {
      const r = await run(audit('err@1', '--attrs', 'ethnicity'));
      expect(r.code).toBe(2);
      expect(r.stderr.match(/column "ethnicity" not found/g)).toHaveLength(1);
      expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    });

    it('shows examples in the help of every command', async () => {
      for (const command of ['audit', 'models', 'audits', 'drift', 'controls', 'report', 'verify']) {
        const help = await ok([command, '--help']);
        expect(help).toContain('Examples:');
        expect(help).toMatch(new RegExp(`^  fairwatch ${command} `, 'm'));
      }
    });
  });
});
