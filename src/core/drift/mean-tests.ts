import { DomainError } from '../errors';
import { normalCdf } from '../stats';

/** Count, mean and sum of squared deviations of one sample (Welford's update, frequency-weighted). */
export interface MeanSummary {
  n: number;
  mean: number;
  /** Σ (x − mean)²: the sample variance is m2 / (n − 1). */
  m2: number;
}

export interface MeanChangeResult {
  /** (mean₂ − mean₁) / √(s₁²/n₁ + s₂²/n₂); null when that standard error is 0 and the means differ. */
  z: number | null;
  /** Two-sided, from the normal distribution. */
  pValue: number;
  mean1: number;
  mean2: number;
}

/**
 * Large-sample test of a change in a mean: Welch's statistic (unpooled variances, the same number as
 * scipy.stats.ttest_ind(equal_var=False).statistic) referred to the normal distribution. Drift compares
 * groups of at least minGroupSize (30) people, where the t and normal tails agree to the second decimal of
 * p; the normal keeps the check's statistic the contract's `z_test`. null when a side has fewer than 2
 * observations (no variance to estimate). Without any variance: equal means → z 0, p 1; different means
 * → z null, p 0 (the change is certain).
 */
export function meanChangeZ(before: MeanSummary, after: MeanSummary): MeanChangeResult | null {
  if (!(before.n >= 2 && after.n >= 2)) return null;
  const variance = before.m2 / (before.n - 1) / before.n + after.m2 / (after.n - 1) / after.n;
  const means = { mean1: before.mean, mean2: after.mean };
  if (!(variance > 0)) {
    const same = before.mean === after.mean;
    return { z: same ? 0 : null, pValue: same ? 1 : 0, ...means };
  }
  const z = (after.mean - before.mean) / Math.sqrt(variance);
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), ...means };
}

/**
 * Welford summaries of `values` per group: `groupOf(i)` is row i's group in [0, groupCount), or −1 to
 * leave the row out. `frequencies` (config.countColumn) makes row i count frequencies[i] times.
 */
export function meanSummaries(
  values: Float64Array,
  groupCount: number,
  groupOf: (row: number) => number,
  frequencies?: Float64Array,
): MeanSummary[] {
  if (frequencies !== undefined && frequencies.length !== values.length)
    throw new DomainError('invalid_input', 'Frequencies need one entry per value.');
  const n = new Float64Array(groupCount);
  const mean = new Float64Array(groupCount);
  const m2 = new Float64Array(groupCount);
  for (let i = 0; i < values.length; i++) {
    const g = groupOf(i);
    if (g < 0) continue;
    const w = frequencies === undefined ? 1 : frequencies[i]!;
    if (w === 0) continue;
    const x = values[i]!;
    const total = n[g]! + w;
    const delta = x - mean[g]!;
    mean[g] = mean[g]! + (delta * w) / total;
    m2[g] = m2[g]! + w * delta * (x - mean[g]);
    n[g] = total;
  }
  return Array.from({ length: groupCount }, (_, g) => ({ n: n[g]!, mean: mean[g]!, m2: m2[g]! }));
}
