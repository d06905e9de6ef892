/**
 * config.countColumn: the same 1M people uploaded as rows and as a cell table of ~5k rows (5 × 3 × 4
 * attribute levels × label × scores on a 1/60 grid, with a count `n`), through the whole in-process pipeline:
 * CSV ingest, computeFairness, the calibration and threshold reports, and drift against a second audit of
 * the same form. Each form runs in a child process of its own so that its peak RSS (maxRSS) is its own; the
 * inputs are generated straight into CSV text (no per-row arrays), so the peak includes the CSV bytes the
 * upload would hold. Prints CPU (user + system) and wall per phase, and peak RSS. No assertions.
 */
import { spawnSync } from 'node:child_process';
import { computeDrift } from '../src/core/drift';
import { computeFairness } from '../src/core/fairness';
import { createCsvIngestor, parseAuditConfig, type ColumnarBatch } from '../src/core/ingest';
import { calibrationReport, DEFAULT_THRESHOLDS, thresholdReport } from '../src/core/score-quality';
import { mulberry32, zCritical } from '../src/core/stats';
import { ATTRIBUTES, OPTIONS } from './support/synthetic';
import { gc, timed } from './support/timing';

const PEOPLE = 1_000_000;
const GRID = 60; // scores k/60: about 5k cells
const HEADER = 'race,sex,age_band,y_true,y_pred,score';
type Form = 'rows' | 'cells';

/** One person's fields as CSV (without a count), from the PRNG; `shift` moves race B's scores up. */
function person(random: () => number, shift: number): string {
  const codes = ATTRIBUTES.map((a) => Math.floor(random() * a.levels.length));
  const s0 = 0.05 + (0.7 * (random() + random() + random())) / 3;
  const score = Math.min(GRID, Math.round((codes[0] === 1 ? s0 + shift : s0) * GRID)) / GRID;
  const label = random() < 0.5 * s0 ? 1 : 0;
  const levels = codes.map((c, a) => ATTRIBUTES[a]!.levels[c]!);
  return `${levels.join(',')},${label},${score >= 0.5 ? 1 : 0},${score}`;
}

/** The upload's CSV: one line per person, or one per distinct line with its count. */
function csv(form: Form, seed: number, shift: number): { text: string; lines: number } {
  const random = mulberry32(seed);
  if (form === 'rows') {
    const lines = [HEADER];
    for (let i = 0; i < PEOPLE; i++) lines.push(person(random, shift));
    return { text: lines.join('\n') + '\n', lines: PEOPLE };
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < PEOPLE; i++) {
    const line = person(random, shift);
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const lines = [`${HEADER},n`, ...[...counts].map(([line, n]) => `${line},${n}`)];
  return { text: lines.join('\n') + '\n', lines: counts.size };
}

function ingest(form: Form, text: string): ColumnarBatch {
  const config = parseAuditConfig({
    sensitiveAttributes: ATTRIBUTES.map((a) => a.name),
    intersections: OPTIONS.intersections,
    ...(form === 'cells' && { countColumn: 'n' }),
  });
  const ingestor = createCsvIngestor(config);
  ingestor.write(new TextEncoder().encode(text));
  return ingestor.end().batch;
}

/** Runs one form in this process and prints one JSON line of figures. */
function child(form: Form): void {
  const startRssMB = process.memoryUsage().rss / 1e6;
  const baselineCsv = csv(form, 7, 0);
  const currentCsv = csv(form, 11, 0.1);
  gc();
  const phases: Record<string, { cpu: number; ms: number }> = {};
  const phase = <T>(name: string, work: () => T): T => {
    const { value, ms, cpu } = timed(work);
    phases[name] = { cpu, ms };
    return value;
  };
  const baseline = phase('ingest (CSV)', () => ingest(form, baselineCsv.text));
  const current = ingest(form, currentCsv.text);
  const z = zCritical(0.95);
  const result = phase('fairness', () => computeFairness(current, OPTIONS));
  phase('calibration', () => calibrationReport(current, OPTIONS.intersections, z));
  const audit = { threshold: 0.5, references: current.attributes.map(() => null), tolerance: 0.02 };
  phase('thresholds (99)', () => thresholdReport(current, OPTIONS.intersections, DEFAULT_THRESHOLDS, audit));
  const baselineResult = computeFairness(baseline, OPTIONS);
  phase('drift', () => computeDrift({ batch: baseline, result: baselineResult }, { batch: current, result }));
  const out = {
    form,
    uploadRows: currentCsv.lines,
    csvMB: currentCsv.text.length / 1e6,
    people: result.overall.count,
    auc: result.overall.metrics.roc_auc?.value,
    phases,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    startRssMB,
  };
  console.log(JSON.stringify(out));
}

export async function run(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  for (const form of ['rows', 'cells'] as const) {
    const res = spawnSync(
      process.execPath,
      ['--expose-gc', '-r', '@swc-node/register', __filename, 'child', form],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (res.status !== 0) throw new Error(`child ${form} failed: ${res.stderr}`);
    const line = res.stdout.trim().split('\n').pop()!;
    results.push(JSON.parse(line) as Record<string, unknown>);
  }
  for (const r of results) {
    const phases = r.phases as Record<string, { cpu: number; ms: number }>;
    const total = Object.values(phases).reduce((s, p) => s + p.cpu, 0);
    console.log(
      `1M people as ${String(r.form)}: ${String(r.uploadRows)} upload rows (${Number(r.csvMB).toFixed(2)} MB CSV), ` +
        `overall count ${String(r.people)}, AUC ${Number(r.auc).toFixed(12)}, peak RSS ${Number(r.maxRssMB).toFixed(0)} MB (${Number(r.startRssMB).toFixed(0)} MB at start)`,
    );
    for (const [name, p] of Object.entries(phases)) {
      console.log(`  ${name}: CPU ${p.cpu.toFixed(0)} ms, wall ${p.ms.toFixed(0)} ms`);
    }
    console.log(`  total CPU of the timed phases: ${total.toFixed(0)} ms`);
  }
  await Promise.resolve();
}

if (process.argv[2] === 'child') child(process.argv[3] as Form);
