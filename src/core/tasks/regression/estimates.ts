/**
 * A group's regression metrics from its sums (moments.ts), each with a standard error and an interval at
 * the confidence level (docs/metrics.md, "Regression audits"):
 * - the means (target, prediction, error, absolute error): t-interval, df = n_eff − 1;
 * - RMSE: the t-interval of the mean squared error, square-rooted (a monotone map keeps the coverage);
 * - R² = 1 − SS_res/SS_tot: delta method (its influence function, below) with a t critical value;
 *   null when the group's target is constant (SS_tot = 0).
 * n_eff is Kish's effective size (ΣW)²/ΣWw, which is the exact count Σf with frequencies and no weights.
 */
import { tCritical } from '../../stats';
import type { MetricValue } from '../../fairness/types';
import type { RegressionDisparityKey, RegressionMetricKey } from '../types';
import { M, type Shift } from './moments';

/** A metric's value with what its disparities need: its standard error and degrees of freedom. */
export interface Estimate {
  value: number | null;
  se: number | null;
  /** n_eff − 1 */
  df: number;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface GroupEstimates {
  /** Σf: rows (or the rows frequencies stand for). */
  count: number;
  nEff: number;
  estimates: Record<RegressionDisparityKey, Estimate>;
}

const NONE: Estimate = { value: null, se: null, df: 0, ciLow: null, ciHigh: null };

/** The estimates of the group whose sums are block[at .. at + STRIDE), taken around `shift` (moments.ts). */
export function estimateGroup(
  block: Float64Array,
  at: number,
  shift: Shift,
  confidenceLevel: number,
): GroupEstimates {
  const count = block[at + M.count]!;
  const w = block[at + M.w]!;
  const nEff = w > 0 ? (w * w) / block[at + M.w2]! : 0;
  if (!(w > 0)) return { count, nEff, estimates: emptyEstimates() };
  const mean = (slot: number): number => block[at + slot]! / w;
  const df = nEff - 1;
  const t = df > 0 ? tCritical(confidenceLevel, df) : NaN;
  // Sample variance of a mean (Bessel-corrected on the effective size), and the t-interval around it.
  const meanEstimate = (m: number, secondMoment: number): Estimate => {
    if (!(df > 0)) return { value: m, se: null, df, ciLow: null, ciHigh: null };
    const variance = (Math.max(0, secondMoment - m * m) * nEff) / df;
    const se = Math.sqrt(variance / nEff);
    return { value: m, se, df, ciLow: m - t * se, ciHigh: m + t * se };
  };
  const dy = mean(M.y1);
  const dp = mean(M.p1);
  // A constant target has no spread at all: exactly 0, not the rounding left by the shifted sums.
  const constantTarget = !(block[at + M.yMax]! > block[at + M.yMin]!);
  const meanTarget = meanEstimate(dy, constantTarget ? dy * dy : mean(M.y2));
  const meanPrediction = meanEstimate(dp, mean(M.p2));
  const mse = mean(M.e2);
  const mseEstimate = meanEstimate(mse, mean(M.e4));
  return {
    count,
    nEff,
    estimates: {
      mean_target: shifted(meanTarget, shift.y),
      mean_prediction: shifted(meanPrediction, shift.p),
      mean_error: meanEstimate(mean(M.e1), mse),
      mean_absolute_error: meanEstimate(mean(M.abs), mse),
      root_mean_squared_error: rmse(mseEstimate),
      r2: r2Estimate(block, at, w, nEff, t),
    },
  };
}

function shifted(e: Estimate, by: number): Estimate {
  return {
    ...e,
    value: e.value === null ? null : e.value + by,
    ciLow: e.ciLow === null ? null : e.ciLow + by,
    ciHigh: e.ciHigh === null ? null : e.ciHigh + by,
  };
}

/** RMSE = √MSE with the square roots of the MSE's t-interval (its low end clamped at 0); SE by the delta method. */
function rmse(mse: Estimate): Estimate {
  const value = Math.sqrt(mse.value ?? 0);
  const se = mse.se === null ? null : value > 0 ? mse.se / (2 * value) : 0;
  if (mse.ciLow === null || mse.ciHigh === null) return { ...mse, value, se };
  return { value, se, df: mse.df, ciLow: Math.sqrt(Math.max(0, mse.ciLow)), ciHigh: Math.sqrt(mse.ciHigh) };
}

/**
 * R² = 1 − a/b with a = mean e², b = mean (y − ȳ)² (population form, as scikit-learn's r2_score). Its
 * influence function is IF = −(e² − a)/b + a((y − ȳ)² − b)/b² (the estimated ȳ adds nothing to first
 * order), so Var(R²) ≈ E[IF²]/n_eff = [Var(e²)/b² − 2a·Cov(e², (y−ȳ)²)/b³ + a²·Var((y−ȳ)²)/b⁴]/n_eff, every
 * moment from the group's sums of y' = y − c_y (δ = ȳ − c_y).
 */
function r2Estimate(block: Float64Array, at: number, w: number, nEff: number, t: number): Estimate {
  if (!(block[at + M.yMax]! > block[at + M.yMin]!)) return NONE;
  const m = (slot: number): number => block[at + slot]! / w;
  const d = m(M.y1);
  const b = m(M.y2) - d * d;
  if (!(b > 0)) return NONE;
  const a = m(M.e2);
  const value = 1 - a / b;
  const m4 = m(M.y4) - 4 * d * m(M.y3) + 6 * d * d * m(M.y2) - 3 * d ** 4;
  const e2yc2 = m(M.e2y2) - 2 * d * m(M.e2y1) + d * d * a;
  const varE2 = m(M.e4) - a * a;
  const cov = e2yc2 - a * b;
  const varYc2 = m4 - b * b;
  const varIf = varE2 / (b * b) - (2 * a * cov) / b ** 3 + (a * a * varYc2) / b ** 4;
  const df = nEff - 1;
  if (!(df > 0)) return { value, se: null, df, ciLow: null, ciHigh: null };
  const se = Math.sqrt(Math.max(0, varIf) / nEff);
  return { value, se, df, ciLow: value - t * se, ciHigh: Math.min(1, value + t * se) };
}

function emptyEstimates(): Record<RegressionDisparityKey, Estimate> {
  return {
    mean_target: NONE,
    mean_prediction: NONE,
    mean_error: NONE,
    mean_absolute_error: NONE,
    root_mean_squared_error: NONE,
    r2: NONE,
  };
}

/** The public per-group metrics: `count` and each key's {value, ciLow, ciHigh}. */
export function toMetrics(group: GroupEstimates): Record<RegressionMetricKey, MetricValue> {
  const out = { count: { value: group.count } } as Record<RegressionMetricKey, MetricValue>;
  for (const [key, e] of Object.entries(group.estimates)) {
    out[key as RegressionDisparityKey] = { value: e.value, ciLow: e.ciLow, ciHigh: e.ciHigh };
  }
  return out;
}
