/**
 * Per-cell sums of a partition (cells.ts), in one pass over the rows. Row i falls in confusion cell
 * label·2 + prediction (TN 0, FP 1, FN 2, TP 3); in label-free mode the label is read as 0.
 * Unweighted rows have weight 1, so every sum below is a plain count then. A group's sums are the sums
 * of its cells. With counts (`frequencies`) a row of count c is c people of weight 1: it adds c to Σw, to
 * Σw² and to the people (`rows`), so every sum equals that of the expanded rows.
 */
export const CELL = { TN: 0, FP: 1, FN: 2, TP: 3 } as const;

/** Offsets inside one cell's (or group's) block of STRIDE numbers. */
export const SLOT = {
  /** Σw per confusion cell, 4 slots. */
  weight: 0,
  /** Σw² per confusion cell, 4 slots (Kish effective sizes). */
  weightSq: 4,
  /** Rows (people with counts). */
  rows: 8,
  scoreSum: 9,
  brierSum: 10,
  /** Σw over rows whose score is strictly above the slice's median (filled in from the score order). */
  aboveMedian: 11,
} as const;
export const STRIDE = 12;

export interface TallyInput {
  cells: Uint16Array;
  cellCount: number;
  labels: Uint8Array;
  predictions: Uint8Array;
  scores: Float64Array | undefined;
  /** Sampling weights, or the counts when `frequencies`. */
  weights: Float64Array | undefined;
  /** The weights are counts (config.countColumn). */
  frequencies?: boolean;
}

export function tallyCells(input: TallyInput): Float64Array {
  const sums = new Float64Array(input.cellCount * STRIDE);
  if (input.weights === undefined) tallyUnweighted(input, sums);
  else tallyWeighted(input, input.weights, input.frequencies === true, sums);
  return sums;
}

/** One pass: each row adds to its confusion count and, with scores, to its cell's score sums. */
function tallyUnweighted(input: TallyInput, sums: Float64Array): void {
  const { cells, labels, predictions, scores } = input;
  const n = cells.length;
  if (scores !== undefined) {
    for (let i = 0; i < n; i++) {
      const base = cells[i]! * STRIDE;
      const label = labels[i]!;
      sums[base + label * 2 + predictions[i]!]!++;
      const score = scores[i]!;
      const error = score - label;
      sums[base + SLOT.scoreSum]! += score;
      sums[base + SLOT.brierSum]! += error * error;
    }
  } else {
    for (let i = 0; i < n; i++) sums[cells[i]! * STRIDE + labels[i]! * 2 + predictions[i]!]!++;
  }
  for (let base = 0; base < sums.length; base += STRIDE) {
    for (let c = 0; c < 4; c++) sums[base + SLOT.weightSq + c] = sums[base + c]!;
    sums[base + SLOT.rows] = sums[base]! + sums[base + 1]! + sums[base + 2]! + sums[base + 3]!;
  }
}

function tallyWeighted(
  input: TallyInput,
  weights: Float64Array,
  frequencies: boolean,
  sums: Float64Array,
): void {
  const { cells, labels, predictions, scores } = input;
  for (let i = 0; i < cells.length; i++) {
    const base = cells[i]! * STRIDE;
    const w = weights[i]!;
    const label = labels[i]!;
    const cell = label * 2 + predictions[i]!;
    sums[base + cell]! += w;
    sums[base + SLOT.weightSq + cell]! += frequencies ? w : w * w;
    sums[base + SLOT.rows]! += frequencies ? w : 1;
    if (scores !== undefined) {
      const score = scores[i]!;
      const error = score - label;
      sums[base + SLOT.scoreSum]! += w * score;
      sums[base + SLOT.brierSum]! += w * error * error;
    }
  }
}

/** Adds each cell's sums to its group's: groupOf[c·stride + member] is cell c's group (−1: none). */
export function addCellsToGroups(
  cellSums: Float64Array,
  groupOf: Int32Array,
  stride: number,
  member: number,
  groupSums: Float64Array,
): void {
  for (let c = 0; c * STRIDE < cellSums.length; c++) {
    const group = groupOf[c * stride + member]!;
    if (group < 0 || cellSums[c * STRIDE + SLOT.rows] === 0) continue;
    for (let s = 0; s < STRIDE; s++) groupSums[group * STRIDE + s]! += cellSums[c * STRIDE + s]!;
  }
}
