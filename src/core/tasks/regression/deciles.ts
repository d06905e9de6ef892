/**
 * The Obermeyer check (Obermeyer et al., Science 2019): at the same predicted value, do groups have the same
 * outcome? The cut points are the deciles of the prediction over the whole sample (weighted by W = f·w,
 * the inverted CDF: the k-th cut is the smallest prediction whose cumulative share of the weight reaches
 * k/10, numpy's `quantile(method="inverted_cdf", weights=...)`), and a row falls in decile 1 + (number of
 * cuts strictly below its prediction). Per cell and decile the sums below are taken in one more pass.
 */
import { argsortFloat64 } from '../../stats';
import type { RegressionColumns, Shift } from './moments';

export const DECILES = 10;
/** Offsets in one (cell, decile) block. */
export const D = { count: 0, w: 1, w2: 2, p1: 3, y1: 4, y2: 5 } as const;
export const DECILE_STRIDE = 6;

/** Upper cut points of deciles 1..9; null when the sample has no weight. */
export function decileCutPoints(columns: RegressionColumns): number[] | null {
  const { predictedValues, counts, weights } = columns;
  const n = predictedValues.length;
  const weightOf = (i: number): number =>
    (counts === undefined ? 1 : counts[i]!) * (weights === undefined ? 1 : weights[i]!);
  const { order, sorted } = argsortFloat64(predictedValues);
  let total = 0;
  for (let i = 0; i < n; i++) total += weightOf(i);
  if (!(total > 0)) return null;
  const cuts: number[] = [];
  let cumulative = 0;
  let k = 1;
  for (let j = 0; j < n && k < DECILES; j++) {
    cumulative += weightOf(order[j]!);
    while (k < DECILES && cumulative / total >= k / DECILES) {
      cuts.push(sorted[j]!);
      k++;
    }
  }
  return cuts;
}

/** 0-based decile of each row. */
export function decileOfRows(predictedValues: Float64Array, cuts: readonly number[]): Uint8Array {
  const out = new Uint8Array(predictedValues.length);
  for (let i = 0; i < predictedValues.length; i++) {
    const p = predictedValues[i]!;
    let d = 0;
    while (d < cuts.length && cuts[d]! < p) d++;
    out[i] = d;
  }
  return out;
}

/** Sums per (cell, decile): block (cell·DECILES + decile)·DECILE_STRIDE. */
export function tallyDeciles(
  columns: RegressionColumns,
  cells: Uint16Array,
  cellCount: number,
  decileOf: Uint8Array,
  shift: Shift,
): Float64Array {
  const sums = new Float64Array(cellCount * DECILES * DECILE_STRIDE);
  const { targets, predictedValues, counts, weights } = columns;
  for (let i = 0; i < targets.length; i++) {
    const f = counts === undefined ? 1 : counts[i]!;
    const sw = weights === undefined ? 1 : weights[i]!;
    const w = f * sw;
    const yc = targets[i]! - shift.y;
    const at = (cells[i]! * DECILES + decileOf[i]!) * DECILE_STRIDE;
    sums[at + D.count]! += f;
    sums[at + D.w]! += w;
    sums[at + D.w2]! += w * sw;
    sums[at + D.p1]! += w * (predictedValues[i]! - shift.p);
    sums[at + D.y1]! += w * yc;
    sums[at + D.y2]! += w * yc * yc;
  }
  return sums;
}
