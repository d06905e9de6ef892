import { compareProportions, holmAdjust, katzRatioInterval, newcombeDifferenceInterval } from '../stats';
import { GroupEstimates, RateEstimate } from './rates';
import { favorableRate } from './reference';
import { Disparity, RateKey } from './types';

export interface DisparitySettings {
  z: number;
  fairnessBand: [number, number];
  favorableOutcome: 'positive' | 'negative';
}

/**
 * Disparities of every group of a slice against the reference, for every rate the groups report.
 * `referenceIndex` is the reference's own position among the groups (null for the "overall" strategy):
 * it gets difference 0 and ratio 1 with no interval and no test. Tests are Holm-adjusted over the slice's
 * groups, separately for each metric; selection_rate disparities also carry the LL144 impact ratio.
 */
export function sliceDisparities(
  groups: readonly GroupEstimates[],
  reference: GroupEstimates,
  referenceIndex: number | null,
  settings: DisparitySettings,
): Partial<Record<RateKey, Disparity>>[] {
  const result = groups.map((group, index) => {
    const disparities: Partial<Record<RateKey, Disparity>> = {};
    for (const [key, rate] of Object.entries(group.rates)) {
      const referenceRate = reference.rates[key as RateKey];
      if (referenceRate !== undefined) {
        disparities[key as RateKey] = disparity(rate, referenceRate, index === referenceIndex, settings);
      }
    }
    return disparities;
  });
  adjustPValues(result);
  addImpactRatios(groups, result, settings.favorableOutcome);
  return result;
}

function disparity(
  group: RateEstimate,
  reference: RateEstimate,
  isReference: boolean,
  settings: DisparitySettings,
): Disparity {
  const [value, base] = [group.value, reference.value];
  const defined = value !== null && base !== null;
  const ratio = defined && base !== 0 ? value / base : null;
  const [low, high] = settings.fairnessBand;
  const result: Disparity = {
    difference: defined ? value - base : null,
    ratio,
    withinBand: ratio === null ? null : ratio >= low && ratio <= high,
  };
  return { ...result, ...uncertainty(group, reference, isReference, settings.z) };
}

/** Newcombe and Katz intervals and the test; null for the reference itself or a composite rate. */
function uncertainty(
  group: RateEstimate,
  reference: RateEstimate,
  isReference: boolean,
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
  const difference = newcombeDifferenceInterval(a.x, a.n, b.x, b.n, z);
  const ratio = katzRatioInterval(a.x, a.n, b.x, b.n, z);
  const test = compareProportions(a.x, a.n, b.x, b.n);
  return {
    differenceCiLow: difference?.low ?? null,
    differenceCiHigh: difference?.high ?? null,
    ratioCiLow: ratio?.low ?? null,
    ratioCiHigh: ratio?.high ?? null,
    pValue: test?.pValue ?? null,
    test: test?.test ?? null,
  };
}

function adjustPValues(disparities: Partial<Record<RateKey, Disparity>>[]): void {
  const keys = new Set(disparities.flatMap((d) => Object.keys(d) as RateKey[]));
  for (const key of keys) {
    const adjusted = holmAdjust(disparities.map((d) => d[key]?.pValue ?? null));
    disparities.forEach((d, i) => {
      const entry = d[key];
      if (entry !== undefined) entry.pValueAdjusted = adjusted[i] ?? null;
    });
  }
}

/** impactRatio = favorable selection rate of the group / the highest in the slice (null when that is 0). */
function addImpactRatios(
  groups: readonly GroupEstimates[],
  disparities: Partial<Record<RateKey, Disparity>>[],
  favorableOutcome: 'positive' | 'negative',
): void {
  const favorable = groups.map((g) => favorableRate(g.rates.selection_rate?.value ?? null, favorableOutcome));
  const highest = Math.max(0, ...favorable.filter((v): v is number => v !== null));
  disparities.forEach((d, i) => {
    const rate = favorable[i] ?? null;
    if (d.selection_rate !== undefined)
      d.selection_rate.impactRatio = rate !== null && highest > 0 ? rate / highest : null;
  });
}
