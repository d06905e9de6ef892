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

/** Score-interval variants for the ratio of two proportions. */
export type RatioScoreMethod = 'koopman' | 'miettinen-nurminen';

/**
 * Asymptotic score interval for the ratio p1 / p2 of two independent proportions: every θ for which the
 * score statistic (p̂1 − θ·p̂2)² / (p̃1(1 − p̃1)/n1 + θ²·p̃2(1 − p̃2)/n2) ≤ z² (Koopman 1984, Biometrics
 * 40:513), with p̃2 the maximum-likelihood estimate of p2 under p1 = θ·p2 (Farrington and Manning 1990,
 * Stat Med 9:1447: the smaller root of Nθ·p² − (θn1 + x1 + n2 + θx2)·p + x1 + x2 = 0) and p̃1 = θ·p̃2.
 * "miettinen-nurminen" multiplies the variance by N/(N − 1) (Miettinen and Nurminen 1985, Stat Med 4:213).
 * Unlike Katz's log interval it is defined when either count is 0 and does not collapse when both
 * rates are 1. `high` is Infinity when x2 = 0 (the ratio is unbounded above); [0, Infinity) when both
 * counts are 0. Null when a sample is empty. Limits are found by bisection on ln θ (about 1e-12 relative).
 */
export function scoreRatioInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number,
  method: RatioScoreMethod = 'koopman',
): Interval | null {
  if (!(n1 > 0 && n2 > 0 && x1 >= 0 && x2 >= 0 && x1 <= n1 && x2 <= n2)) return null;
  if (x1 === 0 && x2 === 0) return { low: 0, high: Infinity };
  const critical = z * z;
  const inflation = method === 'miettinen-nurminen' ? (n1 + n2) / (n1 + n2 - 1) : 1;
  const beyond = (theta: number): boolean => ratioScoreStatistic(x1, n1, x2, n2, theta, inflation) > critical;
  const estimate = x1 / n1 / (x2 / n2); // Infinity when x2 = 0, 0 when x1 = 0
  // The statistic is 0 at the estimate, and tends to 0 as θ → 0 when x1 = 0 (or θ → ∞ when x2 = 0).
  const low = x1 === 0 ? 0 : boundary(x2 === 0 ? 1e100 : estimate, beyond, -1);
  const high = x2 === 0 ? Infinity : boundary(x1 === 0 ? 1e-100 : estimate, beyond, 1);
  return { low, high };
}

/** The score statistic of scoreRatioInterval at θ (its variance times `inflation`). */
function ratioScoreStatistic(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  theta: number,
  inflation: number,
): number {
  const a = (n1 + n2) * theta;
  const b = -(theta * n1 + x1 + n2 + theta * x2);
  const c = x1 + x2;
  // The smaller root (−b − √D)/(2a), written as 2c/(−b + √D) so that it stays exact when a is tiny.
  const root = -b + Math.sqrt(Math.max(0, b * b - 4 * a * c));
  const p2 = root > 0 ? Math.min(1, (2 * c) / root) : 0;
  const p1 = Math.min(1, theta * p2);
  const difference = x1 / n1 - theta * (x2 / n2);
  const variance = inflation * ((p1 * (1 - p1)) / n1 + (theta * theta * p2 * (1 - p2)) / n2);
  if (!(variance > 0)) return difference === 0 ? 0 : Infinity;
  return (difference * difference) / variance;
}

/**
 * Where `beyond` turns true walking from `start` (inside the interval) in `direction` (−1 down, +1 up) on
 * the log scale: doubling the step to bracket, then 200 bisections. 0 or Infinity when it never turns.
 */
function boundary(start: number, beyond: (theta: number) => boolean, direction: -1 | 1): number {
  const origin = Math.log(start);
  let inside = origin;
  let step = 0.125;
  let outside = origin + direction * step;
  while (!beyond(Math.exp(outside))) {
    inside = outside;
    step *= 2;
    outside = origin + direction * step;
    if (step > 2048) return direction < 0 ? 0 : Infinity;
  }
  for (let i = 0; i < 200 && Math.abs(outside - inside) > 1e-13; i++) {
    const middle = (inside + outside) / 2;
    if (beyond(Math.exp(middle))) outside = middle;
    else inside = middle;
  }
  return Math.exp((inside + outside) / 2);
}

/**
 * Score-type interval for an AUC (the Mann-Whitney θ) from Hanley and McNeil's variance with both class
 * sizes replaced by their mean (Newcombe 2006, Stat Med 25:559, method 5): every θ with
 * (A − θ)² ≤ z²·V(θ), V(θ) = θ(1 − θ)/(mn)·[1 + (N/2 − 1)((1 − θ)/(2 − θ) + θ/(1 + θ))], N = m + n.
 * V depends on θ, not on the sample's own spread, so it does not collapse under perfect separation
 * (A = 0 or 1), where DeLong's variance is 0. `m`, `n`: the class sizes (effective sizes under weights).
 * Null when a class is empty or A is outside [0, 1].
 */
export function mannWhitneyScoreInterval(auc: number, m: number, n: number, z: number): Interval | null {
  if (!(m > 0 && n > 0 && auc >= 0 && auc <= 1)) return null;
  const half = Math.max(0, (m + n) / 2 - 1);
  const variance = (theta: number): number =>
    ((theta * (1 - theta)) / (m * n)) * (1 + half * ((1 - theta) / (2 - theta) + theta / (1 + theta)));
  const beyond = (theta: number): boolean => (auc - theta) ** 2 > z * z * variance(theta);
  return { low: bisect(auc, 0, beyond), high: bisect(auc, 1, beyond) };
}

/** The point between `inside` and `edge` where `beyond` turns true (`edge` itself when it never does). */
function bisect(inside: number, edge: number, beyond: (x: number) => boolean): number {
  if (inside === edge || !beyond(edge)) return edge;
  let [near, far] = [inside, edge];
  for (let i = 0; i < 200 && Math.abs(far - near) > 1e-15; i++) {
    const middle = (near + far) / 2;
    if (beyond(middle)) far = middle;
    else near = middle;
  }
  return (near + far) / 2;
}

/**
 * An estimate clamped to its range [min, max] (rounding can put a weighted AUC at 1.0000000000000002 or a
 * difference at −1.0000000000000007); null stays null.
 */
export function clampTo(value: number | null, min: number, max: number): number | null {
  return value === null ? null : Math.min(max, Math.max(min, value));
}

/**
 * An interval cut to [min, max] and widened to contain its (clamped) estimate: rounding puts Wilson's
 * lower limit for 0/10 at 2e-17 and its upper limit for 14/14 at 1 − 2.2e-16.
 */
export function containing(
  interval: Interval | null,
  estimate: number | null,
  min: number,
  max: number,
): Interval | null {
  if (interval === null) return null;
  let low = Math.min(max, Math.max(min, interval.low));
  let high = Math.min(max, Math.max(min, interval.high));
  const value = clampTo(estimate, min, max);
  if (value !== null && Number.isFinite(value)) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return { low, high };
}
