/**
 * Where the noise's randomness comes from. Core code never calls Math.random or node:crypto: the CLI passes a
 * cryptographic source (src/cli/crypto-random-source.ts), tests a seeded one. Both directions of a sampler
 * use only these two calls, so the exact samplers (discrete Gaussian, geometric) need nothing but uniform
 * integers.
 */
import { mulberry32 } from '../stats';

export interface RandomSource {
  /** A uniform integer in [0, n), n ≥ 1, exactly (no modulo bias). */
  below(n: bigint): bigint;
  /** A uniform number in the open interval (0, 1) (never 0, so ln() is finite). */
  uniform(): number;
}

const WORD = 32n;
const WORD_MASK = (1n << WORD) - 1n;

/**
 * A uniform integer in [0, n) from 32-bit words: draw as many words as n has bits, mask the excess bits, and
 * redraw when the value is ≥ n (rejection keeps it exactly uniform; each try succeeds with probability > 1/2).
 */
export function belowFromWords(n: bigint, word: () => number): bigint {
  if (n < 1n) throw new RangeError(`below(${n}): n must be ≥ 1`);
  const bits = BigInt(n.toString(2).length);
  const mask = (1n << bits) - 1n;
  for (;;) {
    let value = 0n;
    for (let have = 0n; have < bits; have += WORD) value = (value << WORD) | (BigInt(word()) & WORD_MASK);
    value &= mask;
    if (value < n) return value;
  }
}

/**
 * A seeded source for tests and simulations (mulberry32: fast and reproducible, NOT cryptographic: noise
 * drawn from it can be replayed by anyone who knows the seed, so it must never noise data that leaves a site).
 */
export function seededRandomSource(seed: number): RandomSource {
  const next = mulberry32(seed);
  const word = (): number => Math.floor(next() * 4294967296);
  return {
    below: (n) => belowFromWords(n, word),
    // Two draws give 53 random bits; +0.5 keeps the value off 0.
    uniform: () => ((word() >>> 5) * 67108864 + (word() >>> 6) + 0.5) / 9007199254740992,
  };
}
