import { MISSING_CODE } from '../ingest/batch';

/**
 * Per-group sums for one slice, in one pass over the rows. Row i falls in confusion cell
 * label·2 + prediction (TN 0, FP 1, FN 2, TP 3); in label-free mode the label is read as 0.
 * Unweighted rows have weight 1, so every sum below is a plain count then.
 */
export const CELL = { TN: 0, FP: 1, FN: 2, TP: 3 } as const;

/** Offsets inside one group's block of STRIDE numbers. */
export const SLOT = {
  /** Σw per cell, 4 slots. */
  weight: 0,
  /** Σw² per cell, 4 slots (Kish effective sizes). */
  weightSq: 4,
  rows: 8,
  scoreSum: 9,
  brierSum: 10,
  /** Σw over rows whose score is strictly above the slice's median. */
  aboveMedian: 11,
} as const;
export const STRIDE = 12;

export interface TallyInput {
  codes: Uint16Array;
  groupCount: number;
  labels: Uint8Array;
  predictions: Uint8Array;
  scores: Float64Array | undefined;
  weights: Float64Array | undefined;
  /** Median of the slice's analysed scores; null without scores. */
  median: number | null;
}

export function tallyGroups(input: TallyInput): Float64Array {
  const sums = new Float64Array(input.groupCount * STRIDE);
  if (input.weights === undefined) tallyUnweighted(input, sums);
  else tallyWeighted(input, input.weights, sums);
  return sums;
}

/** One pass: each row adds to its cell count and, with scores, to the group's score sums (in row order). */
function tallyUnweighted(input: TallyInput, sums: Float64Array): void {
  const { codes, labels, predictions, scores, median } = input;
  const n = codes.length;
  if (scores !== undefined && median !== null) {
    for (let i = 0; i < n; i++) {
      const g = codes[i] as number;
      if (g === MISSING_CODE) continue;
      const base = g * STRIDE;
      const label = labels[i] as number;
      sums[base + label * 2 + (predictions[i] as number)]!++;
      const score = scores[i] as number;
      const error = score - label;
      sums[base + SLOT.scoreSum]! += score;
      sums[base + SLOT.brierSum]! += error * error;
      if (score > median) sums[base + SLOT.aboveMedian]!++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = codes[i] as number;
      if (g === MISSING_CODE) continue;
      sums[g * STRIDE + (labels[i] as number) * 2 + (predictions[i] as number)]!++;
    }
  }
  for (let base = 0; base < sums.length; base += STRIDE) {
    for (let c = 0; c < 4; c++) sums[base + SLOT.weightSq + c] = sums[base + c] as number;
    sums[base + SLOT.rows] = sums[base]! + sums[base + 1]! + sums[base + 2]! + sums[base + 3]!;
  }
}

function tallyWeighted(input: TallyInput, weights: Float64Array, sums: Float64Array): void {
  const { codes, labels, predictions, scores, median } = input;
  for (let i = 0; i < codes.length; i++) {
    const g = codes[i] as number;
    if (g === MISSING_CODE) continue;
    const base = g * STRIDE;
    const w = weights[i] as number;
    const label = labels[i] as number;
    const cell = label * 2 + (predictions[i] as number);
    sums[base + cell]! += w;
    sums[base + SLOT.weightSq + cell]! += w * w;
    sums[base + SLOT.rows]!++;
    if (scores !== undefined && median !== null) {
      const score = scores[i] as number;
      const error = score - label;
      sums[base + SLOT.scoreSum]! += w * score;
      sums[base + SLOT.brierSum]! += w * error * error;
      if (score > median) sums[base + SLOT.aboveMedian]! += w;
    }
  }
}
