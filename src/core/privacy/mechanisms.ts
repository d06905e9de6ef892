/**
 * The four noise mechanisms of `config.privacy`, applied to the counts of a cell table (docs/privacy.md).
 *
 * Neighbouring data sets differ by adding or removing one person (add/remove neighbouring). A person is in
 * exactly one cell of the table, so adding or removing one changes one count by 1: the L1 and the L2
 * sensitivity of the whole table are both 1. (Under replace-one neighbouring two cells would change: L1 = 2,
 * L2 = √2; we do not use it because a hospital's question is "is this patient in the data at all?".)
 *
 * - geometric: two-sided geometric P(x) ∝ α^|x|, α = e^−ε (Ghosh, Roughgarden & Sundararajan 2009): ε-DP.
 * - laplace: Laplace with scale 1/ε (Dwork et al. 2006): ε-DP.
 * - gaussian: normal with σ from the analytic Gaussian mechanism (Balle & Wang 2018, Theorem 8), the
 *   smallest σ that is (ε, δ)-DP for every ε (the classic σ = √(2 ln(1.25/δ))/ε holds only for ε < 1 and is
 *   larger).
 * - discrete_gaussian: the discrete Gaussian N_Z(0, σ²) (Canonne, Kamath & Steinke 2020), sampled exactly; it
 *   is ρ-zCDP with ρ = 1/(2σ²) (their Theorem 4), and ρ-zCDP implies (ρ + 2√(ρ ln(1/δ)), δ)-DP (Bun &
 *   Steinke 2016, Proposition 1.3): σ² is the one that makes that ε equal the requested one.
 */
import { DomainError } from '../errors';
import type { PrivacyConfig, PrivacyMechanism } from '../ingest/audit-config';
import { normalCdf } from '../stats';
import { sampleDiscreteGaussian, sampleDiscreteLaplace } from './exact-samplers';
import { RandomSource } from './random-source';
import { toRational } from './rational';

/** The noise of a continuous mechanism is rounded to an integer count: that adds ≈ 1/12 to its variance. */
export const ROUNDING_VARIANCE = 1 / 12;
/** Bisection steps for the analytic Gaussian σ (the bracket shrinks by half each step). */
const BISECTION_STEPS = 200;
/** The discrete Gaussian's variance is summed over |x| ≤ TAIL_SIGMAS·σ + 1; the rest weighs < e^−72. */
const TAIL_SIGMAS = 12;

/** True for the mechanisms whose noise is real-valued (rounded afterwards). */
export function isContinuous(mechanism: PrivacyMechanism): boolean {
  return mechanism === 'laplace' || mechanism === 'gaussian';
}

function requireDelta(config: PrivacyConfig): number {
  if (config.delta === undefined) {
    throw new DomainError('invalid_config', `The ${config.mechanism} mechanism needs privacy.delta`, [
      { field: 'config.privacy.delta', message: `is required with mechanism "${config.mechanism}"` },
    ]);
  }
  return config.delta;
}

/** δ(σ) of the Gaussian mechanism with sensitivity 1 (Balle & Wang 2018, Theorem 8). */
export function gaussianDelta(sigma: number, epsilon: number): number {
  const a = 1 / (2 * sigma);
  const b = epsilon * sigma;
  return normalCdf(a - b) - Math.exp(epsilon) * normalCdf(-a - b);
}

/** The smallest σ for which the Gaussian mechanism with sensitivity 1 is (ε, δ)-DP (bisection on δ(σ)). */
export function analyticGaussianSigma(epsilon: number, delta: number): number {
  let low = 1e-6;
  let high = 1;
  while (!(gaussianDelta(high, epsilon) <= delta)) high *= 2;
  for (let i = 0; i < BISECTION_STEPS && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (gaussianDelta(mid, epsilon) <= delta) high = mid;
    else low = mid;
  }
  // `high` always satisfies δ(σ) ≤ δ: the answer errs on the private side.
  return high;
}

