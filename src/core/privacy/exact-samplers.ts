/**
 * Exact samplers of Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS
 * 2020), Algorithms 1–3: every step is a Bernoulli trial with a rational probability or a uniform integer,
 * computed in bigint arithmetic, so the output distribution is exactly the one the privacy proof assumes.
 * (A floating-point sampler's output has gaps and biases that can leak the input: Mironov, CCS 2012.)
 */
import { isqrt, Rational } from './rational';
import { RandomSource } from './random-source';

/** Bernoulli(num/den), 0 ≤ num ≤ den. */
function bernoulli(rng: RandomSource, num: bigint, den: bigint): boolean {
  return rng.below(den) < num;
}

/** Bernoulli(exp(−γ)) for γ = num/den ≥ 0 (CKS Algorithm 1). */
export function bernoulliExpMinus(rng: RandomSource, num: bigint, den: bigint): boolean {
  if (num <= den) {
    // K counts trials A ~ Bernoulli(γ/K) until one fails; P(K odd) = exp(−γ).
    let k = 1n;
    while (bernoulli(rng, num, den * k)) k += 1n;
    return k % 2n === 1n;
  }
  // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
  const whole = num / den;
  for (let i = 0n; i < whole; i++) if (!bernoulliExpMinus(rng, 1n, 1n)) return false;
  return bernoulliExpMinus(rng, num - whole * den, den);
}

/**
 * The discrete Laplace (two-sided geometric) distribution P(x) ∝ exp(−|x|·s/t) on the integers
 * (CKS Algorithm 2, scale t/s).
 */
export function sampleDiscreteLaplace(rng: RandomSource, s: bigint, t: bigint): bigint {
  for (;;) {
    const u = rng.below(t);
    if (!bernoulliExpMinus(rng, u, t)) continue;
    let v = 0n;
    while (bernoulliExpMinus(rng, 1n, 1n)) v += 1n;
    const y = (u + t * v) / s;
    const negative = bernoulli(rng, 1n, 2n);
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * The discrete Gaussian P(x) ∝ exp(−x²/(2σ²)) on the integers (CKS Algorithm 3): a discrete Laplace
 * proposal with t = ⌊σ⌋ + 1, accepted with probability exp(−(|Y| − σ²/t)²/(2σ²)).
 */
export function sampleDiscreteGaussian(rng: RandomSource, sigma2: Rational): bigint {
  const { num, den } = sigma2;
  const t = isqrt(num / den) + 1n;
  for (;;) {
    const y = sampleDiscreteLaplace(rng, 1n, t);
    const abs = y < 0n ? -y : y;
    // γ = (|y| − σ²/t)²/(2σ²) = (|y|·den·t − num)² / (2·num·den·t²)
    const gap = abs * den * t - num;
    if (bernoulliExpMinus(rng, gap * gap, 2n * num * den * t * t)) return y;
  }
}
