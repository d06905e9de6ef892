import { zCritical } from '../stats';
import { calibrationFromLevels, reliabilityCurve } from './calibration';
import { levelsOf } from './levels';

/**
 * Expected values from test/fixtures/calibration/reference.py: numpy, row by row (no compression by distinct
 * score), Newton/IRLS written out there, Wald intervals from the inverse Fisher information times Σw²/Σw:
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
  return {
    scores: Float64Array.from(S),
    labels: Uint8Array.from(Y),
    weights: weights ? Float64Array.from(weights) : undefined,
  };
}

/** calibrationFromLevels on rows given as (scores, labels, weights). */
function metricsOf(s: number[], y: number[], w?: number[]) {
  return calibrationFromLevels(levelsOf(s, y, w), Z);
}

describe('calibrationFromLevels', () => {
  it('matches the row-by-row numpy IRLS on unweighted rows (scores of exactly 0 and 1 included)', () => {
    const m = metricsOf(S, Y);
    expect(m.brier_score).toBeCloseTo(0.168595, 12);
    expect(m.expected_calibration_error).toBeCloseTo(0.2195, 12);
    expect(m.observed_expected_ratio.value).toBeCloseTo(1.0298661174047372, 12);
    expect(m.observed_expected_ratio.ciLow).toBeCloseTo(0.5541243152699171, 12);
    expect(m.observed_expected_ratio.ciHigh).toBeCloseTo(1.914054645412324, 12);
    expect(m.calibration_intercept.value).toBeCloseTo(0.09054262231228488, 10);
    expect(m.calibration_intercept.ciLow).toBeCloseTo(-1.003967295052995, 10);
    expect(m.calibration_intercept.ciHigh).toBeCloseTo(1.1850525396775649, 10);
    expect(m.calibration_slope.value).toBeCloseTo(0.9535377810107063, 10);
    expect(m.calibration_slope.ciLow).toBeCloseTo(-0.05151998654112877, 10);
    expect(m.calibration_slope.ciHigh).toBeCloseTo(1.9585955485625415, 10);
    expect(m.flags).toEqual([]);
  });

  it('matches numpy with weights: every sum weighted, variances times Σw²/Σw (Kish)', () => {
    const m = metricsOf(S, Y, W);
    expect(m.brier_score).toBeCloseTo(0.16925384615384614, 12);
    expect(m.expected_calibration_error).toBeCloseTo(0.2253846153846154, 12);
    expect(m.observed_expected_ratio.value).toBeCloseTo(1.1804384485666106, 12);
    expect(m.observed_expected_ratio.ciLow).toBeCloseTo(0.6164144099616791, 12);
    expect(m.observed_expected_ratio.ciHigh).toBeCloseTo(2.2605489234766147, 12);
    expect(m.calibration_intercept.value).toBeCloseTo(0.5020946597867767, 10);
    expect(m.calibration_intercept.ciLow).toBeCloseTo(-0.681572863804987, 10);
    expect(m.calibration_intercept.ciHigh).toBeCloseTo(1.6857621833785403, 10);
    expect(m.calibration_slope.value).toBeCloseTo(1.0950068648906097, 10);
    expect(m.calibration_slope.ciLow).toBeCloseTo(-0.1726688814167865, 10);
    expect(m.calibration_slope.ciHigh).toBeCloseTo(2.362682611198006, 10);
  });

  it('a weight of 2 gives the estimates of the row twice; weights times a constant leave the intervals', () => {
    const doubled = metricsOf([...S, S[4]!], [...Y, Y[4]!]);
    const weighted = metricsOf(
      S,
      Y,
      S.map((_, i) => (i === 4 ? 2 : 1)),
    );
    expect(weighted.brier_score).toBeCloseTo(doubled.brier_score!, 14);
    expect(weighted.observed_expected_ratio.value).toBeCloseTo(doubled.observed_expected_ratio.value!, 14);
    expect(weighted.calibration_slope.value).toBeCloseTo(doubled.calibration_slope.value!, 10);
    expect(weighted.calibration_intercept.value).toBeCloseTo(doubled.calibration_intercept.value!, 10);
    const scaled = metricsOf(
      S,
      Y,
      W.map((w) => w * 7.5),
    );
    const plain = metricsOf(S, Y, W);
    for (const key of ['observed_expected_ratio', 'calibration_intercept', 'calibration_slope'] as const) {
      expect(scaled[key].ciLow).toBeCloseTo(plain[key].ciLow!, 10);
      expect(scaled[key].ciHigh).toBeCloseTo(plain[key].ciHigh!, 10);
    }
  });

  it('ties: rows sharing a score give the fit of the rows one by one (the compression is exact)', () => {
    // Each of the 20 rows three times, with its label flipped once: ties of both classes at every score.
    const s = [...S, ...S, ...S];
    const y = [...Y, ...Y, ...Y.map((v) => 1 - v)];
    const m = metricsOf(s, y);
    // numpy IRLS row by row on the same 60 rows (reference.py, metrics(S*3, Y*2 + flipped Y))
    expect(m.calibration_slope.value).toBeCloseTo(0.07020567081165911, 10);
    expect(m.calibration_intercept.value).toBeCloseTo(0.09054262231228488, 10);
  });

  it('single-class group: Brier, ECE and O/E are defined, the fits are null and flagged', () => {
    const m = metricsOf([0.2, 0.4, 0.6], [0, 0, 0]);
    expect(m.brier_score).toBeCloseTo((0.04 + 0.16 + 0.36) / 3, 15);
    expect(m.expected_calibration_error).toBeCloseTo((0.2 + 0.4 + 0.6) / 3, 15);
    expect(m.observed_expected_ratio).toEqual({ value: 0, ciLow: null, ciHigh: null, flag: 'no_events' });
    expect(m.calibration_intercept).toEqual({ value: null, ciLow: null, ciHigh: null, flag: 'single_class' });
    expect(m.calibration_slope).toEqual({ value: null, ciLow: null, ciHigh: null, flag: 'single_class' });
    expect(m.flags).toEqual(['single_class']);
    const positives = metricsOf([0.2, 0.4], [1, 1]);
    expect(positives.observed_expected_ratio.value).toBeCloseTo(2 / 0.6, 14);
    expect(positives.calibration_slope.flag).toBe('single_class');
  });

  it('constant score: the slope is null and flagged, the intercept is logit(observed) − logit(score)', () => {
    const m = metricsOf([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1]);
    // Observed rate 0.5 against a constant 0.3: a = logit(0.5) − logit(0.3) = log(7/3).
    expect(m.calibration_intercept.value).toBeCloseTo(Math.log(7 / 3), 12);
    // Wald: var(a) = 1/(n p (1 − p)) at p = 0.5 → se = 1.
    expect(m.calibration_intercept.ciHigh! - m.calibration_intercept.value!).toBeCloseTo(Z, 10);
    expect(m.calibration_slope).toEqual({ value: null, ciLow: null, ciHigh: null, flag: 'constant_score' });
    expect(m.flags).toEqual(['constant_score']);
  });

  it('scores of exactly 0 and 1 are clipped to 1e-6 and 1 − 1e-6 in the logit', () => {
    // Two levels at the clip: a = 0 and b = 1 would need P = 1e-6 and 1 − 1e-6; with y = (0,1,1,0) at
    // s = (0,0,1,1) the fit is a = 0, b = 0 (observed rate 1/2 at both), by hand.
    const m = metricsOf([0, 0, 1, 1], [0, 1, 1, 0]);
    expect(m.calibration_slope.value).toBeCloseTo(0, 12);
    expect(m.brier_score).toBeCloseTo(0.5, 15);
    expect(m.observed_expected_ratio.value).toBeCloseTo(1, 15);
  });

  it('perfect separation: the slope fit does not converge and is null with a flag, never a huge number', () => {
    const m = metricsOf([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 0, 1, 1, 1]);
    expect(m.calibration_slope).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      flag: 'slope_not_converged',
    });
    expect(m.flags).toContain('slope_not_converged');
    // The intercept (slope fixed at 1) still has a finite maximum.
    expect(m.calibration_intercept.value).not.toBeNull();
    // and a near-separated group converges: one positive below one negative
    const near = metricsOf([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 1, 0, 1, 1]);
    expect(near.calibration_slope.value).not.toBeNull();
  });

  it('an empty group has every figure null without a flag; Σs = 0 makes O/E null with a flag', () => {
    const empty = calibrationFromLevels(levelsOf([], []), Z);
    expect(empty.calibration_slope).toEqual({ value: null, ciLow: null, ciHigh: null });
    expect(empty.flags).toEqual([]);
    const zero = metricsOf([0, 0], [0, 1]);
    expect(zero.observed_expected_ratio).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      flag: 'zero_expected',
    });
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
