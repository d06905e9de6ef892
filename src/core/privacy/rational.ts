/**
 * Exact rationals for the samplers of Canonne, Kamath & Steinke (2020): every finite double is a dyadic
 * rational m·2^e, so ε and σ² are converted without rounding and the samplers' Bernoulli trials are exact.
 */
export interface Rational {
  /** ≥ 0 */
  readonly num: bigint;
  /** ≥ 1 */
  readonly den: bigint;
}

/** x (finite, ≥ 0) as an exact fraction num/den with den a power of two. */
export function toRational(x: number): Rational {
  if (!(Number.isFinite(x) && x >= 0)) throw new RangeError(`toRational(${x}): need a finite x ≥ 0`);
  let den = 1n;
  let scaled = x;
  // Doubling is exact in binary floating point; after at most 1074 steps the value is an integer.
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    den *= 2n;
  }
  return reduce({ num: BigInt(scaled), den });
}

function reduce(r: Rational): Rational {
  let { num, den } = r;
  while (num % 2n === 0n && den % 2n === 0n) {
    num /= 2n;
    den /= 2n;
  }
  return { num, den };
}

/** ⌊√n⌋ for n ≥ 0 (Newton's method on integers). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Correct the floating-point start until x² ≤ n < (x+1)².
  while (x * x > n) x = (x + n / x) / 2n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}
