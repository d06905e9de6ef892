/**
 * Calibration of a score per group (docs/metrics.md, "Score quality per group"): Brier score, expected
 * calibration error over 10 equal-width bins, the observed/expected ratio, and the logistic calibration
 * intercept and slope, with intervals; and the reliability curve those bins give. Weighted rows make every
 * sum weighted.
 */
import { wilsonInterval } from '../stats/intervals';
import { clippedLogit, fitCalibrationIntercept, fitCalibrationSlope, type LogisticData } from './logistic';

export const CALIBRATION_BINS = 10;

export interface Estimate {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export type CalibrationFlag =
  | 'no_scores_or_labels'
  | 'scores_outside_unit_interval'
  | 'single_class'
  | 'constant_score'
  | 'intercept_not_converged'
  | 'slope_not_converged';

export interface CalibrationMetrics {
  brier_score: number | null;
  expected_calibration_error: number | null;
  observed_expected_ratio: Estimate;
  calibration_intercept: Estimate;
  calibration_slope: Estimate;
  flags: CalibrationFlag[];
}

export interface CurvePoint {
  binLow: number;
  binHigh: number;
  /** Rows in the bin (Σw with weights). */
  count: number;
  meanScore: number | null;
  observedRate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** The columns calibration reads; `logits` are clippedLogit(score) per row, computed once per audit. */
export interface ScoredRows {
  scores: Float64Array;
  labels: Uint8Array;
  weights: Float64Array | undefined;
  logits: Float64Array;
}

const NONE: Estimate = { value: null, ciLow: null, ciHigh: null };

export function binOf(score: number): number {
  return Math.min(Math.floor(score * CALIBRATION_BINS), CALIBRATION_BINS - 1);
}

/** True when every score lies in [0, 1]: calibration is defined for probabilities only. */
export function scoresAreProbabilities(scores: Float64Array): boolean {
  for (let i = 0; i < scores.length; i++) if (!(scores[i]! >= 0 && scores[i]! <= 1)) return false;
  return true;
}

export function withLogits(
  scores: Float64Array,
  labels: Uint8Array,
  weights: Float64Array | undefined,
): ScoredRows {
  const logits = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) logits[i] = clippedLogit(scores[i]!);
  return { scores, labels, weights, logits };
}

interface BinSums {
  weight: Float64Array;
  weightSq: Float64Array;
  scoreSum: Float64Array;
  labelSum: Float64Array;
}

function binSums(data: ScoredRows, rows: ArrayLike<number>): BinSums {
  const sums: BinSums = {
    weight: new Float64Array(CALIBRATION_BINS),
    weightSq: new Float64Array(CALIBRATION_BINS),
    scoreSum: new Float64Array(CALIBRATION_BINS),
    labelSum: new Float64Array(CALIBRATION_BINS),
  };
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const w = data.weights === undefined ? 1 : data.weights[i]!;
    const b = binOf(data.scores[i]!);
    sums.weight[b]! += w;
    sums.weightSq[b]! += w * w;
    sums.scoreSum[b]! += w * data.scores[i]!;
    sums.labelSum[b]! += w * data.labels[i]!;
  }
  return sums;
}

function wald(value: number, se: number, z: number): Estimate {
  return Number.isFinite(se) ? { value, ciLow: value - z * se, ciHigh: value + z * se } : NONE;
}

/** Every calibration metric of one group (`rows` indexes into the columns). */
export function calibrationMetrics(data: ScoredRows, rows: ArrayLike<number>, z: number): CalibrationMetrics {
  const flags: CalibrationFlag[] = [];
  const sums = binSums(data, rows);
  let total = 0;
  let observed = 0;
  let expected = 0;
  let brier = 0;
  let minScore = Infinity;
  let maxScore = -Infinity;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const w = data.weights === undefined ? 1 : data.weights[i]!;
    const s = data.scores[i]!;
    const y = data.labels[i]!;
    total += w;
    observed += w * y;
    expected += w * s;
    brier += w * (s - y) * (s - y);
    if (s < minScore) minScore = s;
    if (s > maxScore) maxScore = s;
  }
  if (!(total > 0)) {
    return {
      brier_score: null,
      expected_calibration_error: null,
      observed_expected_ratio: NONE,
      calibration_intercept: NONE,
      calibration_slope: NONE,
      flags,
    };
  }
  let ece = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const w = sums.weight[b]!;
    if (w > 0) ece += (w / total) * Math.abs(sums.labelSum[b]! / w - sums.scoreSum[b]! / w);
  }
  const ratio = expected > 0 ? observed / expected : null;
  const oe: Estimate =
    ratio === null
      ? NONE
      : observed > 0
        ? {
            value: ratio,
            ciLow: Math.exp(Math.log(ratio) - z / Math.sqrt(observed)),
            ciHigh: Math.exp(Math.log(ratio) + z / Math.sqrt(observed)),
          }
        : { value: ratio, ciLow: null, ciHigh: null };

  const singleClass = observed === 0 || observed === total;
  let intercept = NONE;
  let slope = NONE;
  if (singleClass) {
    flags.push('single_class');
  } else {
    const fitData: LogisticData = { x: data.logits, labels: data.labels, weights: data.weights, rows };
    const a = fitCalibrationIntercept(fitData);
    if (a === 'not_converged') flags.push('intercept_not_converged');
    else intercept = wald(a.value, a.se, z);
    if (minScore === maxScore) {
      flags.push('constant_score');
    } else {
      const b = fitCalibrationSlope(fitData);
      if (b === 'not_converged') flags.push('slope_not_converged');
      else slope = wald(b.value, b.se, z);
    }
  }
  return {
    brier_score: brier / total,
    expected_calibration_error: ece,
    observed_expected_ratio: oe,
    calibration_intercept: intercept,
    calibration_slope: slope,
    flags,
  };
}

/**
 * The reliability curve: per bin, its rows, mean score and observed rate of label 1 with a Wilson interval
 * (on Kish's effective size with weights).
 */
export function reliabilityCurve(data: ScoredRows, rows: ArrayLike<number>, z: number): CurvePoint[] {
  const sums = binSums(data, rows);
  return Array.from({ length: CALIBRATION_BINS }, (_, b): CurvePoint => {
    const w = sums.weight[b]!;
    const binLow = b / CALIBRATION_BINS;
    const binHigh = (b + 1) / CALIBRATION_BINS;
    if (!(w > 0))
      return { binLow, binHigh, count: 0, meanScore: null, observedRate: null, ciLow: null, ciHigh: null };
    const rate = sums.labelSum[b]! / w;
    const effective = (w * w) / sums.weightSq[b]!;
    const interval = wilsonInterval(rate * effective, effective, z);
    return {
      binLow,
      binHigh,
      count: w,
      meanScore: sums.scoreSum[b]! / w,
      observedRate: rate,
      ciLow: interval === null ? null : Math.min(interval.low, rate),
      ciHigh: interval === null ? null : Math.max(interval.high, rate),
    };
  });
}
