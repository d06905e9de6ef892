/**
 * The cryptographic randomness the CLI noises cell tables with (node:crypto's CSPRNG): noise drawn from a
 * predictable generator could be subtracted again by anyone who can guess its state.
 */
import { randomBytes } from 'node:crypto';
import { belowFromWords, type RandomSource } from '../core/privacy';

/** Random 32-bit words, fetched in blocks (one system call per 1,024 words). */
function wordSource(): () => number {
  let block = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next >= block.length) {
      const bytes = randomBytes(4096);
      block = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      next = 0;
    }
    return block[next++]!;
  };
}

export function cryptoRandomSource(): RandomSource {
  const word = wordSource();
  return {
    below: (n) => belowFromWords(n, word),
    // 53 random bits, +0.5 keeps the value off 0 (ln of it stays finite).
    uniform: () => ((word() >>> 5) * 67108864 + (word() >>> 6) + 0.5) / 9007199254740992,
  };
}
