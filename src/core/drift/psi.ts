import { DomainError } from '../errors';
import { lowerBound, quantileLinear, sortedCopy } from './quantile';

/** Share given to an empty bin before the PSI sum (Evidently's convention); shares are not renormalised. */
export const PSI_EPSILON = 0.0001;

const DECILE_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Inner edges of 10 equal-width bins on [0, 1]: i/10, not a running sum, so 0.3 is the double nearest 0.3. */
export const EQUAL_WIDTH_EDGES = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9], (i) => i / 10);

/**
 * Population stability index Σ (c_i − b_i)·ln(c_i / b_i) over bin shares, an empty share (0) replaced by
 * PSI_EPSILON. Identical distributions give 0; it is symmetric in its two arguments.
 */
export function psi(baselineShares: ArrayLike<number>, currentShares: ArrayLike<number>): number {
  if (baselineShares.length !== currentShares.length) {
    throw new DomainError('invalid_input', 'PSI needs the same bins on both sides.');
  }
  let sum = 0;
  for (let i = 0; i < baselineShares.length; i++) {
    const b = baselineShares[i]! || PSI_EPSILON;
    const c = currentShares[i]! || PSI_EPSILON;
    sum += (c - b) * Math.log(c / b);
  }
  return sum;
}

/**
 * Inner edges at the baseline's deciles (numpy linear quantiles), duplicates merged. Tied scores can make
 * several deciles equal; the zero-width bins between them would be empty on both sides (contributing
 * (ε − ε)·ln(ε/ε) = 0), so merging them changes nothing but the bin count and never yields NaN.
 */
export function decileEdges(baselineSorted: Float64Array): Float64Array {
  return decileEdgesFrom((level) => quantileLinear(baselineSorted, level));
}

/** decileEdges from a quantile function of the baseline (counted-sample.ts passes that of a cell table). */
export function decileEdgesFrom(quantile: (level: number) => number): Float64Array {
  const edges: number[] = [];
  for (const level of DECILE_LEVELS) {
    const q = quantile(level);
    if (edges.length === 0 || q !== edges[edges.length - 1]) edges.push(q);
  }
  return Float64Array.from(edges);
}

/**
 * Shares of sorted values in the bins (−∞, e_0), [e_0, e_1), …, [e_last, +∞): a value equal to an edge
 * goes to the upper bin.
 */
export function binShares(sorted: Float64Array, innerEdges: Float64Array): Float64Array {
  const n = sorted.length;
  const shares = new Float64Array(innerEdges.length + 1);
  let below = 0;
  for (let k = 0; k < innerEdges.length; k++) {
    const upTo = lowerBound(sorted, innerEdges[k]!);
    shares[k] = (upTo - below) / n;
    below = upTo;
  }
  shares[innerEdges.length] = (n - below) / n;
  return shares;
}

/** Score PSI over 10 bins cut at the baseline's deciles, from samples already sorted ascending. */
export function scorePsiDecilesSorted(baselineSorted: Float64Array, currentSorted: Float64Array): number {
  requireNonEmpty(baselineSorted, currentSorted);
  const edges = decileEdges(baselineSorted);
  return psi(binShares(baselineSorted, edges), binShares(currentSorted, edges));
}

/** Score PSI over 10 bins cut at the baseline's deciles (see decileEdges for tied scores). */
export function scorePsiDeciles(baselineScores: Float64Array, currentScores: Float64Array): number {
  return scorePsiDecilesSorted(sortedCopy(baselineScores), sortedCopy(currentScores));
}

/** Whether every value of a sorted sample lies in [0, 1], i.e. the scores can be probabilities. */
export function isProbabilitySorted(sorted: Float64Array): boolean {
  return sorted.length > 0 && sorted[0]! >= 0 && sorted[sorted.length - 1]! <= 1;
}

/** Score PSI over 10 equal-width bins [0, 0.1), …, [0.9, 1] (last closed), from sorted probabilities. */
export function scorePsiEqualWidthSorted(baselineSorted: Float64Array, currentSorted: Float64Array): number {
  requireNonEmpty(baselineSorted, currentSorted);
  if (!isProbabilitySorted(baselineSorted) || !isProbabilitySorted(currentSorted)) {
    throw new DomainError('domain', 'Equal-width PSI needs scores in [0, 1] on both sides.');
  }
  return psi(binShares(baselineSorted, EQUAL_WIDTH_EDGES), binShares(currentSorted, EQUAL_WIDTH_EDGES));
}

/** Score PSI over 10 equal-width bins on [0, 1]; both samples must be probabilities. */
export function scorePsiEqualWidth(baselineScores: Float64Array, currentScores: Float64Array): number {
  return scorePsiEqualWidthSorted(sortedCopy(baselineScores), sortedCopy(currentScores));
}

function requireNonEmpty(a: Float64Array, b: Float64Array): void {
  if (a.length === 0 || b.length === 0) {
    throw new DomainError('invalid_input', 'Score PSI needs at least one score on each side.');
  }
}
