/**
 * Disparities of a regression slice's groups against its reference (docs/metrics.md, "Regression audits"):
 * - difference m_g − m_ref with a Welch interval: SE = √(se_g² + se_ref²), Welch–Satterthwaite degrees of
 *   freedom from each side's n_eff − 1, and the Welch t-test's two-sided p-value;
 * - ratio m_g / m_ref (null when m_ref = 0), its interval by the delta method on the log scale,
 *   ratio·exp(±z·√((se_g/m_g)² + (se_ref/m_ref)²)), only when both means are positive;
 * - p-values Holm-adjusted over the slice's groups, each metric on its own (as the binary task's default).
 * The reference itself gets difference 0 and ratio 1 with no interval and no test.
 */
import { holmAdjust, tCdf, tCritical, zCritical } from '../../stats';
import type { Disparity } from '../../fairness/types';
import type { RegressionDisparityKey } from '../types';
import type { Estimate, GroupEstimates } from './estimates';

export const DISPARITY_KEYS: readonly RegressionDisparityKey[] = [
  'mean_target',
  'mean_prediction',
  'mean_error',
  'mean_absolute_error',
  'root_mean_squared_error',
  'r2',
];

export type RegressionDisparities = Partial<Record<RegressionDisparityKey, Disparity>>;

export function sliceDisparities(
  groups: readonly GroupEstimates[],
  reference: GroupEstimates,
  referenceIndex: number | null,
  confidenceLevel: number,
): RegressionDisparities[] {
  const z = zCritical(confidenceLevel);
  const result = groups.map((group, g) => {
    const out: RegressionDisparities = {};
    for (const key of DISPARITY_KEYS) {
      out[key] = disparity(
        group.estimates[key],
        reference.estimates[key],
        g === referenceIndex,
        z,
        confidenceLevel,
      );
    }
    return out;
  });
  for (const key of DISPARITY_KEYS) {
    const adjusted = holmAdjust(result.map((d) => d[key]?.pValue ?? null));
    result.forEach((d, g) => {
      const entry = d[key];
      if (entry !== undefined) entry.pValueAdjusted = adjusted[g] ?? null;
    });
  }
  return result;
}

function disparity(
  group: Estimate,
  reference: Estimate,
  isReference: boolean,
  z: number,
  confidenceLevel: number,
): Disparity {
  const { value: m, se } = group;
  const { value: mRef, se: seRef } = reference;
  if (m === null || mRef === null) return { difference: null, ratio: null };
  if (isReference) return { difference: 0, ratio: 1 };
  const difference = m - mRef;
  const ratio = mRef !== 0 ? m / mRef : null;
  const out: Disparity = {
    difference,
    ratio,
    differenceCiLow: null,
    differenceCiHigh: null,
    pValue: null,
    test: null,
  };
  const welch = welchOf(group, reference);
  if (welch !== null) {
    const t = tCritical(confidenceLevel, welch.df);
    out.differenceCiLow = difference - t * welch.se;
    out.differenceCiHigh = difference + t * welch.se;
    out.pValue = welch.se > 0 ? Math.min(1, 2 * tCdf(-Math.abs(difference / welch.se), welch.df)) : null;
    out.test = out.pValue === null ? null : 'welch';
  }
  out.ratioCiLow = null;
  out.ratioCiHigh = null;
  if (ratio !== null && m > 0 && mRef > 0 && se !== null && seRef !== null) {
    const seLog = Math.sqrt((se / m) ** 2 + (seRef / mRef) ** 2);
    out.ratioCiLow = ratio * Math.exp(-z * seLog);
    out.ratioCiHigh = ratio * Math.exp(z * seLog);
  }
  return out;
}

/** Welch's SE and Welch–Satterthwaite degrees of freedom; null when a side has no SE (n_eff ≤ 1). */
function welchOf(a: Estimate, b: Estimate): { se: number; df: number } | null {
  if (a.se === null || b.se === null || !(a.df > 0 && b.df > 0)) return null;
  const va = a.se * a.se;
  const vb = b.se * b.se;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return { se: 0, df: a.df + b.df };
  const df = (va + vb) ** 2 / ((va * va) / a.df + (vb * vb) / b.df);
  return { se, df };
}
