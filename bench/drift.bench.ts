/**
 * Drift benchmark: computeDrift between two synthetic 1M-row audits (3 attributes with 5/3/4 levels,
 * scores, labels; the current audit has one group shifted), and buildTimeline over 1,000 results.
 * Targets: computeDrift < 500 ms, buildTimeline < 200 ms.
 */
import type { FairnessResult } from '../src/core/fairness/types';
import type { ColumnarBatch } from '../src/core/ingest/batch';
import { buildTimeline, computeDrift } from '../src/core/drift';
import { computeFairness, scoreOrderOf } from '../src/core/fairness';
import { ATTRIBUTES, OPTIONS, syntheticBatch } from './support/synthetic';

const ROWS = 1_000_000;

/** The real engine's result, or a hand-built one (summary and selection rates only) if the engine throws. */
function fairnessOf(batch: ColumnarBatch): FairnessResult {
  try {
    return computeFairness(batch, OPTIONS);
  } catch (error) {
    console.log(`  computeFairness failed (${String(error)}); using a stub result`);
    return stubResult(0.9);
  }
}

function stubResult(ratio: number): FairnessResult {
  return {
    overall: { count: ROWS, metrics: {} },
    slices: ATTRIBUTES.map((attribute) => ({
      attributes: [attribute.name],
      reference: { [attribute.name]: attribute.levels[0]! },
      groups: attribute.levels.map((level) => ({
        key: { [attribute.name]: level },
        count: ROWS / attribute.levels.length,
        share: 1 / attribute.levels.length,
        metrics: {
          selection_rate: {
            value: ratio / 2,
            ciLow: ratio / 2 - 0.01,
            ciHigh: ratio / 2 + 0.01,
            numerator: 1,
            denominator: 2,
          },
        },
        disparities: {},
        flags: [],
      })),
      summary: { demographic_parity_difference: 0.05, demographic_parity_ratio: ratio, impact_ratio: ratio },
    })),
    labelFree: false,
    conventions: {
      referenceStrategy: 'largest',
      favorableOutcome: 'positive',
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize: 30,
      missingAttribute: 'group',
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'katz', auc: 'delong-logit' },
      tests: { proportions: 'two-proportion-z|fisher-exact', adjustment: 'holm' },
    },
  };
}

/** Wall and CPU (user + system) milliseconds; CPU time is the steadier figure on a busy machine. */
function timed<T>(work: () => T): { value: T; ms: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { value, ms, cpu: (cpu.user + cpu.system) / 1000 };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// eslint-disable-next-line @typescript-eslint/require-await -- the bench runner's contract is async
export async function run(): Promise<void> {
  const baselineBatch = syntheticBatch(ROWS, 1, 0);
  const currentBatch = syntheticBatch(ROWS, 2, 0.15);
  const baseline = { batch: baselineBatch, result: fairnessOf(baselineBatch) };
  const current = { batch: currentBatch, result: fairnessOf(currentBatch) };
  const runs: number[] = [];
  const cpus: number[] = [];
  let report = computeDrift(baseline, current);
  for (let i = 0; i < 5; i++) {
    gc();
    const { value, ms, cpu } = timed(() => computeDrift(baseline, current));
    report = value;
    runs.push(ms);
    cpus.push(cpu);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(`computeDrift, 2 × ${ROWS.toLocaleString('en')} rows, 3 attributes (5/3/4 levels):`);
  console.log(
    `  wall median ${sorted[2]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[4]!.toFixed(0)} ms; ` +
      `CPU min ${Math.min(...cpus).toFixed(0)} ms (${cpus.map((c) => c.toFixed(0)).join('/')}) (target < 500 ms)`,
  );
  const shared = {
    baseline: { ...baseline, scoreOrder: scoreOrderOf(baselineBatch)! },
    current: { ...current, scoreOrder: scoreOrderOf(currentBatch)! },
  };
  const sharedCpus: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    sharedCpus.push(timed(() => computeDrift(shared.baseline, shared.current)).cpu);
  }
  console.log(
    `  with both score orders given (the sort computeFairness takes too): CPU min ${Math.min(...sharedCpus).toFixed(0)} ms`,
  );
  const counts = report.checks.reduce<Record<string, number>>(
    (acc, check) => ({ ...acc, [check.status]: (acc[check.status] ?? 0) + 1 }),
    {},
  );
  console.log(`  ${report.checks.length} checks, status ${report.status}: ${JSON.stringify(counts)}`);
  console.log(`  worst: ${report.checks[0]?.message ?? '-'}`);

  const points = Array.from({ length: 1000 }, (_, i) => ({
    auditId: `audit-${String(i).padStart(4, '0')}`,
    at: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 1000) * 86_400_000).toISOString(),
    result: stubResult(0.8 + (i % 40) / 100),
  }));
  buildTimeline(points, 'selection_rate', 'race');
  gc();
  const timeline = timed(() => buildTimeline(points, 'selection_rate', 'race'));
  console.log(
    `buildTimeline over ${points.length} results: ${timeline.ms.toFixed(1)} ms (target < 200 ms), ${timeline.value.length} points`,
  );
}
