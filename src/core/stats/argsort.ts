/**
 * Index argsort of a Float64Array, linear in n for spread-out values: an ascending, stable order of row
 * indices. Values must not be NaN; −0 and +0 are adjacent (equal values, in either order). Short arrays use a
 * comparison sort (the radix histograms would dominate).
 *
 * LSD radix sort on the high 32 bits of the IEEE-754 pattern only (sign, exponent and the top 20 bits of
 * the mantissa; two 16-bit digits), so each pass moves two words per row instead of three. Rows whose high
 * words tie keep their index order; the few runs of tied high words whose values still differ (they differ
 * in the low 32 bits: a relative gap below 2^-20) are then put in order by value, stably: an insertion sort
 * for short runs, a radix sort of the low words for longer ones. The result is the order of a full 64-bit stable radix
 * sort.
 */

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const COMPARISON_SORT_MAX = 1024;
/** Runs of tied high words up to this length are fixed by insertion sort, longer ones by radix sort. */
const INSERTION_SORT_MAX = 32;
/** Runs shorter than this are radix-sorted with 8-bit digits. */
const SHORT_RUN_MAX = 1 << 16;
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Rows in ascending order of `values`, with the values gathered in that order. */
export interface SortedOrder {
  order: Uint32Array;
  sorted: Float64Array;
}

export function argsortFloat64(values: Float64Array): SortedOrder {
  const n = values.length;
  if (n <= COMPARISON_SORT_MAX) return comparisonArgsort(values);
  const high = sortableHighWords(values);
  const counts = digitHistograms(high);
  const lowCounts = counts.subarray(0, BUCKETS);
  const highCounts = counts.subarray(BUCKETS, 2 * BUCKETS);
  const sortLow = !lowCounts.includes(n); // a digit every key shares would not move anything
  const sortHigh = !highCounts.includes(n);
  const order = new Uint32Array(n);
  const sorted = new Float64Array(n);
  if (sortLow && sortHigh) {
    // First pass by the low digit, carrying row, key and value; the last pass moves row and value only.
    const firstOrder = new Uint32Array(n);
    const firstHigh = new Uint32Array(n);
    const firstValues = new Float64Array(n);
    scatterRows(high, values, lowCounts, 0, firstOrder, firstHigh, firstValues);
    const offsets = prefixSums(highCounts);
    for (let i = 0; i < n; i++) {
      const target = offsets[firstHigh[i]! >>> DIGIT_BITS]!++;
      order[target] = firstOrder[i]!;
      sorted[target] = firstValues[i]!;
    }
  } else if (sortLow || sortHigh) {
    scatterRows(
      high,
      values,
      sortLow ? lowCounts : highCounts,
      sortLow ? 0 : DIGIT_BITS,
      order,
      null,
      sorted,
    );
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    sorted.set(values);
  }
  orderTiedHighWords(order, sorted);
  return { order, sorted };
}

/** A pass over the rows in index order: row, key (when `keysOut`) and value go to their digit's bucket. */
function scatterRows(
  keys: Uint32Array,
  values: Float64Array,
  histogram: Uint32Array,
  shift: number,
  orderOut: Uint32Array,
  keysOut: Uint32Array | null,
  valuesOut: Float64Array,
): void {
  const offsets = prefixSums(histogram);
  const n = keys.length;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const target = offsets[(key >>> shift) & DIGIT_MASK]!++;
    orderOut[target] = i;
    if (keysOut !== null) keysOut[target] = key;
    valuesOut[target] = values[i]!;
  }
}

/**
 * Sorted by high word, ties in index order; values that differ only in their low words may be out of
 * order, and only inside a run of equal high words (across runs the order is right). Finds each inversion
 * and sorts the run around it by value, stably.
 */
