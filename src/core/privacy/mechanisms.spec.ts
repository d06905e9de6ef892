import REFERENCE from '../../../test/fixtures/privacy/reference.json';
import { DomainError } from '../errors';
import type { PrivacyConfig } from '../ingest/audit-config';
import { chiSquareSurvival } from '../stats';
import { bernoulliExpMinus, sampleDiscreteGaussian } from './exact-samplers';
import {
  analyticGaussianSigma,
  cellNoiseVariance,
  discreteGaussianSigma2,
  discreteGaussianVariance,
  mechanismVariance,
  noiseCounts,
  noiseSampler,
} from './mechanisms';
import { seededRandomSource } from './random-source';
import { toRational } from './rational';

const DRAWS = 40_000;

function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

const MECHANISMS: PrivacyConfig[] = [
  { mechanism: 'geometric', epsilon: 0.5 },
  { mechanism: 'laplace', epsilon: 0.5 },
  { mechanism: 'gaussian', epsilon: 1, delta: 1e-5 },
  { mechanism: 'discrete_gaussian', epsilon: 1, delta: 1e-5 },
];

describe.each(MECHANISMS)('the $mechanism mechanism (ε = $epsilon)', (config) => {
  it('draws noise of mean 0 whose empirical variance is within 10% of the stated variance', () => {
    const sample = noiseSampler(config, seededRandomSource(20261206));
    const { mean, variance } = moments(Array.from({ length: DRAWS }, sample));
    const stated = mechanismVariance(config);
    expect(Math.abs(variance / stated - 1)).toBeLessThan(0.1);
    // The mean is within 4 standard errors of 0.
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(stated / DRAWS));
  });

  it('releases integer counts ≥ 0 centred on the true count, with the stated variance after rounding', () => {
    const truth = 1000;
    const released = noiseCounts(new Array<number>(DRAWS).fill(truth), config, seededRandomSource(7));
    expect(released.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
    const { mean, variance } = moments(released);
    const stated = cellNoiseVariance(config);
    expect(Math.abs(variance / stated - 1)).toBeLessThan(0.1);
    expect(Math.abs(mean - truth)).toBeLessThan(4 * Math.sqrt(stated / DRAWS));
  });
});

describe('calibration against scipy (test/fixtures/privacy/reference.py)', () => {
  it.each(REFERENCE.analyticGaussian)('analytic Gaussian σ at ε = $epsilon, δ = $delta', (row) => {
    expect(analyticGaussianSigma(row.epsilon, row.delta)).toBeCloseTo(row.sigma, 8);
  });

  it.each(REFERENCE.classicGaussian)(
    'the classic σ at ε = $epsilon < 1 is larger than the analytic one',
    (row) => {
      const analytic = analyticGaussianSigma(row.epsilon, row.delta);
      expect(analytic).toBeLessThan(row.sigma);
      expect(analytic).toBeGreaterThan(0.5 * row.sigma);
    },
  );

  it.each(REFERENCE.zcdpSigma2)('discrete Gaussian σ² at ε = $epsilon, δ = $delta (ρ-zCDP)', (row) => {
    expect(discreteGaussianSigma2(row.epsilon, row.delta)).toBeCloseTo(row.sigma2, 6);
  });

  it.each(REFERENCE.discreteGaussian)('discrete Gaussian variance at σ² = $sigma2', (row) => {
    expect(discreteGaussianVariance(row.sigma2)).toBeCloseTo(row.variance, 10);
  });

  it.each(REFERENCE.geometricVariance)('geometric variance at ε = $epsilon', (row) => {
    const stated = mechanismVariance({ mechanism: 'geometric', epsilon: row.epsilon });
    expect(stated / row.variance).toBeCloseTo(1, 10);
  });
});

