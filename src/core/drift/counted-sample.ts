/**
 * Score drift on cell tables (config.countColumn): a sorted sample whose value k stands for counts[k] people.
 * Every function gives what its row version (quantile.ts, psi.ts, ks.ts) gives on the expanded sample, to the
 * last bit: the quantiles pick the same order statistics, the bin shares and the KS statistic are the same
 * integer counts divided by the same sizes. Memory and time grow with the cells, never with the people.
 */
import { DomainError } from '../errors';
import { ksFromScaledStatistic, type KsResult } from './ks';
import { decileEdgesFrom, EQUAL_WIDTH_EDGES, psi } from './psi';
import { lowerBound } from './quantile';

export interface CountedSample {
  /** Distinct or repeated values, ascending. */
  readonly values: Float64Array;
  /** below[k]: people at values[0 .. k) (length values.length + 1); below[length] is the sample's size. */
  readonly below: Float64Array;
}

/** A sorted sample with the multiplicity of each value (1 each when `counts` is undefined). */
export function countedSample(values: Float64Array, counts: Float64Array | undefined): CountedSample {
  const below = new Float64Array(values.length + 1);
  for (let k = 0; k < values.length; k++) below[k + 1] = below[k]! + (counts === undefined ? 1 : counts[k]!);
  return { values, below };
}

export function sizeOf(sample: CountedSample): number {
  return sample.below[sample.values.length]!;
}

/** The value of the person of 0-based rank r (the r-th smallest of the expanded sample). */
function valueAtRank(sample: CountedSample, r: number): number {
  // The first k with below[k + 1] > r.
  let lo = 0;
  let hi = sample.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sample.below[mid + 1]! > r) hi = mid;
    else lo = mid + 1;
  }
  return sample.values[lo]!;
}

/** quantileLinear of the expanded sample (numpy "linear", evaluated as numpy's _lerp). */
export function countedQuantile(sample: CountedSample, p: number): number {
  const n = sizeOf(sample);
  if (n === 0) throw new DomainError('invalid_input', 'The quantile of an empty sample is undefined.');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const below = valueAtRank(sample, lo);
  if (lo + 1 >= n) return below;
  const above = valueAtRank(sample, lo + 1);
  const t = h - lo;
  return t >= 0.5 ? above - (above - below) * (1 - t) : below + (above - below) * t;
}

/** binShares of the expanded sample: (−∞, e_0), [e_0, e_1), …, [e_last, +∞), an edge value going up. */
export function countedBinShares(sample: CountedSample, innerEdges: Float64Array): Float64Array {
  const n = sizeOf(sample);
  const shares = new Float64Array(innerEdges.length + 1);
  let below = 0;
  for (let k = 0; k < innerEdges.length; k++) {
    const upTo = sample.below[lowerBound(sample.values, innerEdges[k]!)]!;
    shares[k] = (upTo - below) / n;
    below = upTo;
  }
  shares[innerEdges.length] = (n - below) / n;
  return shares;
}

/** Score PSI over the baseline's deciles (psi.ts, scorePsiDecilesSorted) of the expanded samples. */
export function countedPsiDeciles(baseline: CountedSample, current: CountedSample): number {
  requireNonEmpty(baseline, current);
  const edges = decileEdgesFrom((p) => countedQuantile(baseline, p));
  return psi(countedBinShares(baseline, edges), countedBinShares(current, edges));
}

/** Score PSI over ten equal-width bins on [0, 1] of the expanded samples (values must be probabilities). */
export function countedPsiEqualWidth(baseline: CountedSample, current: CountedSample): number {
  requireNonEmpty(baseline, current);
  return psi(countedBinShares(baseline, EQUAL_WIDTH_EDGES), countedBinShares(current, EQUAL_WIDTH_EDGES));
}

/**
 * Two-sample KS of the expanded samples: D·m·n = max |F_a·m·n − F_b·m·n| over the distinct values, the
 * people at or below each value read from `below` in one merge pass over the cells; the p-value as ks.ts.
 */
export function countedKs(a: CountedSample, b: CountedSample): KsResult {
  const m = sizeOf(a);
  const n = sizeOf(b);
  if (m === 0 || n === 0) throw new DomainError('invalid_input', 'KS needs at least one value on each side.');
  const x = a.values;
  const y = b.values;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < x.length || j < y.length) {
    // The next distinct value of either side; both step past it (searchsorted side='right').
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    const d = Math.abs(a.below[i]! * n - b.below[j]! * m);
    if (d > best) best = d;
  }
  return ksFromScaledStatistic(m, n, best);
}

function requireNonEmpty(a: CountedSample, b: CountedSample): void {
  if (sizeOf(a) === 0 || sizeOf(b) === 0) {
    throw new DomainError('invalid_input', 'Score PSI needs at least one score on each side.');
  }
}