function orderTiedHighWords(order: Uint32Array, sorted: Float64Array): void {
  const n = sorted.length;
  const words = new Uint32Array(sorted.buffer, sorted.byteOffset, 2 * n);
  let previous = sorted[0]!;
  for (let k = 1; k < n; k++) {
    const value = sorted[k]!;
    if (value >= previous) {
      previous = value;
      continue;
    }
    const word = words[2 * k + HIGH_WORD]!;
    let start = k - 1;
    while (start > 0 && words[2 * (start - 1) + HIGH_WORD] === word) start--;
    let end = k + 1;
    while (end < n && words[2 * end + HIGH_WORD] === word) end++;
    if (end - start <= INSERTION_SORT_MAX) insertionSort(order, sorted, start, end);
    else radixSortRun(order, sorted, start, end, word >>> 31 === 0);
    k = end - 1;
    previous = sorted[k]!;
  }
}

/** Stable insertion sort of rows [start, end) by value (the run starts in index order). */
function insertionSort(order: Uint32Array, sorted: Float64Array, start: number, end: number): void {
  for (let k = start + 1; k < end; k++) {
    const value = sorted[k]!;
    const row = order[k]!;
    let j = k - 1;
    while (j >= start && sorted[j]! > value) {
      sorted[j + 1] = sorted[j]!;
      order[j + 1] = order[j]!;
      j--;
    }
    sorted[j + 1] = value;
    order[j + 1] = row;
  }
}

/**
 * Stable LSD radix sort of rows [start, end), which share one high word, by their low words (the low
 * word's order is the values' for positives, reversed for negatives): 8-bit digits for short runs, 16-bit
 * for long ones, so the histograms stay small next to the run.
 */
function radixSortRun(
  order: Uint32Array,
  sorted: Float64Array,
  start: number,
  end: number,
  positive: boolean,
): void {
  const m = end - start;
  const digitBits = m < SHORT_RUN_MAX ? 8 : DIGIT_BITS;
  const buckets = 1 << digitBits;
  const mask = buckets - 1;
  const words = new Uint32Array(sorted.buffer, sorted.byteOffset + 8 * start, 2 * m);
  let keys = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    const low = words[2 * k + 1 - HIGH_WORD]!;
    keys[k] = positive ? low : ~low >>> 0;
  }
  let rows = order.slice(start, end);
  let values = sorted.slice(start, end);
  for (let shift = 0; shift < 32; shift += digitBits) {
    const offsets = new Uint32Array(buckets);
    for (let k = 0; k < m; k++) offsets[(keys[k]! >>> shift) & mask]!++;
    if (offsets.includes(m)) continue;
    let total = 0;
    for (let b = 0; b < buckets; b++) {
      const count = offsets[b]!;
      offsets[b] = total;
      total += count;
    }
    const nextKeys = new Uint32Array(m);
    const nextRows = new Uint32Array(m);
    const nextValues = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const target = offsets[(keys[k]! >>> shift) & mask]!++;
      nextKeys[target] = keys[k]!;
      nextRows[target] = rows[k]!;
      nextValues[target] = values[k]!;
    }
    keys = nextKeys;
    rows = nextRows;
    values = nextValues;
  }
  order.set(rows, start);
  sorted.set(values, start);
}

function comparisonArgsort(values: Float64Array): SortedOrder {
  const order = identity(values.length).sort((a, b) => values[a]! - values[b]! || a - b);
  return { order, sorted: gatherValues(values, order) };
}

function gatherValues(values: Float64Array, order: Uint32Array): Float64Array {
  const sorted = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) sorted[k] = values[order[k]!]!;
  return sorted;
}

/**
 * Unsigned high words whose order is the numeric order of the values (ties aside): every bit of a
 * negative flipped, the sign bit of a positive set.
 */
function sortableHighWords(values: Float64Array): Uint32Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const high = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HIGH_WORD]!;
    high[i] = h >>> 31 === 1 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  return high;
}

/** Both digit histograms of the high words in one pass. */
function digitHistograms(high: Uint32Array): Uint32Array {
  const counts = new Uint32Array(2 * BUCKETS);
  for (let i = 0; i < high.length; i++) {
    const h = high[i]!;
    counts[h & DIGIT_MASK]!++;
    counts[BUCKETS + (h >>> DIGIT_BITS)]!++;
  }
  return counts;
}

function prefixSums(histogram: Uint32Array): Uint32Array {
  const offsets = new Uint32Array(BUCKETS);
  let total = 0;
  for (let b = 0; b < BUCKETS; b++) {
    offsets[b] = total;
    total += histogram[b]!;
  }
  return offsets;
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
