/**
 * Index argsort of a Float64Array by LSD radix sort on the IEEE-754 bits (four 16-bit digits), linear
 * in n: an ascending, stable order of row indices. Values must not be NaN; −0 and +0 are adjacent (equal
 * values, in either order). Short arrays use a comparison sort (the radix histograms would dominate).
 */

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const COMPARISON_SORT_MAX = 1024;

/** Rows in ascending order of `values`, with the values gathered in that order. */
export interface SortedOrder {
  order: Uint32Array;
  sorted: Float64Array;
}

export function argsortFloat64(values: Float64Array): SortedOrder {
  const n = values.length;
  if (n <= COMPARISON_SORT_MAX) return comparisonArgsort(values);
  const { high, low } = sortableKeys(values);
  const counts = digitHistograms(high, low);
  let order = identity(n);
  let keysHigh = high;
  let keysLow = low;
  for (let pass = 0; pass < 4; pass++) {
    const histogram = counts.subarray(pass * BUCKETS, (pass + 1) * BUCKETS);
    if (histogram.includes(n)) continue; // every key has the same digit: the pass would not move anything
    const nextOrder = new Uint32Array(n);
    const nextHigh = new Uint32Array(n);
    const nextLow = pass < 2 ? new Uint32Array(n) : keysLow;
    const word = pass < 2 ? keysLow : keysHigh;
    const shift = (pass % 2) * DIGIT_BITS;
    const offsets = prefixSums(histogram);
    for (let i = 0; i < n; i++) {
      const target = offsets[(word[i]! >>> shift) & DIGIT_MASK]!++;
      nextOrder[target] = order[i]!;
      nextHigh[target] = keysHigh[i]!;
      if (pass < 2) nextLow[target] = keysLow[i]!;
    }
    order = nextOrder;
    keysHigh = nextHigh;
    keysLow = nextLow;
  }
  return { order, sorted: gatherValues(values, order) };
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

/** Unsigned keys whose order is the numeric order: flip every bit of a negative, the sign bit of a positive. */
function sortableKeys(values: Float64Array): { high: Uint32Array; low: Uint32Array } {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const lowWord = littleEndian() ? 0 : 1;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1 - lowWord]!;
    const l = words[2 * i + lowWord]!;
    const negative = h >>> 31 === 1;
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    low[i] = negative ? ~l >>> 0 : l;
  }
  return { high, low };
}

/** The four digit histograms in one pass: digits 0–1 from the low word, 2–3 from the high word. */
function digitHistograms(high: Uint32Array, low: Uint32Array): Uint32Array {
  const counts = new Uint32Array(4 * BUCKETS);
  for (let i = 0; i < high.length; i++) {
    const l = low[i]!;
    const h = high[i]!;
    counts[l & DIGIT_MASK]!++;
    counts[BUCKETS + (l >>> DIGIT_BITS)]!++;
    counts[2 * BUCKETS + (h & DIGIT_MASK)]!++;
    counts[3 * BUCKETS + (h >>> DIGIT_BITS)]!++;
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

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
