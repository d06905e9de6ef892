/**
 * Drift benchmark: computeDrift between two synthetic 1M-row audits (3 attributes with 5/3/4 levels,
 * scores, labels; the current audit has one group shifted), and buildTimeline over 1,000 results.
 * Targets: computeDrift < 500 ms, buildTimeline < 200 ms.
 */
import type { FairnessResult } from '../src/core/fairness/types';
import { buildTimeline, computeDrift } from '../src/core/drift';
import { computeFairness, scoreOrderOf } from '../src/core/fairness';
import { ATTRIBUTES, OPTIONS, syntheticBatch } from './support/synthetic';
import { gc, stats, timed } from './support/timing';

const ROWS = 1_000_000;

/** A hand-built result for the timeline points: one slice per attribute, selection rates and the summary. */
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

// eslint-disable-next-line @typescript-eslint/require-await -- the bench runner's contract is async
export async function run(): Promise<void> {
  const baselineBatch = syntheticBatch(ROWS, 1, 0);
  const currentBatch = syntheticBatch(ROWS, 2, 0.15);
  const baseline = { batch: baselineBatch, result: computeFairness(baselineBatch, OPTIONS) };
  const current = { batch: currentBatch, result: computeFairness(currentBatch, OPTIONS) };
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
  console.log(`computeDrift, 2 × ${ROWS.toLocaleString('en')} rows, 3 attributes (5/3/4 levels):`);
  console.log(
    `  wall ${stats(runs)}; ` +
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
