/**
 * Hypothesis tests on two proportions and the Holm step-down adjustment. Counts may be non-integer
 * (Kish effective counts under weights) for the z-test; Fisher's test rounds them to integers.
 */
import { hypergeometricPmf, normalCdf } from './distributions';

export type ProportionTest = 'z' | 'fisher';

export interface TestResult {
  pValue: number;
  test: ProportionTest;
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
 * Pooled two-proportion z-test of x1/n1 against x2/n2, two-sided (= Pearson's chi-square on the 2×2 table
 * without continuity correction, R's prop.test(correct = FALSE)): p = (x1 + x2)/(n1 + n2),
 * SE = √(p(1 − p)(1/n1 + 1/n2)). Counts may be weighted (non-integer). null when a denominator is 0;
 * z = 0 and p = 1 when the pooled rate is 0 or 1 (no variance, no evidence of a change).
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): TwoProportionResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const se = Math.sqrt(pooledVariance(x1, n1, x2, n2));
  if (!(se > 0)) return { z: 0, pValue: 1, p1, p2 };
  const z = (p2 - p1) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), p1, p2 };
}

/** The p-value of twoProportionZ; null when a sample is empty or the pooled rate is 0 or 1 (untestable). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): number | null {
  if (!(n1 > 0 && n2 > 0 && pooledVariance(x1, n1, x2, n2) > 0)) return null;
  return twoProportionZ(x1, n1, x2, n2)?.pValue ?? null;
}

/** p(1 − p)(1/n1 + 1/n2) with the pooled rate p. */
function pooledVariance(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  return pooled * (1 - pooled) * (1 / n1 + 1 / n2);
}

/**
 * Fisher's exact test, two-sided, on the table [[a, b], [c, d]]: the sum of the probabilities of every
 * table with the same margins that is no more likely than the observed one (R's fisher.test, with its
 * relative tolerance 1e-7 for ties in probability).
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  const population = a + b + c + d;
  const successes = a + c;
  const draws = a + b;
  const observed = hypergeometricPmf(a, population, successes, draws);
  const bound = observed * (1 + 1e-7);
  let total = 0;
  for (let k = Math.max(0, draws - (population - successes)); k <= Math.min(draws, successes); k++) {
    const p = hypergeometricPmf(k, population, successes, draws);
    if (p <= bound) total += p;
  }
  return Math.min(1, total);
}

/**
 * Compares x1/n1 with x2/n2: Fisher's exact test when any expected cell of the 2×2 table is below 5,
 * else the pooled z-test. Null when a sample is empty or the outcome does not vary.
 */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): TestResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  const total = n1 + n2;
  const successes = x1 + x2;
  const failures = total - successes;
  if (!(successes > 0 && failures > 0)) return null;
  const smallestExpected = (Math.min(n1, n2) * Math.min(successes, failures)) / total;
  if (smallestExpected < 5) {
    const [a, b, c, d] = [x1, n1 - x1, x2, n2 - x2].map(Math.round) as [number, number, number, number];
    return { pValue: fisherExactTwoSided(a, b, c, d), test: 'fisher' };
  }
  const pValue = twoProportionZTest(x1, n1, x2, n2);
  return pValue === null ? null : { pValue, test: 'z' };
}

/**
 * Holm's step-down adjustment (R's p.adjust(method = "holm")): the i-th smallest of m p-values becomes
 * max over j ≤ i of min(1, (m − j + 1)·p_(j)). Nulls are left out of m and stay null.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter((e): e is { p: number; index: number } => e.p !== null)
    .sort((x, y) => x.p - y.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach((entry, rank) => {
    running = Math.max(running, Math.min(1, (order.length - rank) * entry.p));
    adjusted[entry.index] = running;
  });
  return adjusted;
}
