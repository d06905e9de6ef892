import { hypergeometricPmf, normalCdf } from '../../stats';

/**
 * Two-sided p-value for two proportions x1/n1 vs x2/n2, as the fairness engine does it (metrics.md):
 * pooled two-proportion z-test, or Fisher's exact test when any expected cell is below 5.
 */
export function twoProportionPValue(x1: number, n1: number, x2: number, n2: number): number | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const N = n1 + n2;
  const K = x1 + x2;
  const expected = [(n1 * K) / N, (n1 * (N - K)) / N, (n2 * K) / N, (n2 * (N - K)) / N];
  if (expected.some((e) => e < 5)) return fisherExact(x1, N, K, n1);
  const pooled = K / N;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = (x1 / n1 - x2 / n2) / se;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/** Two-sided Fisher exact: the sum of tables no more likely than the observed one. */
function fisherExact(k: number, N: number, K: number, n: number): number {
  const observed = hypergeometricPmf(k, N, K, n);
  let p = 0;
  for (let i = Math.max(0, n - (N - K)); i <= Math.min(n, K); i++) {
    const q = hypergeometricPmf(i, N, K, n);
    if (q <= observed * (1 + 1e-7)) p += q;
  }
  return Math.min(1, p);
}

/** Holm step-down adjustment; nulls stay null and do not count as tests. */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((a, b) => a.p - b.p);
  const m = order.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, i }, rankIndex) => {
    running = Math.max(running, Math.min(1, (m - rankIndex) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
