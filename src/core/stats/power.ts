/**
 * What a two-sided two-proportion z-test can see: the minimum detectable ratio of a group's rate to a
 * reference rate, and the group size that would make a given ratio detectable.
 *
 * Method: normal approximation with the unpooled variance (the two-sample test for equality of proportions
 * in Chow, Shao and Wang, "Sample Size Calculations in Clinical Research", 2nd ed. 2008, §4.2): a group
 * rate p is detected against the reference rate r with power 1 − β at two-sided level α when
 *   |r − p| = (z_{1−α/2} + z_{1−β})·√(p(1 − p)/n_g + r(1 − r)/n_r).
 * Squaring gives a quadratic in p, so both limits and the group size are closed forms.
 */
import { normalQuantile } from './distributions';

export interface DetectableRatios {
  /** The largest ratio p/r below 1 detected with the given power; null when no ratio in [0, 1) is. */
  below: number | null;
  /** The smallest ratio p/r above 1 detected with the given power; null when none with p ≤ 1 is. */
  above: number | null;
}

/** z_{1−α/2} + z_{power}. */
export function powerMultiplier(alpha: number, power: number): number {
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

/**
 * Minimum detectable ratios of a group of (effective) size `groupSize` against a reference rate `rate`
 * measured on `referenceSize` rows. Null when a size is not positive or the rate is not in (0, 1].
 */
export function minDetectableRatios(
  rate: number,
  groupSize: number,
  referenceSize: number,
  alpha: number,
  power: number,
): DetectableRatios | null {
  if (!(groupSize > 0 && referenceSize > 0 && rate > 0 && rate <= 1)) return null;
  const k2 = powerMultiplier(alpha, power) ** 2;
  const referenceVariance = (rate * (1 - rate)) / referenceSize;
  // (r − p)² = k²(p(1 − p)/n_g + V_r)  ⇔  a·p² + b·p + c = 0
  const a = 1 + k2 / groupSize;
  const b = -(2 * rate + k2 / groupSize);
  const c = rate * rate - k2 * referenceVariance;
  const discriminant = b * b - 4 * a * c;
  if (!(discriminant >= 0)) return { below: null, above: null };
  const root = Math.sqrt(discriminant);
  const low = (-b - root) / (2 * a);
  const high = (-b + root) / (2 * a);
  return {
    below: low > 0 ? Math.min(1, low / rate) : null,
    above: high <= 1 && rate < 1 ? Math.max(1, high / rate) : null,
  };
}

/**
 * The smallest group size at which a ratio `ratio` (≠ 1) of the group's rate to the reference rate is
 * detected with the given power; null when no group size suffices (the reference group's own variance
 * is too large: it needs more rows itself) or the inputs are out of range.
 */
export function groupSizeToDetect(
  ratio: number,
  rate: number,
  referenceSize: number,
  alpha: number,
  power: number,
): number | null {
  const p = ratio * rate;
  if (!(referenceSize > 0 && rate > 0 && rate <= 1 && p >= 0 && p <= 1 && ratio !== 1)) return null;
  const k2 = powerMultiplier(alpha, power) ** 2;
  const room = (rate - p) ** 2 - (k2 * rate * (1 - rate)) / referenceSize;
  if (!(room > 0)) return null;
  return (k2 * p * (1 - p)) / room;
}