describe('the exact discrete Gaussian sampler (Canonne, Kamath & Steinke 2020)', () => {
  it('matches the pmf: χ² goodness of fit over −6..6 with pooled tails', () => {
    const ref = REFERENCE.discreteGaussian.find((r) => r.sigma2 === 2.5)!;
    const pmf = ref.pmf as Record<string, number>;
    const rng = seededRandomSource(99);
    const sigma2 = toRational(2.5);
    const counts = new Map<number, number>();
    for (let i = 0; i < DRAWS; i++) {
      const x = Math.max(-7, Math.min(7, Number(sampleDiscreteGaussian(rng, sigma2))));
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const expected = (x: number): number => {
      if (Math.abs(x) < 7) return pmf[String(x)]!;
      let tail = 0;
      for (let k = 7; k <= 30; k++) tail += pmf[String(k)]!;
      return tail;
    };
    let chi2 = 0;
    for (let x = -7; x <= 7; x++) {
      const e = expected(x) * DRAWS;
      chi2 += ((counts.get(x) ?? 0) - e) ** 2 / e;
      // Each bin is also within 4 binomial standard errors of its probability.
      const se = Math.sqrt(expected(x) * (1 - expected(x)) * DRAWS);
      expect(Math.abs((counts.get(x) ?? 0) - e)).toBeLessThan(4 * se);
    }
    expect(chiSquareSurvival(chi2, 14)).toBeGreaterThan(0.001);
  });

  it('fails the same χ² test against a pmf with a 10% larger σ² (the test can tell)', () => {
    const rng = seededRandomSource(99);
    const sample = Array.from({ length: DRAWS }, () => Number(sampleDiscreteGaussian(rng, toRational(2.5))));
    const wrong = (x: number): number => Math.exp(-(x * x) / (2 * 2.75));
    let mass = 0;
    for (let x = -40; x <= 40; x++) mass += wrong(x);
    let chi2 = 0;
    for (let x = -6; x <= 6; x++) {
      const e = (wrong(x) / mass) * DRAWS;
      chi2 += (sample.filter((s) => s === x).length - e) ** 2 / e;
    }
    expect(chiSquareSurvival(chi2, 12)).toBeLessThan(0.001);
  });

  it.each([0.3, 2.7])('Bernoulli(exp(−γ)) at γ = %p has rate exp(−γ)', (gamma) => {
    const rng = seededRandomSource(5);
    const { num, den } = toRational(gamma);
    let hits = 0;
    for (let i = 0; i < DRAWS; i++) if (bernoulliExpMinus(rng, num, den)) hits++;
    const p = Math.exp(-gamma);
    expect(Math.abs(hits / DRAWS - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / DRAWS));
  });
});

describe('inputs', () => {
  it('noises empty cells too (a zero is not left out)', () => {
    const released = noiseCounts(
      new Array<number>(200).fill(0),
      { mechanism: 'geometric', epsilon: 0.5 },
      seededRandomSource(1),
    );
    expect(released.some((c) => c > 0)).toBe(true);
  });

  it.each([-1, 2.5, Number.NaN])('refuses a count of %p', (count) => {
    expect(() =>
      noiseCounts([3, count], { mechanism: 'laplace', epsilon: 1 }, seededRandomSource(1)),
    ).toThrow(DomainError);
  });

  it.each(['gaussian', 'discrete_gaussian'] as const)('%s needs δ; with δ it calibrates', (mechanism) => {
    expect(() => mechanismVariance({ mechanism, epsilon: 1 })).toThrow(DomainError);
    expect(mechanismVariance({ mechanism, epsilon: 1, delta: 1e-5 })).toBeGreaterThan(0);
  });

  it('the same seed gives the same noise; another seed other noise', () => {
    const config: PrivacyConfig = { mechanism: 'discrete_gaussian', epsilon: 1, delta: 1e-6 };
    const a = noiseCounts([10, 20, 30, 40, 50], config, seededRandomSource(3));
    expect(noiseCounts([10, 20, 30, 40, 50], config, seededRandomSource(3))).toEqual(a);
    expect(noiseCounts([10, 20, 30, 40, 50], config, seededRandomSource(4))).not.toEqual(a);
  });
});
