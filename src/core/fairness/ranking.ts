import { gatherValues, gatherWords, SortedOrder } from '../stats';
import { SLOT, STRIDE } from './tally';

/**
 * A cell partition's rows in ascending score order, with the group of every cell in each slice the
 * partition covers: what the rank statistics (median, AUC) read, in one sequential pass.
 */
export interface RankedPartition {
  /** cell·2 + label of each row, in score order. */
  cellLabels: Uint32Array;
  /** groupOf[c·members + j]: cell c's group (numbered across all slices) in covered slice j, or −1. */
  groupOf: Int32Array;
  members: number;
}

/** The rows' scores and weights in score order, shared by every partition. */
export interface RankedRows {
  scores: Float64Array;
  /** Sampling weights, or counts when `frequencies`. */
  weights: Float64Array | undefined;
  /** The weights are counts: a row of count c is c people of weight 1 (config.countColumn). */
  frequencies?: boolean;
}

/** Weights gathered in score order (the scores come sorted with the order). */
export function rankRows(
  order: SortedOrder,
  weights: Float64Array | undefined,
  frequencies = false,
): RankedRows {
  return {
    scores: order.sorted,
    weights: weights === undefined ? undefined : gatherValues(weights, order.order),
    frequencies: frequencies && weights !== undefined,
  };
}

/** Each row's cell·2 + label, in row order. */
export function packCells(cells: Uint16Array, labels: Uint8Array): Uint32Array {
  const packed = new Uint32Array(cells.length);
  for (let i = 0; i < cells.length; i++) packed[i] = cells[i]! * 2 + labels[i]!;
  return packed;
}

/** Each row's cell·2 + label in score order, when the sort did not carry them (packed first: one random read per row). */
export function rankCells(order: SortedOrder, cells: Uint16Array, labels: Uint8Array): Uint32Array {
  return gatherWords(packCells(cells, labels), order.order);
}

/**
 * Median of the scores of the rows covered slice `member` analyses (rows, not weights; people with counts);
 * the mean of the two middle values for an even count (NYC LL144's scoring rate). Null when the slice has no
 * rows.
 */
export function sliceMedian(
  ranked: RankedRows,
  partition: RankedPartition,
  member: number,
  analysedRows: number,
): number | null {
  if (analysedRows === 0) return null;
  if (ranked.frequencies === true) return peopleMedian(ranked, partition, member, analysedRows);
  const sorted = ranked.scores;
  const upper = Math.floor(analysedRows / 2);
  const lower = analysedRows % 2 === 0 ? upper - 1 : upper;
  if (analysedRows === sorted.length) return (sorted[lower]! + sorted[upper]!) / 2;
  const { cellLabels, groupOf, members } = partition;
  let seen = 0;
  let lowerValue = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (groupOf[(cellLabels[k]! >>> 1) * members + member]! < 0) continue;
    if (seen === lower) lowerValue = sorted[k]!;
    if (seen === upper) return (lowerValue + sorted[k]!) / 2;
    seen++;
  }
  return null;
}

/**
 * sliceMedian over people: the scores of the lower and upper middle person (0-based ranks ⌊(n−1)/2⌋ and
 * ⌊n/2⌋ among the n people), found by walking the cells in score order and adding up their counts.
 */
function peopleMedian(
  ranked: RankedRows,
  partition: RankedPartition,
  member: number,
  people: number,
): number | null {
  const { scores: sorted, weights } = ranked;
  const counts = weights as Float64Array;
  const upper = Math.floor(people / 2);
  const lower = people % 2 === 0 ? upper - 1 : upper;
  const { cellLabels, groupOf, members } = partition;
  const all = people === sumAll(counts);
  let seen = 0;
  let lowerValue: number | null = null;
  for (let k = 0; k < sorted.length; k++) {
    if (!all && groupOf[(cellLabels[k]! >>> 1) * members + member]! < 0) continue;
    seen += counts[k]!; // people ranked 0 .. seen − 1 so far
    if (lowerValue === null && seen > lower) lowerValue = sorted[k]!;
    if (seen > upper) return (lowerValue! + sorted[k]!) / 2;
  }
  return null;
}

