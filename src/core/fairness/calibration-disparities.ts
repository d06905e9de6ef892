import { logObservedExpectedSe, scaledSe, type CalibrationFit } from '../score-quality/calibration';
import { normalCdf } from '../stats';
import type { Disparity } from './types';

export type CalibrationDisparities = Partial<
  Record<'observed_expected_ratio' | 'calibration_slope', Disparity>
>;

const NO_TEST = {
  differenceCiLow: null,
  differenceCiHigh: null,
  ratioCiLow: null,
  ratioCiHigh: null,
  pValue: null,
  test: null,
} as const;

/**
 * A group's calibration against the slice's reference (metrics.md, "Score quality per group"): the O/E ratio
 * as a ratio of ratios, its interval exp(ln R ± z·√(d_g/O_g + d_r/O_r)) and a Wald z-test of ln R (the groups'
 * events independent Poisson counts), the difference of O/E with its delta-method interval; and the slope
 * difference b_g − b_r with a Wald interval and test (√(se_g² + se_r²)), and the ratio b_g/b_r (no interval).
 * The reference itself gets difference 0 and ratio 1 with no interval and no test.
 */
export function calibrationDisparities(
  group: CalibrationFit | null,
  reference: CalibrationFit | null,
  isReference: boolean,
  settings: { z: number; fairnessBand: [number, number] },
): CalibrationDisparities {
  if (group === null || reference === null) return {};
  return {
    observed_expected_ratio: observedExpectedDisparity(group, reference, isReference, settings),
    calibration_slope: slopeDisparity(group, reference, isReference, settings.z),
  };
}

function observedExpectedDisparity(
  g: CalibrationFit,
  r: CalibrationFit,
  isReference: boolean,
  settings: { z: number; fairnessBand: [number, number] },
): Disparity {
  const value = g.expected > 0 ? g.observed / g.expected : null;
  const base = r.expected > 0 ? r.observed / r.expected : null;
  if (value === null || base === null) return { difference: null, ratio: null, withinBand: null, ...NO_TEST };
  const ratio = base > 0 ? value / base : null;
  const [low, high] = settings.fairnessBand;
  const estimate: Disparity = {
    difference: value - base,
    ratio,
    withinBand: ratio === null ? null : ratio >= low && ratio <= high,
  };
  const [seG, seR] = [logObservedExpectedSe(g), logObservedExpectedSe(r)];
  if (isReference || seG === null || seR === null || ratio === null) return { ...estimate, ...NO_TEST };
  const z = settings.z;
  const seLog = Math.sqrt(seG * seG + seR * seR);
  const seDifference = Math.sqrt(value * value * seG * seG + base * base * seR * seR);
  return {
    ...estimate,
    differenceCiLow: value - base - z * seDifference,
    differenceCiHigh: value - base + z * seDifference,
    ratioCiLow: ratio * Math.exp(-z * seLog),
    ratioCiHigh: ratio * Math.exp(z * seLog),
    pValue: twoSided(Math.log(ratio) / seLog),
    test: 'z',
  };
}

function slopeDisparity(g: CalibrationFit, r: CalibrationFit, isReference: boolean, z: number): Disparity {
  if (g.slope === null || r.slope === null)
    return { difference: null, ratio: null, withinBand: null, ...NO_TEST };
  const difference = g.slope.value - r.slope.value;
  const estimate: Disparity = {
    difference,
    ratio: r.slope.value > 0 ? g.slope.value / r.slope.value : null,
    withinBand: null,
  };
  const [seG, seR] = [scaledSe(g.slope, g), scaledSe(r.slope, r)];
  const se = Math.sqrt(seG * seG + seR * seR);
  if (isReference || !(se > 0) || !Number.isFinite(se)) return { ...estimate, ...NO_TEST };
  return {
    ...estimate,
    differenceCiLow: difference - z * se,
    differenceCiHigh: difference + z * se,
    ratioCiLow: null,
    ratioCiHigh: null,
    pValue: twoSided(difference / se),
    test: 'z',
  };
}

function twoSided(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}
