import { DomainError } from '../errors';
import { chiSquareSurvival } from '../stats';

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

/**
 * The pooled two-proportion z-test and Holm's adjustment are core/stats' (the fairness engine uses the same
 * ones); re-exported under the names drift has always used.
 */
export { holmAdjust as holm, twoProportionZ } from '../stats';
export type { TwoProportionResult } from '../stats';
