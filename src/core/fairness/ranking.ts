import { argsortFloat64, SortedOrder } from '../stats';
import { MISSING_CODE } from '../ingest/batch';

/**
 * The rows in ascending score order (one radix sort for the whole audit), with the columns the rank
 * statistics read gathered in that order, so the per-slice passes read memory sequentially.
 */
export interface RankedRows {
  scores: Float64Array;
  labels: Uint8Array;
  weights: Float64Array | undefined;
  /** Each slice's group codes in score order, in the order the slices were given. */
  codes: Uint16Array[];
}

/** Rows from which rankRows packs the columns before gathering (a 16-bit column of 4 MB). */
const PACKED_GATHER_MIN_ROWS = 1 << 21;

/**
 * Sorts the rows by score and gathers labels, weights and every slice's codes in that order.
 *
 * The gathers are random reads, which miss the caches once a column outgrows them (5M rows: a 10 MB code
 * column). So when the label and every slice's code fit together in 16 bits (a slice with G groups takes
 * the bits of G, the value G standing for MISSING_CODE), they are packed side by side with sequential
 * passes, gathered once, and unpacked in score order with sequential passes; otherwise each column is
 * gathered on its own. Below PACKED_GATHER_MIN_ROWS the columns fit the caches and the extra passes cost more
 * than they save (1M rows: ~+60 ms CPU packed; 5M rows: ~−500 ms), so each column is gathered on its own.
 * `groupCounts[s]` bounds slice s's codes (found by a scan when absent). `presorted`: argsortFloat64(scores)
 * when the caller has it already.
 */
export function rankRows(
  scores: Float64Array,
  labels: Uint8Array,
  weights: Float64Array | undefined,
  sliceCodes: readonly Uint16Array[],
  groupCounts?: readonly number[],
  presorted?: SortedOrder,
): RankedRows {
  const { order, sorted } = presorted ?? argsortFloat64(scores);
  const n = order.length;
  const sortedLabels = new Uint8Array(n);
  const codes = sliceCodes.map(() => new Uint16Array(n));
  const missing = sliceCodes.map((column, s) => groupCounts?.[s] ?? groupCountOf(column));
  const shifts: number[] = [];
  let bits = 1; // the label's
  for (const g of missing) {
    shifts.push(bits);
    bits += 32 - Math.clz32(g);
  }
  if (bits <= 16 && n >= PACKED_GATHER_MIN_ROWS) {
    const packed = new Uint16Array(n);
    packLabels(labels, packed);
    sliceCodes.forEach((column, s) => packCodes(column, missing[s]!, shifts[s]!, packed));
    const gathered = new Uint16Array(n);
    for (let k = 0; k < n; k++) gathered[k] = packed[order[k]!]!;
    for (let k = 0; k < n; k++) sortedLabels[k] = gathered[k]! & 1;
    codes.forEach((target, s) => unpackCodes(gathered, missing[s]!, shifts[s]!, target));
  } else {
    for (let k = 0; k < n; k++) sortedLabels[k] = labels[order[k]!]!;
    sliceCodes.forEach((column, s) => {
      const target = codes[s]!;
      for (let k = 0; k < n; k++) target[k] = column[order[k]!]!;
    });
  }
  let sortedWeights: Float64Array | undefined;
  if (weights !== undefined) {
    sortedWeights = new Float64Array(n);
    for (let k = 0; k < n; k++) sortedWeights[k] = weights[order[k]!]!;
  }
  return { scores: sorted, labels: sortedLabels, weights: sortedWeights, codes };
}

function packLabels(labels: Uint8Array, packed: Uint16Array): void {
  for (let i = 0; i < labels.length; i++) packed[i] = labels[i]!;
}

/** Slice codes into bits from `shift` of `packed`; `missing` (the group count) stands for MISSING_CODE. */
function packCodes(column: Uint16Array, missing: number, shift: number, packed: Uint16Array): void {
  for (let i = 0; i < column.length; i++) {
    const code = column[i]!;
    packed[i]! |= (code === MISSING_CODE ? missing : code) << shift;
  }
}

function unpackCodes(gathered: Uint16Array, missing: number, shift: number, target: Uint16Array): void {
  const mask = (1 << (32 - Math.clz32(missing))) - 1;
  for (let k = 0; k < target.length; k++) {
    const value = (gathered[k]! >>> shift) & mask;
    target[k] = value === missing ? MISSING_CODE : value;
  }
}

/** One more than the largest code that is not MISSING_CODE (0 when every code is missing). */
function groupCountOf(column: Uint16Array): number {
  let max = -1;
  for (let i = 0; i < column.length; i++) {
    const code = column[i]!;
    if (code !== MISSING_CODE && code > max) max = code;
  }
  return max + 1;
}

