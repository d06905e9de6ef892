import { zCritical } from '../stats';
import { calibrationMetrics, reliabilityCurve, withLogits } from './calibration';

/**
 * Expected values from an independent computation in numpy/scipy (the fits by scipy.optimize.minimize BFGS
 * on the log-likelihood, standard errors from the inverted Fisher information):
 *   s, y, w as below; logit(s) with s clipped to [1e-6, 1 - 1e-6]; z = norm.ppf(0.975).
 */
const S = [
  0.05, 0.12, 0.2, 0.33, 0.41, 0.5, 0.58, 0.66, 0.74, 0.9, 0.97, 0.0, 1.0, 0.25, 0.35, 0.45, 0.55, 0.65, 0.85,
  0.15,
];
const Y = [0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
const W = [1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1];
const Z = zCritical(0.95);
const ALL = Array.from(S, (_, i) => i);

function rows(weights?: number[]) {
  return withLogits(
    Float64Array.from(S),
    Uint8Array.from(Y),
    weights ? Float64Array.from(weights) : undefined,
  );
}

describe('calibrationMetrics', () => {
  it('matches numpy/scipy on unweighted rows (scores of exactly 0 and 1 included)', () => {
    const m = calibrationMetrics(rows(), ALL, Z);
    expect(m.brier_score).toBeCloseTo(0.168595, 12);
    expect(m.expected_calibration_error).toBeCloseTo(0.2195, 12);
    expect(m.observed_expected_ratio.value).toBeCloseTo(1.0298661174047372, 12);
    expect(m.observed_expected_ratio.ciLow).toBeCloseTo(0.554124315269917, 12);
    expect(m.observed_expected_ratio.ciHigh).toBeCloseTo(1.914054645412324, 12);
    expect(m.calibration_intercept.value).toBeCloseTo(0.09054262791323564, 6);
    expect(m.calibration_intercept.ciLow).toBeCloseTo(-1.003967289394136, 6);
    expect(m.calibration_intercept.ciHigh).toBeCloseTo(1.185052545220607, 6);
    expect(m.calibration_slope.value).toBeCloseTo(0.9535377625987224, 6);
    expect(m.calibration_slope.ciLow).toBeCloseTo(-0.05151999132462304, 6);
    expect(m.calibration_slope.ciHigh).toBeCloseTo(1.9585955165220676, 6);
    expect(m.flags).toEqual([]);
  });

  it('matches numpy/scipy with weights (every sum weighted)', () => {
    const m = calibrationMetrics(rows(W), ALL, Z);
    expect(m.brier_score).toBeCloseTo(0.16925384615384614, 12);
    expect(m.expected_calibration_error).toBeCloseTo(0.2253846153846154, 12);
    expect(m.observed_expected_ratio.value).toBeCloseTo(1.1804384485666106, 12);
    expect(m.observed_expected_ratio.ciLow).toBeCloseTo(0.6991174867357426, 12);
    expect(m.calibration_intercept.value).toBeCloseTo(0.5020946709674364, 6);
    expect(m.calibration_intercept.ciHigh).toBeCloseTo(1.456397937766393, 6);
    expect(m.calibration_slope.value).toBeCloseTo(1.0950068667061867, 6);
    expect(m.calibration_slope.ciLow).toBeCloseTo(0.07297400471489479, 6);
  });

  it('a weight of 2 counts like the row twice', () => {
    const doubled = withLogits(Float64Array.from([...S, S[4]!]), Uint8Array.from([...Y, Y[4]!]), undefined);
    const weights = S.map((_, i) => (i === 4 ? 2 : 1));
    const a = calibrationMetrics(doubled, [...ALL, S.length], Z);
    const b = calibrationMetrics(rows(weights), ALL, Z);
    expect(b.brier_score).toBeCloseTo(a.brier_score!, 14);
    expect(b.calibration_slope.value).toBeCloseTo(a.calibration_slope.value!, 9);
  });

  it('single-class group: Brier, ECE and O/E are defined, the fits are null and flagged', () => {
    const data = withLogits(Float64Array.from([0.2, 0.4, 0.6]), Uint8Array.from([0, 0, 0]), undefined);
    const m = calibrationMetrics(data, [0, 1, 2], Z);
    expect(m.brier_score).toBeCloseTo((0.04 + 0.16 + 0.36) / 3, 15);
    expect(m.observed_expected_ratio).toEqual({ value: 0, ciLow: null, ciHigh: null });
    expect(m.calibration_intercept.value).toBeNull();
    expect(m.calibration_slope.value).toBeNull();
    expect(m.flags).toEqual(['single_class']);
  });

  it('constant score: the slope is null and flagged, the intercept is the logit of O/E-like shift', () => {
    const data = withLogits(
      Float64Array.from([0.3, 0.3, 0.3, 0.3]),
      Uint8Array.from([1, 0, 0, 1]),
      undefined,
    );
    const m = calibrationMetrics(data, [0, 1, 2, 3], Z);
    // Observed rate 0.5 against a constant 0.3: a = logit(0.5) − logit(0.3) = log(7/3).
    expect(m.calibration_intercept.value).toBeCloseTo(Math.log(7 / 3), 10);
    expect(m.calibration_slope.value).toBeNull();
    expect(m.flags).toEqual(['constant_score']);
  });

  it('perfect separation: the slope fit does not converge and is null with a flag, never a huge number', () => {
    const data = withLogits(
      Float64Array.from([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]),
      Uint8Array.from([0, 0, 0, 1, 1, 1]),
      undefined,
    );
    const m = calibrationMetrics(data, [0, 1, 2, 3, 4, 5], Z);
    expect(m.calibration_slope).toEqual({ value: null, ciLow: null, ciHigh: null });
    expect(m.flags).toContain('slope_not_converged');
  });
});

describe('reliabilityCurve', () => {
  it('10 bins with count, mean score, observed rate and a Wilson interval around it', () => {
    const curve = reliabilityCurve(rows(), ALL, Z);
    expect(curve).toHaveLength(10);
    // Bin 0 holds 0.05 (y 0) and 0.0 (y 0): rate 0 with Wilson upper z²/(n+z²) for n = 2.
    expect(curve[0]).toMatchObject({
      binLow: 0,
      binHigh: 0.1,
      count: 2,
      meanScore: 0.025,
      observedRate: 0,
      ciLow: 0,
    });
    expect(curve[0]!.ciHigh).toBeCloseTo((Z * Z) / (2 + Z * Z), 12);
    // Bin 9 holds 0.9, 0.97 and 1.0 (all y 1): bins are [b/10, (b+1)/10), the top one closed at 1.
    expect(curve[9]).toMatchObject({ count: 3, meanScore: (0.9 + 0.97 + 1) / 3, observedRate: 1, ciHigh: 1 });
    expect(curve[9]!.ciLow).toBeCloseTo(3 / (3 + Z * Z), 12);
    expect(curve.reduce((n, p) => n + p.count, 0)).toBe(S.length);
  });
});
