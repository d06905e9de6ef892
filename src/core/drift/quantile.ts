import { DomainError } from '../errors';

/**
 * The p-quantile of values sorted ascending, with numpy's default "linear" interpolation (Hyndman & Fan
 * type 7): h = (n − 1)·p, t = h − ⌊h⌋, q = x[⌊h⌋] + t·(x[⌊h⌋ + 1] − x[⌊h⌋]), evaluated from the upper
 * neighbour when t ≥ 0.5 as numpy's _lerp does, so edges match numpy to the last bit.
 */
export function quantileLinear(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new DomainError('invalid_input', 'The quantile of an empty sample is undefined.');
  if (!(p >= 0 && p <= 1)) throw new DomainError('invalid_input', `Quantile level ${p} is outside [0, 1].`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  if (lo + 1 >= n) return below;
  const above = sorted[lo + 1]!;
  const t = h - lo;
  return t >= 0.5 ? above - (above - below) * (1 - t) : below + (above - below) * t;
}

/** Index of the first value ≥ x in values sorted ascending (values.length when there is none). */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sorted copy, using the native typed-array sort (no comparator, no per-row objects). */
export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}
