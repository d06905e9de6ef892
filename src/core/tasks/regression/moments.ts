/**
 * Per-cell sums of a regression batch, in one pass over the rows. Each row counts with the weight
 * W = f·w: its frequency f (`counts`, 1 without) times its sampling weight w (`weights`, 1 without), so a
 * row with count k adds exactly what k identical rows would. The target y and the prediction p are
 * shifted by the whole sample's means before their powers are summed (y' = y − c_y), so that the central
 * moments taken from these sums do not lose digits to cancellation when the values are large (costs in the
 * thousands) next to their spread. The error e = p − y is summed as it is: e² and e⁴ are what RMSE and R²
 * are about, and errors are centred near 0.
 */
import { ColumnarBatch } from '../../ingest/batch';

/** Offsets inside one cell's (or group's) block of STRIDE numbers. */
export const M = {
  /** Σf: the rows the cell stands for (its count). */
  count: 0,
  /** ΣW and ΣW·w (Kish's effective size is (ΣW)²/ΣWw; with counts only it is Σf exactly). */
  w: 1,
  w2: 2,
  y1: 3,
  y2: 4,
  y3: 5,
  y4: 6,
  p1: 7,
  p2: 8,
  e1: 9,
  e2: 10,
  e4: 11,
  /** ΣW|e| */
  abs: 12,
  /** ΣW e²y' and ΣW e²y'² (the covariance of e² and (y − ȳ)² in R²'s interval). */
  e2y1: 13,
  e2y2: 14,
  /** Smallest and largest target: a constant target (SS_tot = 0 exactly) makes R² null. */
  yMin: 15,
  yMax: 16,
} as const;
export const STRIDE = 17;

/** The two shifts: the whole sample's (weighted) mean target and mean prediction. */
export interface Shift {
  y: number;
  p: number;
}

export interface RegressionColumns {
  targets: Float64Array;
  predictedValues: Float64Array;
  counts: Float64Array | undefined;
  weights: Float64Array | undefined;
}

/** Weighted means of target and prediction over all rows (0 when every weight is 0). */
export function shiftOf(columns: RegressionColumns): Shift {
  const { targets, predictedValues, counts, weights } = columns;
  let sw = 0;
  let sy = 0;
  let sp = 0;
  for (let i = 0; i < targets.length; i++) {
    const w = (counts === undefined ? 1 : counts[i]!) * (weights === undefined ? 1 : weights[i]!);
    sw += w;
    sy += w * targets[i]!;
    sp += w * predictedValues[i]!;
  }
  return sw > 0 ? { y: sy / sw, p: sp / sw } : { y: 0, p: 0 };
}

/** Sums per cell (`cells[i]` is row i's cell), STRIDE numbers per cell. */
export function tallyMoments(
  columns: RegressionColumns,
  cells: Uint16Array,
  cellCount: number,
  shift: Shift,
): Float64Array {
  const sums = new Float64Array(cellCount * STRIDE);
  for (let c = 0; c < cellCount; c++) {
    sums[c * STRIDE + M.yMin] = Infinity;
    sums[c * STRIDE + M.yMax] = -Infinity;
  }
  const { targets, predictedValues, counts, weights } = columns;
  for (let i = 0; i < targets.length; i++) {
    const f = counts === undefined ? 1 : counts[i]!;
    const sw = weights === undefined ? 1 : weights[i]!;
    const w = f * sw;
    const y = targets[i]!;
    const p = predictedValues[i]!;
    const yc = y - shift.y;
    const pc = p - shift.p;
    const e = p - y;
    const yc2 = yc * yc;
    const e2 = e * e;
    const at = cells[i]! * STRIDE;
    sums[at + M.count]! += f;
    sums[at + M.w]! += w;
    sums[at + M.w2]! += w * sw;
    sums[at + M.y1]! += w * yc;
    sums[at + M.y2]! += w * yc2;
    sums[at + M.y3]! += w * yc2 * yc;
    sums[at + M.y4]! += w * yc2 * yc2;
    sums[at + M.p1]! += w * pc;
    sums[at + M.p2]! += w * pc * pc;
    sums[at + M.e1]! += w * e;
    sums[at + M.e2]! += w * e2;
    sums[at + M.e4]! += w * e2 * e2;
    sums[at + M.abs]! += w * Math.abs(e);
    sums[at + M.e2y1]! += w * e2 * yc;
    sums[at + M.e2y2]! += w * e2 * yc2;
    // A row with weight 0 (or count 0) says nothing about the group's targets.
    if (w > 0) {
      if (y < sums[at + M.yMin]!) sums[at + M.yMin] = y;
      if (y > sums[at + M.yMax]!) sums[at + M.yMax] = y;
    }
  }
  return sums;
}

/** Adds block `from` (STRIDE numbers at `fromAt`) into `into` at `intoAt`: sums add, extremes combine. */
export function addBlock(from: Float64Array, fromAt: number, into: Float64Array, intoAt: number): void {
  for (let s = 0; s < M.yMin; s++) into[intoAt + s]! += from[fromAt + s]!;
  into[intoAt + M.yMin] = Math.min(into[intoAt + M.yMin]!, from[fromAt + M.yMin]!);
  into[intoAt + M.yMax] = Math.max(into[intoAt + M.yMax]!, from[fromAt + M.yMax]!);
}

/** An empty block (extremes at ±∞). */
export function emptyBlocks(count: number): Float64Array {
  const blocks = new Float64Array(count * STRIDE);
  for (let g = 0; g < count; g++) {
    blocks[g * STRIDE + M.yMin] = Infinity;
    blocks[g * STRIDE + M.yMax] = -Infinity;
  }
  return blocks;
}

/** The regression columns of a batch, or null when it is not a regression batch. */
export function regressionColumns(batch: ColumnarBatch): RegressionColumns | null {
  if (batch.targets === undefined || batch.predictedValues === undefined) return null;
  return {
    targets: batch.targets,
    predictedValues: batch.predictedValues,
    counts: batch.counts,
    weights: batch.weights,
  };
}
