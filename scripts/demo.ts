/**
 * `npm run demo`: loads a realistic story into a running Fairwatch (FAIRWATCH_URL, FAIRWATCH_API_KEY), so an
 * empty service has something to show: the scored diabetes-readmission model with its documentation, six
 * audits (one per period of datasets/diabetes_readmission_scored.csv, uploaded with the CLI's --where filter,
 * each named and dated, with a datasheet), the first period pinned as the drift baseline, the last period's
 * drift and controls, a signed PDF report that is verified, and the model's signed CHAI model card. About a
 * minute on the project machine.
 *
 * Safe to run twice: the model is found instead of created (its documentation is updated), and each period's
 * upload carries an Idempotency-Key, so a second run returns the same six audits.
 *
 * The data cover 1999-2008 and the file's six consecutive slices are treated as six consecutive periods; the
 * dates below divide those ten years evenly and are illustrative, not taken from the data.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createFairwatchClient, FairwatchApiError, listAllModels, unwrap, type Audit } from '../src/client';
import { runCli, type CliIo } from '../src/cli/program';
import type { Documentation } from '../src/core/compliance';

const ROOT = resolve(__dirname, '..');
const DATA = resolve(ROOT, 'datasets/diabetes_readmission_scored.csv');
const MODEL = { name: 'diabetes-readmission', version: '1.0.0' };
/** Where the signed report is written (FAIRWATCH_DEMO_REPORT, default ./fairwatch-demo-report.pdf). */
const REPORT_PDF = process.env.FAIRWATCH_DEMO_REPORT ?? 'fairwatch-demo-report.pdf';
/** Where the signed CHAI model card is written (FAIRWATCH_DEMO_CARD, default ./fairwatch-demo-model-card.xml). */
const MODEL_CARD = process.env.FAIRWATCH_DEMO_CARD ?? 'fairwatch-demo-model-card.xml';

/** Six consecutive 20-month periods of 1999-2008, one per value of the `period` column. */
const PERIODS = [
  { period: 1, name: '1999-01 to 2000-08', start: '1999-01-01', end: '2000-08-31' },
  { period: 2, name: '2000-09 to 2002-04', start: '2000-09-01', end: '2002-04-30' },
  { period: 3, name: '2002-05 to 2003-12', start: '2002-05-01', end: '2003-12-31' },
  { period: 4, name: '2004-01 to 2005-08', start: '2004-01-01', end: '2005-08-31' },
  { period: 5, name: '2005-09 to 2007-04', start: '2005-09-01', end: '2007-04-30' },
  { period: 6, name: '2007-05 to 2008-12', start: '2007-05-01', end: '2008-12-31' },
] as const;

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** Runs a CLI command in this process; prints its output unless `capture`, and fails the demo on a non-zero exit. */
async function cli(args: string[], capture = false): Promise<string> {
  let captured = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      captured += chunk.toString('utf8');
      done();
    },
  });
  const io: CliIo = { env: process.env, stdout: capture ? sink : process.stdout, stderr: process.stderr };
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`fairwatch ${args[0]} exited ${code}`);
  return captured;
}

