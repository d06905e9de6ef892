/**
 * Merges the parts of a federated round into one columnar batch: the batch a single upload of every part's
 * rows, one file after the other in the round's site order, would have produced. Attribute levels are
 * re-interned across parts in order of first appearance (a part's own levels are already in that order, so
 * appending each part's unseen levels gives the order of the concatenated rows); labels, scores, weights and
 * counts are carried as they are. With a site attribute, each row also gets its part's site as a group.
 *
 * Parts are added one at a time, so the caller can decode each stored part, add it and let it go: memory is
 * the merged batch plus one part, never every part at once.
 */
import { DomainError } from '../errors';
import { MISSING_CODE, type AttributeColumn, type ColumnarBatch } from '../ingest';

export interface MergeLayout {
  /** Rows of every part together (the stored row counts), so the merged arrays are allocated once. */
  readonly totalRows: number;
  /** The pooled audit's sensitive attributes, in its config's order. */
  readonly attributes: readonly string[];
  /** The attribute that takes each part's site as its group, or null when the site is not an attribute. */
  readonly siteAttribute: string | null;
  /** Most groups an attribute may have (the upload limit MAX_GROUPS_PER_ATTRIBUTE). */
  readonly maxGroupsPerAttribute: number;
}

/** The optional columns every part must have alike, with the name a problem gives them. */
const OPTIONAL = [
  ['labels', 'label'],
  ['scores', 'score'],
  ['weights', 'weight'],
  ['counts', 'count'],
] as const;
type OptionalKey = (typeof OPTIONAL)[number][0];

class MergedAttribute {
  readonly levels: string[] = [];
  private readonly index = new Map<string, number>();
  readonly codes: Uint16Array;

  constructor(
    readonly name: string,
    rows: number,
    private readonly maxLevels: number,
  ) {
    this.codes = new Uint16Array(rows);
  }

  /** The merged code of a level, adding it when unseen. */
  code(level: string): number {
    const known = this.index.get(level);
    if (known !== undefined) return known;
    if (this.levels.length >= this.maxLevels) {
      const message = `The parts together have more than ${this.maxLevels} groups in "${this.name}" (MAX_GROUPS_PER_ATTRIBUTE).`;
      throw new DomainError('payload_too_large', message, [{ column: this.name, message }]);
    }
    this.index.set(level, this.levels.length);
    this.levels.push(level);
    return this.levels.length - 1;
  }

  column(): AttributeColumn {
    return { name: this.name, levels: this.levels, codes: this.codes };
  }
}

export class PartMerger {
  private readonly predictions: Uint8Array;
  private readonly optional: Partial<Record<OptionalKey, Uint8Array | Float64Array>> = {};
  private readonly attributes: MergedAttribute[];
  private offset = 0;
  /** Which optional columns the first part had: every later part must have the same. */
  private shape?: Record<OptionalKey, boolean>;

  constructor(private readonly layout: MergeLayout) {
    this.predictions = new Uint8Array(layout.totalRows);
    this.attributes = layout.attributes.map(
      (name) => new MergedAttribute(name, layout.totalRows, layout.maxGroupsPerAttribute),
    );
  }

  /** Appends a part's rows. `site` names the part in problems and is its group in the site attribute. */
  add(site: string, batch: ColumnarBatch): void {
    const at = this.offset;
    const n = batch.rowCount;
    if (at + n > this.layout.totalRows) {
      throw new Error(`part merge: site ${site} brings more rows than the layout's total`);
    }
    this.checkShape(site, batch);
    this.predictions.set(batch.predictions.subarray(0, n), at);
    for (const [key] of OPTIONAL) {
      const source = batch[key];
      if (!source) continue;
      const target = (this.optional[key] ??=
        key === 'labels' ? new Uint8Array(this.layout.totalRows) : new Float64Array(this.layout.totalRows));
      target.set(source.subarray(0, n), at);
    }
    for (const merged of this.attributes) {
      if (merged.name === this.layout.siteAttribute) {
        if (n > 0) merged.codes.fill(merged.code(site), at, at + n);
        continue;
      }
      const own = batch.attributes.find((a) => a.name === merged.name);
      if (!own) {
        throw new DomainError('conflict', `The part of site "${site}" has no attribute "${merged.name}".`);
      }
      // A part's level → its merged code; the missing sentinel stays the sentinel.
      const remap = new Uint16Array(own.levels.length);
      own.levels.forEach((level, i) => (remap[i] = merged.code(level)));
      const out = merged.codes;
      const codes = own.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i] as number;
        out[at + i] = c === MISSING_CODE ? MISSING_CODE : (remap[c] as number);
      }
    }
    this.offset += n;
  }

  /** The merged batch, once every part has been added. */
  finish(): ColumnarBatch {
    if (this.offset !== this.layout.totalRows) {
      throw new Error(`part merge: ${this.offset} rows added, ${this.layout.totalRows} expected`);
    }
    const { labels, scores, weights, counts } = this.optional;
    return {
      rowCount: this.offset,
      ...(labels && { labels: labels as Uint8Array }),
      predictions: this.predictions,
      ...(scores && { scores: scores as Float64Array }),
      ...(weights && { weights: weights as Float64Array }),
      ...(counts && { counts: counts as Float64Array }),
      attributes: this.attributes.map((a) => a.column()),
    };
  }

  private checkShape(site: string, batch: ColumnarBatch): void {
    const shape = Object.fromEntries(OPTIONAL.map(([key]) => [key, batch[key] !== undefined])) as Record<
      OptionalKey,
      boolean
    >;
    if (!this.shape) {
      this.shape = shape;
      return;
    }
    for (const [key, name] of OPTIONAL) {
      if (shape[key] === this.shape[key]) continue;
      const message = shape[key]
        ? `The part of site "${site}" has a ${name} column and the earlier parts do not.`
        : `The part of site "${site}" has no ${name} column and the earlier parts do.`;
      throw new DomainError('conflict', message, [{ field: 'site', message }]);
    }
  }
}
