import {
  clampTo,
  compareProportions,
  containing,
  holmAdjust,
  minDetectableRatios,
  newcombeDifferenceInterval,
  scoreRatioInterval,
} from '../stats';
import { calibrationDisparities } from './calibration-disparities';
import { GroupEstimates, Proportion, RateEstimate } from './rates';
import { favorableRate } from './reference';
import { Disparity, DisparityKey, MultipleTestingFamily, RateKey } from './types';

export interface DisparitySettings {
  z: number;
  fairnessBand: [number, number];
  favorableOutcome: 'positive' | 'negative';
  /** Holm's family: each metric of the slice on its own, or every test of the slice together. */
  multipleTesting: MultipleTestingFamily;
  /** Level and power of the minimum detectable ratio. */
  alpha: number;
  power: number;
}

/** Rates whose disparities carry the minimum detectable ratio (metrics.md, "Evidence"). */
export const DETECTABLE_KEYS: readonly RateKey[] = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
];

/**
 * Disparities of every group of a slice against the reference, for every rate the groups report.
 * `referenceIndex` is the reference's own position among the groups (null for the "overall" strategy):
 * it gets difference 0 and ratio 1 with no interval and no test. Tests are Holm-adjusted over the slice's
 * groups, separately for each metric (family "metric") or all together (family "slice");
 * selection_rate disparities also carry the LL144 impact ratio. With calibration (labels, scores in [0, 1]),
 * the O/E ratio and the calibration slope have disparities too (calibration-disparities.ts), tested and
 * adjusted alongside the rates.
 */
export function sliceDisparities(
  groups: readonly GroupEstimates[],
  reference: GroupEstimates,
  referenceIndex: number | null,
  settings: DisparitySettings,
): Partial<Record<DisparityKey, Disparity>>[] {
  const result = groups.map((group, index) => {
    const disparities: Partial<Record<DisparityKey, Disparity>> = {};
    for (const [key, rate] of Object.entries(group.rates)) {
      const referenceRate = reference.rates[key as RateKey];
      if (referenceRate !== undefined) {
        const d = disparity(rate, referenceRate, index === referenceIndex, settings);
        if (DETECTABLE_KEYS.includes(key as RateKey)) {
          Object.assign(d, detectable(rate, referenceRate, index === referenceIndex, settings));
        }
        disparities[key as RateKey] = d;
      }
    }
    Object.assign(
      disparities,
      calibrationDisparities(group.calibration, reference.calibration, index === referenceIndex, settings),
    );
    return disparities;
  });
  adjustPValues(result, settings.multipleTesting);
  addImpactRatios(groups, result, settings.favorableOutcome);
  return result;
}

function disparity(
  group: RateEstimate,
  reference: RateEstimate,
  isReference: boolean,
  settings: DisparitySettings,
): Disparity {
  const [value, base] = [clampTo(group.value, 0, 1), clampTo(reference.value, 0, 1)];
  const defined = value !== null && base !== null;
  const ratio = defined && base !== 0 ? value / base : null;
  const [low, high] = settings.fairnessBand;
  const result: Disparity = {
    difference: defined ? clampTo(value - base, -1, 1) : null,
    ratio,
    withinBand: ratio === null ? null : ratio >= low && ratio <= high,
  };
  return { ...result, ...uncertainty(group, reference, isReference, result, settings.z) };
}

/**
 * Newcombe's interval of the difference, Koopman's score interval of the ratio (each containing its
 * estimate; an unbounded upper ratio limit, when the reference has no events, is null) and the test; null
 * for the reference itself or a composite rate.
 */
function uncertainty(
  group: RateEstimate,
  reference: RateEstimate,
  isReference: boolean,
  estimate: Disparity,
  z: number,
): Partial<Disparity> {
  const [a, b] = [group.proportion, reference.proportion];
  if (isReference || a === null || b === null) {
    return {
      differenceCiLow: null,
      differenceCiHigh: null,
      ratioCiLow: null,
      ratioCiHigh: null,
      pValue: null,
      test: null,
    };
  }
  const [xa, xb] = [events(a), events(b)];
  const difference = containing(newcombeDifferenceInterval(xa, a.n, xb, b.n, z), estimate.difference, -1, 1);
  const ratio = containing(scoreRatioInterval(xa, a.n, xb, b.n, z), estimate.ratio, 0, Infinity);
  const test = compareProportions(a.x, a.n, b.x, b.n);
  return {
    differenceCiLow: difference?.low ?? null,
    differenceCiHigh: difference?.high ?? null,
    ratioCiLow: ratio?.low ?? null,
    ratioCiHigh: ratio !== null && Number.isFinite(ratio.high) ? ratio.high : null,
    pValue: test?.pValue ?? null,
    test: test?.test ?? null,
  };
}

/** x within [0, n] (weighted x = m·n can round past n). */
function events(p: Proportion): number {
  return Math.min(p.n, Math.max(0, p.x));
}

/** The minimum detectable ratios of the group against the reference (not for the reference itself). */
function detectable(
  group: RateEstimate,
  reference: RateEstimate,
  isReference: boolean,
  settings: DisparitySettings,
): Partial<Disparity> {
  const [a, b] = [group.proportion, reference.proportion];
  const rate = clampTo(reference.value, 0, 1);
  const ratios =
    isReference || a === null || b === null || rate === null
      ? null
      : minDetectableRatios(rate, a.n, b.n, settings.alpha, settings.power);
  return { minDetectableRatio: ratios?.below ?? null, minDetectableRatioAbove: ratios?.above ?? null };
}

function adjustPValues(
  disparities: Partial<Record<DisparityKey, Disparity>>[],
  family: MultipleTestingFamily,
): void {
  const keys = [...new Set(disparities.flatMap((d) => Object.keys(d) as DisparityKey[]))];
  const families = family === 'slice' ? [keys] : keys.map((key) => [key]);
  for (const members of families) {
    const entries = disparities.flatMap((d) =>
      members.map((key) => d[key]).filter((e): e is Disparity => e !== undefined),
    );
    const adjusted = holmAdjust(entries.map((e) => e.pValue ?? null));
    entries.forEach((entry, i) => (entry.pValueAdjusted = adjusted[i] ?? null));
  }
}

/** impactRatio = favorable selection rate of the group / the highest in the slice (null when that is 0). */
function addImpactRatios(
  groups: readonly GroupEstimates[],
  disparities: Partial<Record<DisparityKey, Disparity>>[],
  favorableOutcome: 'positive' | 'negative',
): void {
  const favorable = groups.map((g) =>
    favorableRate(clampTo(g.rates.selection_rate?.value ?? null, 0, 1), favorableOutcome),
  );
  const highest = Math.max(0, ...favorable.filter((v): v is number => v !== null));
  disparities.forEach((d, i) => {
    const rate = favorable[i] ?? null;
    if (d.selection_rate !== undefined)
      d.selection_rate.impactRatio = rate !== null && highest > 0 ? rate / highest : null;
  });
}
