/**
 * Interns attribute values: the bytes of a value → a small integer code, through an open-addressing hash
 * table over the bytes, so a row costs a hash and one comparison and no string. A level's string is decoded
 * once, when it is first seen. Levels keep their order of first appearance.
 *
 * Before hashing, the value is compared with the last level found for the same length and first byte
 * (`guesses`): attribute levels mostly differ there ("Female"/"Male", "White"/"Black"/...), so most rows
 * cost one comparison and no hash. A wrong guess only costs that comparison.
 */
import { bytesEqual, decodeUtf8 } from './cell-values';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const EMPTY_SLOT = -1;
/** Values shorter than this get a guess: indexed by length * 256 + first byte. */
const GUESS_LENGTHS = 32;

export class LevelInterner {
  readonly levels: string[] = [];
  private readonly slots: Int32Array;
  private readonly keys: Uint8Array[] = [];
  private readonly mask: number;
  /** Code + 1 of the last level found per (length, first byte); 0 when none. */
  private readonly guesses = new Int32Array(GUESS_LENGTHS * 256);

  /** `onOverflow` is called (and must throw) when a value would be level number `maxLevels + 1`. */
  constructor(
    private readonly maxLevels: number,
    private readonly onOverflow: () => never,
  ) {
    let size = 16;
    while (size < maxLevels * 2) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY_SLOT);
    this.mask = size - 1;
  }

  /** The code of the value in [start, end), adding it as a new level when unseen. Throws an InvalidUtf8Error on invalid UTF-8. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 0 || length >= GUESS_LENGTHS) return this.lookup(bytes, start, end);
    const key = (length << 8) | (bytes[start] as number);
    const guess = (this.guesses[key] as number) - 1;
    if (guess >= 0 && bytesEqual(bytes, start, end, this.keys[guess] as Uint8Array)) return guess;
    const code = this.lookup(bytes, start, end);
    this.guesses[key] = code + 1;
    return code;
  }

  private lookup(bytes: Uint8Array, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const code = this.slots[slot] as number;
      if (code === EMPTY_SLOT) return this.add(slot, bytes, start, end);
      if (bytesEqual(bytes, start, end, this.keys[code] as Uint8Array)) return code;
    }
  }

  private add(slot: number, bytes: Uint8Array, start: number, end: number): number {
    if (this.levels.length >= this.maxLevels) this.onOverflow();
    const level = decodeUtf8(bytes, start, end);
    const code = this.levels.length;
    this.levels.push(level);
    this.keys.push(bytes.slice(start, end));
    this.slots[slot] = code;
    return code;
  }
}
