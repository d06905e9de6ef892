import { DomainError } from '../errors';
import { chiSquareSurvival, normalCdf } from '../stats';

export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pValue: number;
}

/**
 * Chi-square test of homogeneity of two samples over the same categories (a 2×k table, no Yates
 * correction: scipy.stats.chi2_contingency(..., correction=False)). Categories empty on both sides are
 * dropped first; with fewer than two categories left there is nothing to compare (X² = 0, dof 0, p = 1).
 */
export function chiSquareHomogeneity(
  countsA: ArrayLike<number>,
  countsB: ArrayLike<number>,
): ChiSquareResult {
  if (countsA.length !== countsB.length)
    throw new DomainError('invalid_input', 'Chi-square needs the same categories.');
  const kept: [number, number][] = [];
  for (let i = 0; i < countsA.length; i++) {
    if (countsA[i]! + countsB[i]! > 0) kept.push([countsA[i]!, countsB[i]!]);
  }
  const totalA = kept.reduce((sum, [a]) => sum + a, 0);
  const totalB = kept.reduce((sum, [, b]) => sum + b, 0);
  if (totalA === 0 || totalB === 0)
    throw new DomainError('invalid_input', 'Chi-square needs two non-empty samples.');
  if (kept.length < 2) return { statistic: 0, dof: 0, pValue: 1 };
  const grand = totalA + totalB;
  let statistic = 0;
  for (const [a, b] of kept) {
    const expectedA = ((a + b) * totalA) / grand;
    const expectedB = ((a + b) * totalB) / grand;
    statistic += (a - expectedA) ** 2 / expectedA + (b - expectedB) ** 2 / expectedB;
  }
  const dof = kept.length - 1;
  return { statistic, dof, pValue: chiSquareSurvival(statistic, dof) };
}

export interface TwoProportionResult {
  /** (p2 − p1) / SE with the pooled SE: positive when the second proportion is higher. */
  z: number;
  /** Two-sided. */
  pValue: number;
  p1: number;
  p2: number;
}

/**
 * Pooled two-proportion z-test of x1/n1 against x2/n2, two-sided: p = (x1 + x2)/(n1 + n2),
 * SE = √(p(1 − p)(1/n1 + 1/n2)). Counts may be weighted (non-integer). null when a denominator is 0;
 * z = 0 and p = 1 when the pooled rate is 0 or 1 (no variance, no evidence of a change).
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): TwoProportionResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, pValue: 1, p1, p2 };
  const z = (p2 - p1) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), p1, p2 };
}

/**
 * Holm's step-down adjustment, in the input order: the i-th smallest of m p-values becomes
 * max over j ≤ i of min(1, (m − j + 1)·p_(j)). null entries (untestable) are kept null and not counted in m.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((x, y) => x.p - y.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (order.length - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