/**
 * Rank statistics of one slice, from the rows in score order and the slice's codes in that order.
 *
 * Median: of the slice's analysed rows (rows, not weights); the mean of the two middle values for an
 * even count (NYC LL144's scoring rate). Null when the slice has no rows.
 */
export function sliceMedian(ranked: RankedRows, codes: Uint16Array, analysedRows: number): number | null {
  if (analysedRows === 0) return null;
  const sorted = ranked.scores;
  const upper = Math.floor(analysedRows / 2);
  const lower = analysedRows % 2 === 0 ? upper - 1 : upper;
  if (analysedRows === sorted.length) return (sorted[lower]! + sorted[upper]!) / 2;
  let seen = 0;
  let lowerValue = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (codes[k] === MISSING_CODE) continue;
    if (seen === lower) lowerValue = sorted[k]!;
    if (seen === upper) return (lowerValue + sorted[k]!) / 2;
    seen++;
  }
  return null;
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
 * V10(i) = P(negative below positive i) and V01(j) = P(positive above negative j).
 *
 * One linear pass over the rows in score order (`codes` in that order too), a tie block at a time. Per group it keeps the weight of
 * negatives and positives already passed; every positive of a block shares the placement
 * (negatives below + ½ negatives in the block), every negative (positives above + ½ positives in the block),
 * so placement sums are accumulated per block.
 *
 * Weights: each positive/negative pair counts w_i·w_j (the weighted Mann-Whitney statistic); the
 * placements' variances are weighted variances with Kish's small-sample factor n_eff/(n_eff − 1), divided
 * by the classes' effective sizes. Without weights this is exactly DeLong et al. (1988).
 */
export function aucByGroup(
  ranked: RankedRows,
  codes: Uint16Array,
  classes: readonly ClassWeights[],
): (AucEstimate | null)[] {
  const sums = placementSums(ranked, codes, classes);
  return classes.map((c, g) => aucEstimate(sums.subarray(g * AUC_STRIDE, (g + 1) * AUC_STRIDE), c));
}

function placementSums(
  ranked: RankedRows,
  codes: Uint16Array,
  classes: readonly ClassWeights[],
): Float64Array {
  const { scores: sorted, labels, weights } = ranked;
  const sums = new Float64Array(classes.length * AUC_STRIDE);
  const positiveTotals = Float64Array.from(classes, (c) => c.positive);
  const blockPositive = new Float64Array(classes.length);
  const blockNegative = new Float64Array(classes.length);
  const touched = new Uint16Array(classes.length);
  const inBlock = new Uint8Array(classes.length);
  const n = sorted.length;
  let k = 0;
  while (k < n) {
    const score = sorted[k]!;
    let end = k + 1;
    while (end < n && sorted[end] === score) end++;
    if (end === k + 1) {
      const g = codes[k]!;
      if (g !== MISSING_CODE) {
        const w = weights === undefined ? 1 : weights[k]!;
        if (labels[k] === 1) addBlock(sums, positiveTotals, g, w, 0);
        else addBlock(sums, positiveTotals, g, 0, w);
      }
    } else {
      let touchedCount = 0;
      for (let m = k; m < end; m++) {
        const g = codes[m]!;
        if (g === MISSING_CODE) continue;
        if (inBlock[g] === 0) {
          inBlock[g] = 1;
          touched[touchedCount++] = g;
        }
        const w = weights === undefined ? 1 : weights[m]!;
        if (labels[m] === 1) blockPositive[g]! += w;
        else blockNegative[g]! += w;
      }
      for (let t = 0; t < touchedCount; t++) {
        const g = touched[t]!;
        addBlock(sums, positiveTotals, g, blockPositive[g]!, blockNegative[g]!);
        blockPositive[g] = 0;
        blockNegative[g] = 0;
        inBlock[g] = 0;
      }
    }
    k = end;
  }
  return sums;
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
  const value = sums[PLACEMENT.positive]! / (w1 * w0);
  if (!(c.positiveEffective > 1 && c.negativeEffective > 1)) return { value, variance: null };
  const meanSq10 = sums[PLACEMENT.positiveSq]! / (w1 * w0 * w0);
  const meanSq01 = sums[PLACEMENT.negativeSq]! / (w0 * w1 * w1);
  const s10 = sampleVariance(meanSq10 - value * value, c.positiveEffective);
  const s01 = sampleVariance(meanSq01 - value * value, c.negativeEffective);
  return { value, variance: s10 / c.positiveEffective + s01 / c.negativeEffective };
}

/** Population variance → sample variance with n/(n − 1); clamps rounding below 0. */
function sampleVariance(populationVariance: number, n: number): number {
  return (Math.max(0, populationVariance) * n) / (n - 1);
}