/** σ² of the discrete Gaussian for (ε, δ) through ρ-zCDP: √ρ = √(ln(1/δ) + ε) − √(ln(1/δ)), σ² = 1/(2ρ). */
export function discreteGaussianSigma2(epsilon: number, delta: number): number {
  const log = Math.log(1 / delta);
  const rootRho = Math.sqrt(log + epsilon) - Math.sqrt(log);
  return 1 / (2 * rootRho * rootRho);
}

/** Var of N_Z(0, σ²): Σ x² e^(−x²/2σ²) / Σ e^(−x²/2σ²) (slightly below σ² when σ < 1, equal to it beyond). */
export function discreteGaussianVariance(sigma2: number): number {
  const limit = Math.ceil(TAIL_SIGMAS * Math.sqrt(sigma2)) + 1;
  let mass = 1;
  let second = 0;
  for (let x = 1; x <= limit; x++) {
    const w = 2 * Math.exp(-(x * x) / (2 * sigma2));
    mass += w;
    second += x * x * w;
  }
  return second / mass;
}

/** The variance of the noise one mechanism adds to one count (before rounding). */
export function mechanismVariance(config: PrivacyConfig): number {
  const { epsilon } = config;
  switch (config.mechanism) {
    case 'geometric': {
      const alpha = Math.exp(-epsilon);
      return (2 * alpha) / ((1 - alpha) * (1 - alpha));
    }
    case 'laplace':
      return 2 / (epsilon * epsilon);
    case 'gaussian':
      return analyticGaussianSigma(epsilon, requireDelta(config)) ** 2;
    case 'discrete_gaussian':
      return discreteGaussianVariance(discreteGaussianSigma2(epsilon, requireDelta(config)));
  }
}

/** The variance of a released count's noise: the mechanism's, plus the rounding of a continuous one. */
export function cellNoiseVariance(config: PrivacyConfig): number {
  return mechanismVariance(config) + (isContinuous(config.mechanism) ? ROUNDING_VARIANCE : 0);
}

/** A sampler of one count's noise, with its calibration done once. */
export type NoiseSampler = () => number;

export function noiseSampler(config: PrivacyConfig, rng: RandomSource): NoiseSampler {
  const { epsilon } = config;
  switch (config.mechanism) {
    case 'geometric': {
      // P(x) ∝ exp(−ε|x|): the discrete Laplace of scale 1/ε, with ε as an exact fraction s/t.
      const { num, den } = toRational(epsilon);
      return () => Number(sampleDiscreteLaplace(rng, num, den));
    }
    case 'laplace': {
      // The difference of two exponentials of mean 1/ε is Laplace(1/ε).
      return () => (Math.log(rng.uniform()) - Math.log(rng.uniform())) / epsilon;
    }
    case 'gaussian': {
      const sigma = analyticGaussianSigma(epsilon, requireDelta(config));
      // Box–Muller.
      return () => sigma * Math.sqrt(-2 * Math.log(rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
    }
    case 'discrete_gaussian': {
      const sigma2 = toRational(discreteGaussianSigma2(epsilon, requireDelta(config)));
      return () => Number(sampleDiscreteGaussian(rng, sigma2));
    }
  }
}

/**
 * The released counts: each true count plus its own noise, rounded to an integer and raised to 0 when
 * negative. Rounding and clamping are post-processing (they look only at the noised count, never at the
 * data), so the released table keeps the (ε, δ) guarantee. Every total (a group, a margin, the whole table)
 * is a sum of released cells, so totals are consistent with their parts by construction.
 *
 * Every cell is noised, zeros included: a cell left out because it is empty would tell that no one in the
 * data has that combination.
 */
export function noiseCounts(counts: ArrayLike<number>, config: PrivacyConfig, rng: RandomSource): number[] {
  const sample = noiseSampler(config, rng);
  return Array.from(counts, (count) => {
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new DomainError('invalid_input', `A count must be a non-negative integer, not ${count}`);
    }
    return Math.max(0, Math.round(count + sample()));
  });
}
