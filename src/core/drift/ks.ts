import { DomainError } from '../errors';
import { sortedCopy } from './quantile';

/**
 * Largest sample size for which the p-value is exact, as in scipy.stats.ks_2samp(method='auto'):
 * exact when max(n1, n2) ≤ 10 000, else asymptotic.
 */
export const KS_EXACT_MAX_N = 10_000;

/**
 * The exact p-value walks an n1 × n2 lattice (~30 ns a cell here), so it is also limited to 1M cells (~30 ms):
 * two 10 000-row groups would cost seconds per check, where the asymptotic distribution is already accurate.
 * This is where Fairwatch departs from scipy's 'auto' rule.
 */
export const KS_EXACT_MAX_CELLS = 1_000_000;

export interface KsResult {
  /** D = sup |F_a(x) − F_b(x)|, exact (computed on integers, ties handled). */
  statistic: number;
  /** Two-sided P(D ≥ d) under H0 (continuous distributions). */
  pValue: number;
  method: 'exact' | 'asymp';
}

/**
 * Two-sample Kolmogorov-Smirnov test with scipy.stats.ks_2samp semantics (two-sided, method 'auto').
 * Exact p-value when max(n1, n2) ≤ KS_EXACT_MAX_N and n1·n2 ≤ KS_EXACT_MAX_CELLS: the share of lattice paths leaving the band
 * |i/n1 − j/n2| < D (scipy's "inside" method), computed as probabilities so nothing overflows; it loses
 * relative precision below ~1e-15 (p = 1 − P(inside)). Otherwise the asymptotic Kolmogorov distribution at
 * λ = (√en + 0.12 + 0.11/√en)·D with en = n1·n2/(n1 + n2) (Stephens' small-sample correction), which
 * tracks scipy's kstwo.sf(D, round(en)) closely for the large samples it is used on.
 */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsResult {
  return ksTwoSampleSorted(sortedCopy(a), sortedCopy(b));
}

/** ksTwoSample on samples already sorted ascending. */
export function ksTwoSampleSorted(a: Float64Array, b: Float64Array): KsResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new DomainError('invalid_input', 'KS needs at least one value on each side.');
  return ksFromScaledStatistic(m, n, ksScaledStatistic(a, b));
}

/** The KS result of samples of sizes m and n whose statistic is D = scaled/(m·n) (scaled an integer). */
export function ksFromScaledStatistic(m: number, n: number, scaled: number): KsResult {
  const statistic = scaled / (m * n);
  if (Math.max(m, n) <= KS_EXACT_MAX_N && m * n <= KS_EXACT_MAX_CELLS) {
    return { statistic, pValue: ksExactPValue(m, n, scaled), method: 'exact' };
  }
  const en = (m * n) / (m + n);
  const lambda = (Math.sqrt(en) + 0.12 + 0.11 / Math.sqrt(en)) * statistic;
  return { statistic, pValue: kolmogorovSurvival(lambda), method: 'asymp' };
}

/**
 * D·n1·n2 = max |i·n2 − j·n1| over the distinct values, with i and j the counts of a and b at or below
 * the value (both samples step past a tied value together, as scipy's searchsorted(side='right') does).
 *
 * One merge pass. While only one sample steps (its values below the other's next value), i·n2 − j·n1
 * moves one way, so its size peaks at the end of that run: the difference is checked once per run, not
 * once per value, and each run is a one-comparison loop.
 */
function ksScaledStatistic(a: Float64Array, b: Float64Array): number {
  const m = a.length;
  const n = b.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < m && j < n) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      i++;
      while (i < m && a[i]! < y) i++;
      const d = i * n - j * m;
      if (d > best) best = d;
    } else if (y < x) {
      j++;
      while (j < n && b[j]! < x) j++;
      const d = j * m - i * n;
      if (d > best) best = d;
    } else {
      i++;
      while (i < m && a[i] === x) i++;
      j++;
      while (j < n && b[j] === x) j++;
      const d = Math.abs(i * n - j * m);
      if (d > best) best = d;
    }
  }
  return best;
}

/**
 * P(D ≥ k/(m·n)) for samples of sizes m and n: 1 − the probability that a uniformly random path from (0, 0)
 * to (m, n) stays strictly inside |i·n − j·m| < k. u(i, j) = (paths inside to (i, j)) / C(i + j, i) obeys
 * u(i, j) = [i·u(i − 1, j) + j·u(i, j − 1)] / (i + j), so it stays in [0, 1]; only the band is visited.
 */
function ksExactPValue(m: number, n: number, k: number): number {
  if (k === 0) return 1;
  const u = new Float64Array(n + 1);
  let previousLow = 0;
  for (let i = 0; i <= m; i++) {
    const low = Math.max(0, Math.floor((i * n - k) / m) + 1);
    const high = Math.min(n, Math.ceil((i * n + k) / m) - 1);
    u.fill(0, previousLow, Math.min(low, n + 1));
    for (let j = low; j <= high; j++) {
      if (i === 0 && j === 0) u[0] = 1;
      else u[j] = (i * u[j]! + (j > 0 ? j * u[j - 1]! : 0)) / (i + j);
    }
    previousLow = low;
  }
  return Math.min(1, Math.max(0, 1 - u[n]!));
}

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²)
 * (scipy.stats.kstwobign.sf). For λ < 1 the dual series 1 − (√(2π)/λ) Σ e^(−(2k−1)²π²/(8λ²)) converges faster.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    let sum = 0;
    for (let k = 1; k <= 8; k++)
      sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
