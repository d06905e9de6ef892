/**
 * Closed-form confidence intervals for proportions, their differences and ratios, and for an AUC.
 * Counts may be non-integer (Kish effective counts under weights); `z` is the two-sided critical value
 * (zCritical(0.95) = 1.95996...). Every function returns null when the interval is undefined.
 */

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for x successes out of n (Wilson 1927; Newcombe 1998a method 3). Null when n = 0. */
export function wilsonInterval(x: number, n: number, z: number): Interval | null {
  if (!(n > 0)) return null;
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  return { low: clamp01((centre - spread) / scale), high: clamp01((centre + spread) / scale) };
}

/**
 * Newcombe's hybrid score interval (1998b, method 10) for p1 − p2 from two independent samples:
 * δ = √((p1 − l1)² + (u2 − p2)²), ε = √((u1 − p1)² + (p2 − l2)²), interval [d − δ, d + ε],
 * where (l, u) are the Wilson limits of each proportion.
 */
export function newcombeDifferenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number,
): Interval | null {
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  if (w1 === null || w2 === null) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  const below = Math.hypot(p1 - w1.low, w2.high - p2);
  const above = Math.hypot(w1.high - p1, p2 - w2.low);
  return { low: Math.max(-1, d - below), high: Math.min(1, d + above) };
}

/**
 * Katz log interval for the ratio p1 / p2 (Katz et al. 1978): exp(ln(p1/p2) ± z·√(1/x1 − 1/n1 + 1/x2 − 1/n2)).
 * Null when either count of successes is 0 (the log ratio is unbounded).
 */
export function katzRatioInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number,
): Interval | null {
  if (!(x1 > 0 && x2 > 0 && n1 > 0 && n2 > 0)) return null;
  const logRatio = Math.log(x1 / n1 / (x2 / n2));
  const se = Math.sqrt(Math.max(0, 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2));
  return { low: Math.exp(logRatio - z * se), high: Math.exp(logRatio + z * se) };
}

/**
 * Interval for a probability-scale estimate (e.g. an AUC) built on the logit scale so it stays inside
 * [0, 1]: logit(p) ± z·se/(p(1 − p)) (delta method). An estimate of exactly 0 or 1 has no logit; its
 * interval collapses to the point when se = 0 (as DeLong's variance does for a perfect separation).
 */
export function logitInterval(p: number, se: number, z: number): Interval | null {
  if (!(se >= 0)) return null;
  if (p <= 0 || p >= 1) return se === 0 ? { low: p, high: p } : null;
  const centre = Math.log(p / (1 - p));
  const half = (z * se) / (p * (1 - p));
  return { low: logistic(centre - half), high: logistic(centre + half) };
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
