/**
 * The coverage study of the fairness engine's intervals and tests, through computeFairness on seeded
 * synthetic datasets: the seeded unit test (src/core/fairness/coverage.spec.ts) runs it small, the bench
 * (`npm run bench -- coverage`) large. Each scenario returns how often the truth fell inside the interval
 * (or, for the null scenario, how often any Holm-adjusted p-value of the slice fell below 0.05).
 */
import { computeFairness } from '../../src/core/fairness';
import type { FairnessOptions, FairnessResult } from '../../src/core/fairness';
import type { ColumnarBatch } from '../../src/core/ingest/batch';
import { mulberry32, normalQuantile } from '../../src/core/stats';

export const STUDY_OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'explicit', groups: { g: 'R' } },
  intersections: [],
  minGroupSize: 30,
  missingAttribute: 'group',
};

export interface ScenarioResult {
  name: string;
  datasets: number;
  /** Datasets where the statistic was defined (an interval, a p-value). */
  defined: number;
  /** Datasets where the interval held the truth (or, for the null scenario, any adjusted p < 0.05). */
  hits: number;
  /** Of the misses, how many were above the truth (upper limit below it … the interval too low). */
  missesLow: number;
}

/** Standard normal draw by inversion (one uniform per draw keeps streams reproducible). */
function normal(random: () => number): number {
  return normalQuantile(Math.min(1 - 1e-16, Math.max(1e-16, random())));
}

/** Two groups (G then the reference R) with Bernoulli(p) predictions; labels and scores optional. */
function twoGroups(
  random: () => number,
  sizes: [number, number],
  selection: [number, number],
): ColumnarBatch {
  const rows = sizes[0] + sizes[1];
  const codes = Uint16Array.from({ length: rows }, (_, i) => (i < sizes[0] ? 0 : 1));
  const predictions = Uint8Array.from(codes, (c) => (random() < selection[c]! ? 1 : 0));
  return { rowCount: rows, predictions, attributes: [{ name: 'g', levels: ['G', 'R'], codes }] };
}

function groupG(result: FairnessResult) {
  return result.slices[0]!.groups.find((g) => g.key.g === 'G')!;
}

/** Koopman ratio interval of G's selection rate over R's; both rates p, so the true ratio is 1. */
export function ratioScenario(datasets: number, seed: number, n: number, p: number): ScenarioResult {
  const random = mulberry32(seed);
  const result: ScenarioResult = {
    name: `ratio n=${n}+${n} p=${p}`,
    datasets,
    defined: 0,
    hits: 0,
    missesLow: 0,
  };
  for (let d = 0; d < datasets; d++) {
    const r = computeFairness(twoGroups(random, [n, n], [p, p]), STUDY_OPTIONS);
    const disparity = groupG(r).disparities.selection_rate!;
    const low = disparity.ratioCiLow ?? null;
    const high = disparity.ratioCiHigh ?? Infinity; // null upper limit = unbounded
    if (low === null) continue;
    result.defined++;
    if (low <= 1 && 1 <= high) result.hits++;
    else if (high < 1) result.missesLow++;
  }
  return result;
}

/**
 * AUC interval of a group of m positives and m negatives with binormal scores: negatives N(0, 1),
 * positives N(δ, 1), true AUC Φ(δ/√2).
 */
export function aucScenario(datasets: number, seed: number, m: number, auc: number): ScenarioResult {
  const random = mulberry32(seed);
  const delta = Math.SQRT2 * normalQuantile(auc);
  const result: ScenarioResult = {
    name: `auc n=${m}+${m} AUC=${auc}`,
    datasets,
    defined: 0,
    hits: 0,
    missesLow: 0,
  };
  const rows = 2 * m;
  const labels = Uint8Array.from({ length: rows }, (_, i) => (i < m ? 1 : 0));
  const codes = new Uint16Array(rows);
  for (let d = 0; d < datasets; d++) {
    const scores = Float64Array.from(labels, (y) => (y === 1 ? delta : 0) + normal(random));
    const r = computeFairness(
      {
        rowCount: rows,
        labels,
        predictions: Uint8Array.from(scores, (s) => (s > delta / 2 ? 1 : 0)),
        scores,
        attributes: [{ name: 'g', levels: ['R'], codes }],
      },
      { ...STUDY_OPTIONS, reference: { strategy: 'largest' } },
    );
    const m2 = r.overall.metrics.roc_auc!;
    if (m2.ciLow === null || m2.ciLow === undefined || m2.ciHigh === null || m2.ciHigh === undefined)
      continue;
    result.defined++;
    if (m2.ciLow <= auc && auc <= m2.ciHigh) result.hits++;
    else if (m2.ciHigh < auc) result.missesLow++;
  }
  return result;
}

/**
 * The null scenario for Holm's family: four groups of `n` with the same label rate (0.3) and the same
 * prediction rule, so every disparity is null; hits = datasets where any adjusted p-value of the slice
 * (every metric, every group) is below 0.05.
 */
export function holmNullScenario(
  datasets: number,
  seed: number,
  n: number,
  family: 'metric' | 'slice',
): ScenarioResult {
  const random = mulberry32(seed);
  const result: ScenarioResult = {
    name: `holm null 4×${n} family=${family}`,
    datasets,
    defined: 0,
    hits: 0,
    missesLow: 0,
  };
  const rows = 4 * n;
  const codes = Uint16Array.from({ length: rows }, (_, i) => Math.floor(i / n));
  const attributes = [{ name: 'g', levels: ['A', 'B', 'C', 'R'], codes }];
  for (let d = 0; d < datasets; d++) {
    const labels = Uint8Array.from({ length: rows }, () => (random() < 0.3 ? 1 : 0));
    const predictions = Uint8Array.from(labels, (y) => (random() < (y ? 0.7 : 0.2) ? 1 : 0));
    const r = computeFairness(
      { rowCount: rows, labels, predictions, attributes },
      { ...STUDY_OPTIONS, multipleTesting: family },
    );
    result.defined++;
    const any = r.slices[0]!.groups.some((g) =>
      Object.values(g.disparities).some(
        (x) => x.pValueAdjusted !== null && x.pValueAdjusted !== undefined && x.pValueAdjusted < 0.05,
      ),
    );
    if (any) result.hits++;
  }
  return result;
}

export function describeScenario(s: ScenarioResult): string {
  const share = (x: number, of: number): string => (of > 0 ? `${((100 * x) / of).toFixed(2)}%` : 'n/a');
  return `${s.name}: ${s.datasets} datasets, defined ${share(s.defined, s.datasets)}, hits ${share(s.hits, s.defined)}, misses with the interval below the truth ${s.missesLow}`;
}
