/**
 * Reads the class names of a multiclass audit's label and prediction cells (text; a number is its text, so
 * "2" in a CSV and 2 in JSON are the same class) into one-byte codes shared by both columns.
 * - With `config.classes`, the codes are its positions; any other value is not a class (`read` answers −1).
 * - Without it, every value of a kept row is a class, at most MAX_CLASSES; `finish` puts them in natural order
 *   (class-order.ts) and recodes the columns, so the order does not depend on the order of the rows.
 */
import { MAX_CLASSES } from './batch';
import { orderClasses } from './class-order';
import { LevelInterner } from './level-interner';

/** Distinct values outside config.classes tolerated (skipped rows) before the upload is refused. */
export const MAX_VALUES_OUTSIDE_CLASSES = 1000;

export class ClassReader {
  private readonly interner: LevelInterner;
  private readonly fixed: number;

  /** `onTooMany` throws: more than MAX_CLASSES classes in the data, or too many distinct values outside `classes`. */
  constructor(classes: readonly string[] | undefined, onTooMany: (fixed: boolean) => never) {
    this.fixed = classes?.length ?? 0;
    const limit = classes === undefined ? MAX_CLASSES : classes.length + MAX_VALUES_OUTSIDE_CLASSES;
    this.interner = new LevelInterner(limit, () => onTooMany(classes !== undefined));
    const encoder = new TextEncoder();
    for (const name of classes ?? []) {
      const bytes = encoder.encode(name);
      this.interner.intern(bytes, 0, bytes.length);
    }
  }

  /** The class code of a non-empty value, or −1 when config.classes does not list it. */
  read(bytes: Uint8Array, start: number, end: number): number {
    const code = this.interner.intern(bytes, start, end);
    return this.fixed > 0 && code >= this.fixed ? -1 : code;
  }

  /** The class names in order; recodes the first `n` labels and predictions when the order comes from the data. */
  finish(labels: Uint8Array | undefined, predictions: Uint8Array, n: number): string[] {
    const seen = this.interner.levels;
    if (this.fixed > 0) return seen.slice(0, this.fixed);
    // Only the values of kept rows are classes: not those of a skipped row or a row with count 0.
    const used = new Uint8Array(seen.length);
    for (let i = 0; i < n; i++) used[predictions[i]!] = 1;
    if (labels) for (let i = 0; i < n; i++) used[labels[i]!] = 1;
    const classes = orderClasses(seen.filter((_, code) => used[code] === 1));
    const recode = Uint8Array.from(seen, (name) => Math.max(0, classes.indexOf(name)));
    for (let i = 0; i < n; i++) predictions[i] = recode[predictions[i]!]!;
    if (labels) for (let i = 0; i < n; i++) labels[i] = recode[labels[i]!]!;
    return classes;
  }
}
