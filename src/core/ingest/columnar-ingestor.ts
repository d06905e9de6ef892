/**
 * The front end for data that arrive as typed values rather than CSV text: JSON records and columns, and
 * Parquet (read chunk by chunk). Each value is written as the text a CSV would hold and goes through the same
 * batch builder, so the same data give the same outcome whichever way they were sent:
 * - null or undefined → '' (missing, as an empty CSV field);
 * - strings as they are (or their UTF-8 bytes, as a Uint8Array); booleans → "true"/"false"; numbers with
 *   JavaScript's shortest round-trip form (so the builder parses back exactly the same double); bigints in
 *   decimal;
 * - anything else (objects, arrays) is rejected naming the row and column.
 * Only the mapped columns are ever read (`mapped`); values are encoded into reused per-slot buffers, so a row
 * allocates nothing but the number-to-text conversions.
 */
import { DomainError } from '../errors';
import { AuditConfig } from './audit-config';
import {
  BatchBuilder,
  checkAttributeLimit,
  IngestOutcome,
  RowDescriber,
  Slot,
  startBatch,
} from './batch-builder';
import { IngestLimits, resolveLimits } from './limits';

/** A column of the upload that the config maps (a role or a sensitive attribute), and the cell slot it fills. */
export interface MappedColumn {
  readonly name: string;
  readonly slot: number;
  /** A numeric role (label, prediction, score, weight), read as a number; false for a sensitive attribute. */
  readonly numeric: boolean;
}

/** The value of mapped column `k` (an index into `mapped`) in row `index` of a chunk. */
export type ValueAt = (index: number, k: number) => unknown;

const encoder = new TextEncoder();
const ZERO = encoder.encode('0');
const ONE = encoder.encode('1');
const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');
const EMPTY = new Uint8Array(0);

export class ColumnarIngestor {
  /** The mapped columns, in the order of the upload's columns; `valueAt`'s `k` indexes this list. */
  readonly mapped: readonly MappedColumn[];
  private readonly builder: BatchBuilder;
  private readonly limits: IngestLimits;
  private readonly scratch: Uint8Array[];
  private rows = 0;

  constructor(
    config: AuditConfig,
    columns: readonly string[],
    partialLimits: Partial<IngestLimits>,
    private readonly describeRow: RowDescriber,
  ) {
    this.limits = resolveLimits(partialLimits);
    checkAttributeLimit(config, this.limits);
    const { builder, slots } = startBatch(config, columns, this.limits, describeRow);
    this.builder = builder;
    this.mapped = columns.flatMap((name, c) => {
      const slot = slots[c] as number;
      return slot >= 0 ? [{ name, slot, numeric: slot < Slot.firstAttribute }] : [];
    });
    this.scratch = this.mapped.map(() => new Uint8Array(64));
  }

  /** Appends `count` rows; row numbers continue from the previous chunk (1-based). */
  addRows(count: number, valueAt: ValueAt): void {
    const { mapped, builder } = this;
    for (let i = 0; i < count; i++) {
      const row = ++this.rows;
      for (let k = 0; k < mapped.length; k++) this.setCell(k, valueAt(i, k), row);
      builder.commitRow(row);
    }
  }

  finish(): IngestOutcome {
    return this.builder.finish(null);
  }

  /** Puts the value's CSV bytes into the cell of mapped column `k`: a constant, or the text encoded into its scratch. */
  private setCell(k: number, value: unknown, row: number): void {
    switch (typeof value) {
      case 'string':
        return this.setText(k, value, row);
      case 'number':
        if (value === 0 || value === 1) return this.setBytes(k, value === 0 ? ZERO : ONE);
        return this.setText(k, String(value), row);
      case 'boolean':
        return this.setBytes(k, value ? TRUE : FALSE);
      case 'bigint':
        if (value === 0n || value === 1n) return this.setBytes(k, value === 0n ? ZERO : ONE);
        return this.setText(k, value.toString(), row);
      case 'undefined':
        return this.setBytes(k, EMPTY);
      case 'object':
        if (value === null) return this.setBytes(k, EMPTY);
        // UTF-8 text as bytes (Parquet strings). isView, not instanceof: the bytes may come from another realm.
        if (ArrayBuffer.isView(value)) return this.setUtf8(k, value as Uint8Array, row);
        return this.reject(k, row, 'expected a number, boolean, string or null');
      case 'function':
      case 'symbol':
        return this.reject(k, row, 'expected a number, boolean, string or null');
    }
  }

  private setBytes(k: number, bytes: Uint8Array, length = bytes.length): void {
    const { slot } = this.mapped[k] as MappedColumn;
    const cells = this.builder.cells;
    cells.bytes[slot] = bytes;
    cells.start[slot] = 0;
    cells.end[slot] = length;
  }

  private setUtf8(k: number, bytes: Uint8Array, row: number): void {
    if (bytes.length > this.limits.maxFieldBytes) this.fieldTooLarge(k, row);
    this.setBytes(k, bytes);
  }

  private setText(k: number, text: string, row: number): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a buffer of 3 × length never truncates.
    if (text.length > this.limits.maxFieldBytes) this.fieldTooLarge(k, row);
    let target = this.scratch[k] as Uint8Array;
    if (target.length < text.length * 3) {
      target = new Uint8Array(Math.max(text.length * 3, target.length * 2));
      this.scratch[k] = target;
    }
    const { written } = encoder.encodeInto(text, target);
    if (written > this.limits.maxFieldBytes) this.fieldTooLarge(k, row);
    this.setBytes(k, target, written);
  }

  private fieldTooLarge(k: number, row: number): never {
    const column = (this.mapped[k] as MappedColumn).name;
    const message = `${this.describeRow(row)}, column "${column}": field larger than ${this.limits.maxFieldBytes} bytes`;
    throw new DomainError('payload_too_large', message, [{ row, column, message }]);
  }

  private reject(k: number, row: number, problem: string): never {
    const column = (this.mapped[k] as MappedColumn).name;
    const message = `${this.describeRow(row)}, column "${column}": ${problem}`;
    throw new DomainError('invalid_input', message, [{ row, column, message }]);
  }
}
