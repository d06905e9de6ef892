/**
 * Distribution functions, from @stdlib (well-kept, tested against R/SciPy) rather than hand-written
 * approximations.
 */
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import chiSquareCdfImpl from '@stdlib/stats-base-dists-chisquare-cdf';
import hypergeometricPmfImpl from '@stdlib/stats-base-dists-hypergeometric-pmf';

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Two-sided z critical value for a confidence level, e.g. 0.95 → 1.959963984540054. */
export function zCritical(confidenceLevel: number): number {
  return normalQuantile(1 - (1 - confidenceLevel) / 2);
}

/** Upper tail P(X² ≥ x) of a chi-square distribution with k degrees of freedom. */
export function chiSquareSurvival(x: number, k: number): number {
  return 1 - chiSquareCdfImpl(x, k);
}

/** P(X = k) for a hypergeometric draw of n from a population N with K successes. */
export function hypergeometricPmf(k: number, N: number, K: number, n: number): number {
  return hypergeometricPmfImpl(k, N, K, n);
}
