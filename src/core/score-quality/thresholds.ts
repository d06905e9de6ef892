/**
 * Threshold what-if per group (docs/metrics.md, "Score quality per group"): at each threshold t a row is
 * predicted positive when score >= t, the audit's own rule, and each group gets its selection rate, TPR,
 * FPR, PPV, alerts per 1,000 and net benefit NB(t) = TP/n − FP/n · t/(1 − t) (Vickers & Elkin 2006). One
 * walk down the rows in score order serves every threshold of every group of every slice.
 */
import type { SliceRows } from './groups';

export interface ThresholdPoint {
  threshold: number;
  selection_rate: number | null;
  true_positive_rate: number | null;
  false_positive_rate: number | null;
  positive_predictive_value: number | null;
  net_benefit: number | null;
  alerts_per_1000: number | null;
}

export interface ScoreLabelRows {
  scores: Float64Array;
  labels: Uint8Array;
  weights: Float64Array | undefined;
  /** Rows in ascending score order (one sort per audit). */
  order: Uint32Array;
}

/** Per slice, per group: one point per threshold (thresholds in ascending order). */
export type ThresholdTable = ThresholdPoint[][][];

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function pointOf(
  threshold: number,
  tp: number,
  fp: number,
  positives: number,
  total: number,
): ThresholdPoint {
  const selection = ratio(tp + fp, total);
  return {
    threshold,
    selection_rate: selection,
    true_positive_rate: ratio(tp, positives),
    false_positive_rate: ratio(fp, total - positives),
    positive_predictive_value: ratio(tp, tp + fp),
    net_benefit:
      total > 0 && threshold < 1 ? tp / total - (fp / total) * (threshold / (1 - threshold)) : null,
    alerts_per_1000: selection === null ? null : 1000 * selection,
  };
}

/**
 * The what-if table. `thresholds` must be ascending. Rows a slice leaves out (group −1) count nowhere in
 * that slice.
 */
export function thresholdTable(
  data: ScoreLabelRows,
  slices: readonly SliceRows[],
  thresholds: readonly number[],
): ThresholdTable {
  const k = thresholds.length;
  // Cumulative sums over rows with score >= the current threshold, and each group's totals.
  const tp = slices.map((s) => new Float64Array(s.keys.length));
  const fp = slices.map((s) => new Float64Array(s.keys.length));
  const positives = slices.map((s) => new Float64Array(s.keys.length));
  const totals = slices.map((s) => new Float64Array(s.keys.length));
  const { scores, labels, weights, order } = data;
  for (let i = 0; i < scores.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    for (let s = 0; s < slices.length; s++) {
      const g = slices[s]!.rowGroup[i]!;
      if (g < 0) continue;
      totals[s]![g]! += w;
      positives[s]![g]! += w * labels[i]!;
    }
  }
  const table: ThresholdTable = slices.map((s) => s.keys.map(() => new Array<ThresholdPoint>(k)));
  // Each row's groups side by side, so the walk in score order reads one place per row, not one per slice
  // (1M rows, 5 slices, CPU on a loaded machine: 360–510 ms before, 310–430 ms after).
  const width = slices.length;
  const packed = new Int32Array(scores.length * width);
  for (let s = 0; s < width; s++) {
    const rowGroup = slices[s]!.rowGroup;
    for (let i = 0; i < scores.length; i++) packed[i * width + s] = rowGroup[i]!;
  }
  let next = order.length - 1; // the highest score not yet counted
  for (let t = k - 1; t >= 0; t--) {
    const threshold = thresholds[t]!;
    for (; next >= 0 && scores[order[next]!]! >= threshold; next--) {
      const i = order[next]!;
      const w = weights === undefined ? 1 : weights[i]!;
      const counts = labels[i] === 1 ? tp : fp;
      for (let s = 0, at = i * width; s < width; s++, at++) {
        const g = packed[at]!;
        if (g >= 0) counts[s]![g]! += w;
      }
    }
    for (let s = 0; s < slices.length; s++) {
      for (let g = 0; g < slices[s]!.keys.length; g++) {
        table[s]![g]![t] = pointOf(threshold, tp[s]![g]!, fp[s]![g]!, positives[s]![g]!, totals[s]![g]!);
      }
    }
  }
  return table;
}

export interface EqualizingThreshold {
  /** The group's threshold whose TPR comes closest to the target from above; null when none reaches it. */
  threshold: number | null;
  true_positive_rate: number | null;
  /** |TPR − target| <= tolerance. */
  withinTolerance: boolean;
  alerts_per_1000: number | null;
  net_benefit: number | null;
}

/**
 * Per group of one slice: the largest threshold (among the group's own scores) at which its TPR is at least
 * `target` (equal opportunity with the reference), with what it costs in alerts and net benefit there.
 */
export function equalizingThresholds(
  data: ScoreLabelRows,
  slice: SliceRows,
  target: number,
  tolerance: number,
): EqualizingThreshold[] {
  const groups = slice.keys.length;
  const positives = new Float64Array(groups);
  const totals = new Float64Array(groups);
  const { scores, labels, weights, order } = data;
  for (let i = 0; i < scores.length; i++) {
    const g = slice.rowGroup[i]!;
    if (g < 0) continue;
    const w = weights === undefined ? 1 : weights[i]!;
    totals[g]! += w;
    positives[g]! += w * labels[i]!;
  }
  const tp = new Float64Array(groups);
  const fp = new Float64Array(groups);
  const found: (EqualizingThreshold | null)[] = new Array<EqualizingThreshold | null>(groups).fill(null);
  // Down the scores: a group's TPR only grows as its threshold falls, so the first tie block after which
  // it reaches the target gives the largest such threshold.
  for (let p = order.length - 1; p >= 0;) {
    const value = scores[order[p]!]!;
    const touched: number[] = [];
    for (; p >= 0 && scores[order[p]!]! === value; p--) {
      const i = order[p]!;
      const g = slice.rowGroup[i]!;
      if (g < 0 || found[g] !== null) continue;
      const w = weights === undefined ? 1 : weights[i]!;
      if (labels[i] === 1) tp[g]! += w;
      else fp[g]! += w;
      touched.push(g);
    }
    for (const g of touched) {
      if (found[g] !== null || !(positives[g]! > 0)) continue;
      const tpr = tp[g]! / positives[g]!;
      if (tpr >= target) {
        const point = pointOf(value, tp[g]!, fp[g]!, positives[g]!, totals[g]!);
        found[g] = {
          threshold: value,
          true_positive_rate: tpr,
          withinTolerance: Math.abs(tpr - target) <= tolerance,
          alerts_per_1000: point.alerts_per_1000,
          net_benefit: point.net_benefit,
        };
      }
    }
  }
  return found.map(
    (f) =>
      f ?? {
        threshold: null,
        true_positive_rate: null,
        withinTolerance: false,
        alerts_per_1000: null,
        net_benefit: null,
      },
  );
}