function sumAll(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/**
 * Adds to each group of the covered slices `members` (all sharing `median`) the weight of its rows
 * scored strictly above the median: one pass over the rows above it, counting per cell.
 */
export function addAboveMedian(
  ranked: RankedRows,
  partition: RankedPartition,
  cellCount: number,
  members: readonly number[],
  median: number,
  groupSums: Float64Array,
): void {
  const { scores, weights } = ranked;
  const { cellLabels, groupOf } = partition;
  const above = new Float64Array(cellCount);
  for (let k = firstAbove(scores, median); k < scores.length; k++) {
    above[cellLabels[k]! >>> 1]! += weights === undefined ? 1 : weights[k]!;
  }
  for (const member of members) {
    for (let c = 0; c < cellCount; c++) {
      const group = groupOf[c * partition.members + member]!;
      if (group >= 0) groupSums[group * STRIDE + SLOT.aboveMedian]! += above[c]!;
    }
  }
}

/** Index of the first sorted value strictly above `value` (binary search). */
function firstAbove(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Offsets inside one group's block of AUC_STRIDE numbers. */
const PLACEMENT = {
  positive: 0,
  positiveSq: 1,
  negative: 2,
  negativeSq: 3,
  negativesBelow: 4,
  positivesBelow: 5,
};
const AUC_STRIDE = 6;

/** A group's AUC and DeLong variance; null when the group lacks one of the classes. */
export interface AucEstimate {
  value: number;
  /** null when a class has fewer than 2 (effective) rows: no sample variance of its placements. */
  variance: number | null;
  /** Class sizes (Kish effective sizes under weights), for the interval when DeLong's variance fails. */
  positives: number;
  negatives: number;
}

/** Weighted sizes of a group's classes: Σw and Kish's effective n = (Σw)²/Σw². */
export interface ClassWeights {
  positive: number;
  negative: number;
  positiveEffective: number;
  negativeEffective: number;
}

/**
 * ROC AUC per group as the Mann-Whitney U / (n1·n0) with ties counting ½, and DeLong's variance
 * S10/n1 + S01/n0, where S10 and S01 are the sample variances of the placements
 * V10(i) = P(negative below positive i) and V01(j) = P(positive above negative j). `classes[g]` are the
 * class sizes of group g (groups numbered across all slices, as in `groupOf`).
 *
 * One linear pass per partition over its rows in score order, a tie block at a time, updating the group
 * of the row in every covered slice. Per group it keeps the weight of negatives and positives already
 * passed; every positive of a block shares the placement (negatives below + ½ negatives in the block),
 * every negative (positives above + ½ positives in the block), so placement sums are accumulated per block.
 * A block whose rows are all of one class changes no placement of its own rows, so its rows are added one
 * by one, which is cheaper.
 *
 * Weights: each positive/negative pair counts w_i·w_j (the weighted Mann-Whitney statistic); the
 * placements' variances are weighted variances with Kish's small-sample factor n_eff/(n_eff − 1), divided
 * by the classes' effective sizes. Without weights this is exactly DeLong et al. (1988).
 */
export function aucByGroup(
  ranked: RankedRows,
  partitions: readonly RankedPartition[],
  classes: readonly ClassWeights[],
): (AucEstimate | null)[] {
  const sums = new Float64Array(classes.length * AUC_STRIDE);
  const positiveTotals = Float64Array.from(classes, (c) => c.positive);
  for (const partition of partitions) addPlacements(ranked, partition, positiveTotals, sums);
  return classes.map((c, g) => aucEstimate(sums.subarray(g * AUC_STRIDE, (g + 1) * AUC_STRIDE), c));
}

function addPlacements(
  ranked: RankedRows,
  partition: RankedPartition,
  positiveTotals: Float64Array,
  sums: Float64Array,
): void {
  const { scores: sorted, weights } = ranked;
  const { cellLabels, groupOf, members } = partition;
  const groupCount = positiveTotals.length;
  const tie: TieBlock = {
    positive: new Float64Array(groupCount),
    negative: new Float64Array(groupCount),
    touched: new Int32Array(groupCount),
    inBlock: new Uint8Array(groupCount),
  };
  const n = sorted.length;
  let k = 0;
  while (k < n) {
    const score = sorted[k]!;
    let end = k + 1;
    let labelsSeen = 1 << (cellLabels[k]! & 1);
    while (end < n && sorted[end] === score) labelsSeen |= 1 << (cellLabels[end++]! & 1);
    if (labelsSeen !== 3) {
      // No positive ties with a negative here, so each row's placement is as if it stood alone.
      for (let m = k; m < end; m++) {
        const cellLabel = cellLabels[m]!;
        const first = (cellLabel >>> 1) * members;
        const w = weights === undefined ? 1 : weights[m]!;
        if ((cellLabel & 1) === 1) {
          for (let j = first; j < first + members; j++) {
            const g = groupOf[j]!;
            if (g >= 0) addPositive(sums, g, w);
          }
        } else {
          for (let j = first; j < first + members; j++) {
            const g = groupOf[j]!;
            if (g >= 0) addNegative(sums, positiveTotals, g, w);
          }
        }
      }
    } else {
      addTieBlock(ranked, partition, k, end, positiveTotals, sums, tie);
    }
    k = end;
  }
}

/** Per-group weights of one tie block, and which groups it touched (reset after each block). */
interface TieBlock {
  positive: Float64Array;
  negative: Float64Array;
  touched: Int32Array;
  inBlock: Uint8Array;
}

/** Rows [start, end) share one score and hold both classes: they are added a group at a time. */
function addTieBlock(
  ranked: RankedRows,
  partition: RankedPartition,
  start: number,
  end: number,
  positiveTotals: Float64Array,
  sums: Float64Array,
  tie: TieBlock,
): void {
  const { weights } = ranked;
  const { cellLabels, groupOf, members } = partition;
  let touchedCount = 0;
  for (let m = start; m < end; m++) {
    const cellLabel = cellLabels[m]!;
    const first = (cellLabel >>> 1) * members;
    const w = weights === undefined ? 1 : weights[m]!;
    const block = (cellLabel & 1) === 1 ? tie.positive : tie.negative;
    for (let j = first; j < first + members; j++) {
      const g = groupOf[j]!;
      if (g < 0) continue;
      if (tie.inBlock[g] === 0) {
        tie.inBlock[g] = 1;
        tie.touched[touchedCount++] = g;
      }
      block[g]! += w;
    }
  }
  for (let t = 0; t < touchedCount; t++) {
    const g = tie.touched[t]!;
    addBlock(sums, positiveTotals, g, tie.positive[g]!, tie.negative[g]!);
    tie.positive[g] = 0;
    tie.negative[g] = 0;
    tie.inBlock[g] = 0;
  }
}

/** Adds one positive of weight w of group g, tied with no other row. */
function addPositive(sums: Float64Array, g: number, w: number): void {
  const base = g * AUC_STRIDE;
  const v = sums[base + PLACEMENT.negativesBelow]!;
  sums[base + PLACEMENT.positive]! += w * v;
  sums[base + PLACEMENT.positiveSq]! += w * v * v;
  sums[base + PLACEMENT.positivesBelow]! += w;
}

/** Adds one negative of weight w of group g, tied with no other row. */
function addNegative(sums: Float64Array, positiveTotals: Float64Array, g: number, w: number): void {
  const base = g * AUC_STRIDE;
  const u = positiveTotals[g]! - sums[base + PLACEMENT.positivesBelow]!;
  sums[base + PLACEMENT.negative]! += w * u;
  sums[base + PLACEMENT.negativeSq]! += w * u * u;
  sums[base + PLACEMENT.negativesBelow]! += w;
}

/** Adds a tie block holding weight p of positives and q of negatives of group g. */
function addBlock(sums: Float64Array, positiveTotals: Float64Array, g: number, p: number, q: number): void {
  const base = g * AUC_STRIDE;
  if (p > 0) {
    const v = sums[base + PLACEMENT.negativesBelow]! + q / 2;
    sums[base + PLACEMENT.positive]! += p * v;
    sums[base + PLACEMENT.positiveSq]! += p * v * v;
  }
  if (q > 0) {
    const u = positiveTotals[g]! - sums[base + PLACEMENT.positivesBelow]! - p / 2;
    sums[base + PLACEMENT.negative]! += q * u;
    sums[base + PLACEMENT.negativeSq]! += q * u * u;
  }
  sums[base + PLACEMENT.negativesBelow]! += q;
  sums[base + PLACEMENT.positivesBelow]! += p;
}

function aucEstimate(sums: Float64Array, c: ClassWeights): AucEstimate | null {
  const { positive: w1, negative: w0 } = c;
  if (!(w1 > 0 && w0 > 0)) return null;
  // Weighted sums can round just past 1 (1.0000000000000002): the AUC is clamped to [0, 1].
  const value = Math.min(1, Math.max(0, sums[PLACEMENT.positive]! / (w1 * w0)));
  const sizes = { positives: c.positiveEffective, negatives: c.negativeEffective };
  if (!(c.positiveEffective > 1 && c.negativeEffective > 1)) return { value, variance: null, ...sizes };
  const meanSq10 = sums[PLACEMENT.positiveSq]! / (w1 * w0 * w0);
  const meanSq01 = sums[PLACEMENT.negativeSq]! / (w0 * w1 * w1);
  const s10 = sampleVariance(meanSq10 - value * value, c.positiveEffective);
  const s01 = sampleVariance(meanSq01 - value * value, c.negativeEffective);
  return { value, variance: s10 / c.positiveEffective + s01 / c.negativeEffective, ...sizes };
}

/** Population variance → sample variance with n/(n − 1); clamps rounding below 0. */
function sampleVariance(populationVariance: number, n: number): number {
  return (Math.max(0, populationVariance) * n) / (n - 1);
}