async function main(): Promise<void> {
  const url = process.env.FAIRWATCH_URL ?? 'http://localhost:3000';
  const key = process.env.FAIRWATCH_API_KEY;
  if (!key) {
    process.stderr.write(
      'FAIRWATCH_API_KEY is not set. Start the service with an admin key and export it, e.g.\n' +
        '  ADMIN_API_KEY=$(openssl rand -hex 32) npm start     (note the key)\n' +
        '  FAIRWATCH_API_KEY=<that key> npm run demo\n',
    );
    process.exit(1);
  }
  const fw = createFairwatchClient(url, key);
  const started = Date.now();
  say(`Fairwatch demo against ${url}`);

  // 1. The model, with its model-card documentation (get or create: a second create would answer 409).
  const documentation = JSON.parse(
    await readFile(resolve(__dirname, 'demo/model-documentation.json'), 'utf8'),
  ) as Documentation;
  let model = (await listAllModels(fw)).find((m) => m.name === MODEL.name && m.version === MODEL.version);
  if (model) {
    model = unwrap(
      await fw.PATCH('/v1/models/{modelId}', {
        params: { path: { modelId: model.id } },
        body: { documentation },
      }),
    );
    say(`Model ${MODEL.name}@${MODEL.version} found (${model.id}); documentation updated`);
  } else {
    model = unwrap(
      await fw.POST('/v1/models', {
        body: {
          ...MODEL,
          description: 'Risk of readmission within 30 days for inpatients with diabetes (demo score)',
          documentation,
        },
      }),
    );
    say(
      `Model ${MODEL.name}@${MODEL.version} created (${model.id}) with ${Object.keys(documentation).length} documentation fields`,
    );
  }

  // 2. Six audits, one per period, through the CLI: --where streams only that period's rows up.
  const audits: Audit[] = [];
  for (const p of PERIODS) {
    const out = await cli(
      [
        'audit',
        DATA,
        '--model',
        `${MODEL.name}@${MODEL.version}`,
        '--attrs',
        'race,gender,age_group',
        '--intersect',
        'race,gender',
        '--label',
        'y_true',
        '--prediction',
        'y_pred',
        '--score',
        'score',
        '--where',
        `period=${p.period}`,
        '--name',
        p.name,
        '--period-start',
        p.start,
        '--period-end',
        p.end,
        '--data-source',
        'local',
        '--documentation',
        resolve(__dirname, 'demo/datasheet.yaml'),
        '--idempotency-key',
        `fairwatch-demo-${MODEL.name}-${MODEL.version}-period-${p.period}`,
        '--no-progress',
        '--json',
      ],
      true,
    );
    const { audit } = JSON.parse(out) as { audit: Audit };
    audits.push(audit);
    say(
      `Audit "${p.name}": ${audit.rowCount} rows, selection rate ${('selection_rate' in audit.summary.overall ? audit.summary.overall.selection_rate : null)?.toFixed(4) ?? '-'}, ` +
        `${audit.summary.flaggedGroups} flagged groups (${audit.id})`,
    );
  }
  const [first] = audits;
  const last = audits[audits.length - 1];
  if (!first || !last) throw new Error('no audits');

  // 3. The first period is the baseline every later period's drift is measured against.
  unwrap(
    await fw.PUT('/v1/models/{modelId}/baseline', {
      params: { path: { modelId: model.id } },
      body: { auditId: first.id },
    }),
  );
  say(`Baseline pinned: "${first.name ?? first.id}"\n`);

  // 4. What moved since the baseline, what the controls say, and a signed report of the last period.
  say(`$ fairwatch drift ${last.id} --status alert,warning`);
  await cli(['drift', last.id, '--status', 'alert,warning']);
  say(`\n$ fairwatch controls ${last.id} --frameworks nist-ai-rmf,hhs-1557`);
  await cli(['controls', last.id, '--frameworks', 'nist-ai-rmf,hhs-1557']);
  say(`\n$ fairwatch report ${last.id} -o ${REPORT_PDF}`);
  await cli([
    'report',
    last.id,
    '-o',
    REPORT_PDF,
    '--title',
    `Fairness audit ${last.name ?? ''}: diabetes readmission`,
  ]);
  say(`\n$ fairwatch verify ${REPORT_PDF}`);
  await cli(['verify', REPORT_PDF]);

  // 5. The model's health-IT transparency export: the CHAI model card, signed, from all six audits.
  say(`\n$ fairwatch export chai-model-card ${MODEL.name}@${MODEL.version} -o ${MODEL_CARD}`);
  await cli(['export', 'chai-model-card', `${MODEL.name}@${MODEL.version}`, '-o', MODEL_CARD]);
  say(`\n$ fairwatch verify ${MODEL_CARD}`);
  await cli(['verify', MODEL_CARD]);

  say(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s. Open ${url}/ (sign in with your key) to see the ` +
      `model, its six audits, drift over time and the report; the API is at ${url}/docs.`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `demo failed: ${err instanceof FairwatchApiError || err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
