/**
 * Distribution functions, from @stdlib (well-kept, tested against R/SciPy) rather than hand-written
 * approximations. Each package is loaded on its first call: together they are ~90 files that every start-up
 * of the service would otherwise load before it could answer, for functions only an audit's computation uses.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
import type NormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type NormalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type ChiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import type HypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import type TCdf from '@stdlib/stats-base-dists-t-cdf';
import type TQuantile from '@stdlib/stats-base-dists-t-quantile';

/** `load()` on the first call, its result on every later one. */
function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

const normalCdfImpl = once(() => require('@stdlib/stats-base-dists-normal-cdf') as typeof NormalCdf);
const normalQuantileImpl = once(
  () => require('@stdlib/stats-base-dists-normal-quantile') as typeof NormalQuantile,
);
const chiSquareCdfImpl = once(() => require('@stdlib/stats-base-dists-chisquare-cdf') as typeof ChiSquareCdf);
const hypergeometricPmfImpl = once(
  () => require('@stdlib/stats-base-dists-hypergeometric-pmf') as typeof HypergeometricPmf,
);
const tCdfImpl = once(() => require('@stdlib/stats-base-dists-t-cdf') as typeof TCdf);
const tQuantileImpl = once(() => require('@stdlib/stats-base-dists-t-quantile') as typeof TQuantile);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl()(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl()(p, 0, 1);
}

/** Two-sided z critical value for a confidence level, e.g. 0.95 → 1.959963984540054. */
export function zCritical(confidenceLevel: number): number {
  return normalQuantile(1 - (1 - confidenceLevel) / 2);
}

/** Upper tail P(X² ≥ x) of a chi-square distribution with k degrees of freedom. */
export function chiSquareSurvival(x: number, k: number): number {
  return 1 - chiSquareCdfImpl()(x, k);
}

/** P(X = k) for a hypergeometric draw of n from a population N with K successes. */
export function hypergeometricPmf(k: number, N: number, K: number, n: number): number {
  return hypergeometricPmfImpl()(k, N, K, n);
}

/** Student's t CDF with `df` degrees of freedom (df may be fractional: Welch). */
export function tCdf(x: number, df: number): number {
  return tCdfImpl()(x, df);
}

/** Two-sided t critical value, e.g. (0.95, 10) → 2.2281388519862744. */
export function tCritical(confidenceLevel: number, df: number): number {
  return tQuantileImpl()(1 - (1 - confidenceLevel) / 2, df);
}
