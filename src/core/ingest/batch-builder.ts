/**
 * The one batch builder behind every front end (CSV, JSON records, JSON columns). A front end puts the
 * bytes of each mapped cell of a row into `cells` (slot by slot, see `Slot`) and calls `commitRow`; the
 * builder coerces and validates the values, applies `onInvalidRow`, and appends them to growable typed
 * arrays (capacity doubles), finished into exact-length arrays.
 *
 * Row numbers are 1-based data rows (the CSV header is row 0; for JSON, the record or array index + 1).
 * Skipped rows count towards `maxRows`.
 */
import { DomainError } from '../errors';
import { AuditConfig, taskOf } from './audit-config';
import { AttributeColumn, ColumnarBatch, MAX_CLASSES, MISSING_CODE } from './batch';
import {
  bytesEqual,
  excerpt,
  COUNT_TOO_LARGE,
  InvalidUtf8Error,
  NOT_A_COUNT,
  parseBinary,
  parseCount,
  parseNumber,
  skipBlanks,
  trimBlanksEnd,
} from './cell-values';
import { ClassReader, MAX_VALUES_OUTSIDE_CLASSES } from './class-reader';
import { ColumnMapping, ColumnsUsed, resolveColumns } from './column-mapping';
import { LevelInterner } from './level-interner';
import { IngestLimits } from './limits';

export type CsvDelimiter = ',' | ';' | '\t';

export interface IngestOutcome {
  readonly batch: ColumnarBatch;
  /**
   * The people audited: rows kept (= batch.rowCount), or with a count column the sum of the counts of the
   * rows kept (the rows of the expanded table).
   */
  readonly rowCount: number;
  /** With a count column only: the rows of the cell table kept (0-count rows included). */
  readonly cellCount?: number;
  /** Rows left out under `onInvalidRow: "skip"`. */
  readonly skippedRows: number;
  /** Row numbers of the first 10 skipped rows. */
  readonly firstSkippedRows: readonly number[];
  readonly columnsUsed: ColumnsUsed;
  /** The CSV delimiter detected from the header; null for JSON. */
  readonly delimiter: CsvDelimiter | null;
  /** Present when a score column was used: whether every score lies in [0, 1] (brier_score needs probabilities). */
  readonly scoresInUnitInterval?: boolean;
}

/**
 * Cell slots of a row: the numeric roles, then one per sensitive attribute. A regression audit reads its
 * target in the label's slot (a batch has one or the other).
 */
export const Slot = { label: 0, prediction: 1, score: 2, weight: 3, count: 4, firstAttribute: 5 } as const;

/**
 * The most people one audit holds with a count column: the audit's `rowCount` is a 32-bit integer column.
 * (Each count may reach 2^53 − 1 on its own; every sum of counts stays an exact double below this.)
 */
export const MAX_PEOPLE = 2_147_483_647;

/** The mapped cells of the current row: `bytes[slot]` holds the value in `[start[slot], end[slot])`. */
export interface RowCells {
  readonly bytes: Uint8Array[];
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** Describes a row for messages, e.g. "row 17 (line 18)" or "record 17". */
export type RowDescriber = (row: number) => string;

const UNKNOWN_LEVEL = new TextEncoder().encode('Unknown');
const MAX_SKIPPED_LISTED = 10;
const INITIAL_CAPACITY = 1024;
const ZERO = 0x30;
const NOT_FINITE = 'is not a finite number';
const NOT_BINARY = 'is not binary (expected 0/1, true/false or the positiveLabel)';

/** For each column of the upload, the slot it fills, or -1 when it is not mapped (and never read). */
export function slotsOfColumns(mapping: ColumnMapping, columnCount: number): Int32Array {
  const slots = new Int32Array(columnCount).fill(-1);
  const { target, label, prediction, score, weight, count, attributes } = mapping.indexes;
  if (label !== undefined) slots[label] = Slot.label;
  if (target !== undefined) slots[target] = Slot.label;
  if (prediction !== undefined) slots[prediction] = Slot.prediction;
  if (score !== undefined) slots[score] = Slot.score;
  if (weight !== undefined) slots[weight] = Slot.weight;
  if (count !== undefined) slots[count] = Slot.count;
  attributes.forEach((column, k) => (slots[column] = Slot.firstAttribute + k));
  return slots;
}

/** Maps the config onto the upload's columns and starts a builder for them. */
export function startBatch(
  config: AuditConfig,
  columns: readonly string[],
  limits: IngestLimits,
  describeRow: RowDescriber,
): { builder: BatchBuilder; slots: Int32Array } {
  const mapping = resolveColumns(config, columns);
  return {
    builder: new BatchBuilder(config, mapping, limits, describeRow),
    slots: slotsOfColumns(mapping, columns.length),
  };
}

/** Rejects configs with more sensitive attributes than the limit allows. */
export function checkAttributeLimit(config: AuditConfig, limits: IngestLimits): void {
  if (config.sensitiveAttributes.length <= limits.maxAttributes) return;
  const message = `at most ${limits.maxAttributes} sensitive attributes per audit`;
  throw new DomainError('invalid_config', message, [{ field: 'config.sensitiveAttributes', message }]);
}

export class BatchBuilder {
  readonly cells: RowCells;
  private size = 0;
  private capacity = INITIAL_CAPACITY;
  private labels?: Uint8Array;
  private predictions = new Uint8Array(INITIAL_CAPACITY);
  private scores?: Float64Array;
  private weights?: Float64Array;
  private counts?: Float64Array;
  /** Regression: the target and the numeric prediction (then `predictions` stays all 0). */
  private targets?: Float64Array;
  private predictedValues?: Float64Array;
  /** With counts: the sum of the counts kept, and the rows kept with count 0 (not stored: they hold nobody). */
  private people = 0;
  private zeroCountRows = 0;
  private readonly codes: Uint16Array[];
  private readonly interners: LevelInterner[];
  private readonly slotColumns: string[];
  private readonly missingTokens: Uint8Array[];
  private readonly positiveBytes?: Uint8Array;
  private readonly positiveBit: 0 | 1;
  private readonly derivePredictions: boolean;
  /** Multiclass audits: reads labels and predictions as class codes. */
  private readonly classReader?: ClassReader;
  private readonly notAValue: string;
  private classSlot = 0;
  private scoresInUnitInterval = true;
  private currentRow = 0;
  private valueStart = 0;
  private valueEnd = 0;
  private skipped = 0;
  private readonly firstSkipped: number[] = [];

  constructor(
    private readonly config: AuditConfig,
    private readonly mapping: ColumnMapping,
    private readonly limits: IngestLimits,
    private readonly describeRow: RowDescriber,
  ) {
    const { used } = mapping;
    const slotCount = Slot.firstAttribute + used.attributes.length;
    this.cells = {
      bytes: new Array<Uint8Array>(slotCount),
      start: new Int32Array(slotCount),
      end: new Int32Array(slotCount),
    };
    this.slotColumns = [
      used.target ?? used.label ?? '',
      used.prediction ?? '',
      used.score ?? '',
      used.weight ?? '',
      used.count ?? '',
      ...used.attributes,
    ];
    if (used.label !== undefined) this.labels = new Uint8Array(INITIAL_CAPACITY);
    if (used.score !== undefined) this.scores = new Float64Array(INITIAL_CAPACITY);
    if (used.weight !== undefined) this.weights = new Float64Array(INITIAL_CAPACITY);
    if (used.count !== undefined) this.counts = new Float64Array(INITIAL_CAPACITY);
    if (used.target !== undefined) {
      this.targets = new Float64Array(INITIAL_CAPACITY);
      this.predictedValues = new Float64Array(INITIAL_CAPACITY);
    }
    this.derivePredictions = used.prediction === undefined;
    this.codes = used.attributes.map(() => new Uint16Array(INITIAL_CAPACITY));
    this.interners = used.attributes.map(
      (name) => new LevelInterner(limits.maxGroupsPerAttribute, () => this.tooManyGroups(name)),
    );
    const encoder = new TextEncoder();
    this.missingTokens = config.missingTokens.map((t) => encoder.encode(t.trim()));
    const positive = config.positiveLabel;
    if (typeof positive === 'string') this.positiveBytes = encoder.encode(positive);
    this.positiveBit = positive === 0 || positive === false ? 0 : 1;
    this.notAValue = NOT_BINARY;
    if (taskOf(config) === 'multiclass') {
      this.classReader = new ClassReader(config.classes, (fixed) => this.tooManyClasses(fixed));
      this.notAValue = `is not one of config.classes (${(config.classes ?? []).map((c) => JSON.stringify(c)).join(', ')})`;
    }
  }

  /** Validates and appends the row in `cells`, or skips or rejects it per `onInvalidRow`. */
  commitRow(row: number): void {
    this.currentRow = row;
    if (row > this.limits.maxRows) this.tooManyRows(row);
    if (this.size === this.capacity) this.grow();
    if (this.readNumbers(this.size)) {
      this.readAttributes(this.size);
      this.size++;
    }
  }

  /** The batch and counts; throws when no row was kept (or, with counts, when every count kept is 0). */
  finish(delimiter: CsvDelimiter | null): IngestOutcome {
    const n = this.size;
    if (n === 0) this.noRows();
    const attributes: AttributeColumn[] = this.mapping.used.attributes.map((name, k) => ({
      name,
      levels: (this.interners[k] as LevelInterner).levels,
      codes: (this.codes[k] as Uint16Array).slice(0, n),
    }));
    const classes = this.classReader?.finish(this.labels, this.predictions, n);
    const batch: ColumnarBatch = {
      rowCount: n,
      ...(classes && { classes }),
      ...(this.labels && { labels: this.labels.slice(0, n) }),
      predictions: this.predictions.slice(0, n),
      ...(this.scores && { scores: this.scores.slice(0, n) }),
      ...(this.weights && { weights: this.weights.slice(0, n) }),
      ...(this.counts && { counts: this.counts.slice(0, n) }),
      ...(this.targets && { targets: this.targets.slice(0, n) }),
      ...(this.predictedValues && { predictedValues: this.predictedValues.slice(0, n) }),
      attributes,
    };
    return {
      batch,
      rowCount: this.counts ? this.people : n,
      ...(this.counts && { cellCount: n + this.zeroCountRows }),
      skippedRows: this.skipped,
      firstSkippedRows: this.firstSkipped,
      columnsUsed: this.mapping.used,
      delimiter,
      ...(this.scores && { scoresInUnitInterval: this.scoresInUnitInterval }),
    };
  }

  /** Reads label, prediction, score and weight into row `i`; false when the row is invalid and skipped. */
  private readNumbers(i: number): boolean {
    if (this.targets && this.predictedValues)
      return this.readRegression(i, this.targets, this.predictedValues);
    if (this.labels) {
      const v = this.classReader ? this.readClass(Slot.label) : this.readBinary(Slot.label);
      if (v < 0) return this.invalid(Slot.label, 'label', this.notAValue);
      this.labels[i] = v;
    }
    if (!this.derivePredictions) {
      const v = this.classReader ? this.readClass(Slot.prediction) : this.readBinary(Slot.prediction);
      if (v < 0) return this.invalid(Slot.prediction, 'prediction', this.notAValue);
      this.predictions[i] = v;
    }
    if (this.scores) {
      const v = this.readNumber(Slot.score);
      if (!Number.isFinite(v)) return this.invalid(Slot.score, 'score', NOT_FINITE);
      this.scores[i] = v;
      if (v < 0 || v > 1) this.scoresInUnitInterval = false;
      if (this.derivePredictions) this.predictions[i] = v >= this.config.threshold ? 1 : 0;
    }
    return this.readWeightAndCount(i);
  }

  /** Reads the target and the numeric prediction of a regression row; false when one is invalid (skipped). */
  private readRegression(i: number, targets: Float64Array, predictedValues: Float64Array): boolean {
    const target = this.readNumber(Slot.label);
    if (!Number.isFinite(target)) return this.invalid(Slot.label, 'target', NOT_FINITE);
    const prediction = this.readNumber(Slot.prediction);
    if (!Number.isFinite(prediction)) return this.invalid(Slot.prediction, 'prediction', NOT_FINITE);
    targets[i] = target;
    predictedValues[i] = prediction;
    return this.readWeightAndCount(i);
  }

  private readWeightAndCount(i: number): boolean {
    if (this.weights) {
      const v = this.readNumber(Slot.weight);
      if (!(v >= 0) || v === Infinity)
        return this.invalid(Slot.weight, 'weight', 'is not a finite number ≥ 0');
      this.weights[i] = v;
    }
    return this.counts ? this.readCount(this.counts, i) : true;
  }

  /**
   * Reads the count of row `i`. A 0-count row is valid but not stored: it holds nobody, and its attribute
   * values must not become groups the expanded rows would not have. False when the row is not kept.
   */
  private readCount(counts: Float64Array, i: number): boolean {
    const c = parseCount(this.load(Slot.count), this.valueStart, this.valueEnd);
    if (c === NOT_A_COUNT) return this.invalid(Slot.count, 'count', 'is not a whole number ≥ 0');
    if (c === COUNT_TOO_LARGE) return this.invalid(Slot.count, 'count', 'is larger than 2^53 − 1');
    if (c === 0) {
      this.zeroCountRows++;
      return false;
    }
    if (this.people + c > MAX_PEOPLE) {
      this.reject(
        Slot.count,
        `the counts add up to more than ${MAX_PEOPLE} people, the most one audit holds`,
      );
    }
    this.people += c;
    counts[i] = c;
    return true;
  }

  /** 1, 0, or -1 for a missing or non-binary value. With a string positiveLabel any other non-empty value is 0. */
  private readBinary(slot: number): number {
    const cellStart = this.cells.start[slot] as number;
    if (!this.positiveBytes && (this.cells.end[slot] as number) - cellStart === 1) {
      // One byte: "0" or "1" (no blanks to strip), the common case; anything else takes the general path.
      const d = ((this.cells.bytes[slot] as Uint8Array)[cellStart] as number) - ZERO;
      if (d === 0 || d === 1) return d === this.positiveBit ? 1 : 0;
    }
    const bytes = this.load(slot);
    const { valueStart: start, valueEnd: end } = this;
    if (start === end) return -1;
    if (this.positiveBytes) return bytesEqual(bytes, start, end, this.positiveBytes) ? 1 : 0;
    const bit = parseBinary(bytes, start, end);
    return bit < 0 ? -1 : bit === this.positiveBit ? 1 : 0;
  }

  /** The class code, or -1 for a missing value or one outside config.classes. */
  private readClass(slot: number): number {
    const bytes = this.load(slot);
    if (this.valueStart === this.valueEnd) return -1;
    this.classSlot = slot;
    try {
      return (this.classReader as ClassReader).read(bytes, this.valueStart, this.valueEnd);
    } catch (err) {
      if (err instanceof InvalidUtf8Error) this.reject(slot, 'is not valid UTF-8');
      throw err;
    }
  }

  private readNumber(slot: number): number {
    const bytes = this.load(slot);
    return parseNumber(bytes, this.valueStart, this.valueEnd);
  }

  private readAttributes(i: number): void {
    for (let k = 0; k < this.interners.length; k++) {
      const slot = Slot.firstAttribute + k;
      const interner = this.interners[k] as LevelInterner;
      const bytes = this.load(slot);
      (this.codes[k] as Uint16Array)[i] = this.isMissing(bytes)
        ? this.missingCode(interner)
        : this.intern(interner, slot, bytes);
    }
  }

  private isMissing(bytes: Uint8Array): boolean {
    for (const token of this.missingTokens)
      if (bytesEqual(bytes, this.valueStart, this.valueEnd, token)) return true;
    return false;
  }

  private missingCode(interner: LevelInterner): number {
    return this.config.missingAttribute === 'drop'
      ? MISSING_CODE
      : interner.intern(UNKNOWN_LEVEL, 0, UNKNOWN_LEVEL.length);
  }

  private intern(interner: LevelInterner, slot: number, bytes: Uint8Array): number {
    try {
      return interner.intern(bytes, this.valueStart, this.valueEnd);
    } catch (err) {
      if (err instanceof InvalidUtf8Error) this.reject(slot, 'is not valid UTF-8');
      throw err;
    }
  }

  /** Makes the cell of `slot`, stripped of surrounding blanks, the current value: its bytes, [valueStart, valueEnd). */
  private load(slot: number): Uint8Array {
    const bytes = this.cells.bytes[slot] as Uint8Array;
    this.valueStart = skipBlanks(bytes, this.cells.start[slot] as number, this.cells.end[slot] as number);
    this.valueEnd = trimBlanksEnd(bytes, this.valueStart, this.cells.end[slot] as number);
    return bytes;
  }

  /** Handles an invalid numeric value per `onInvalidRow`; returns false (the row is not kept). */
  private invalid(slot: number, role: string, problem: string): false {
    const bytes = this.load(slot);
    const { valueStart: start, valueEnd: end } = this;
    const message = start === end ? `missing ${role}` : `${role} ${excerpt(bytes, start, end)} ${problem}`;
    if (this.config.onInvalidRow === 'reject') this.reject(slot, message);
    this.skipped++;
    if (this.firstSkipped.length < MAX_SKIPPED_LISTED) this.firstSkipped.push(this.currentRow);
    return false;
  }

  private reject(slot: number, problem: string): never {
    const column = this.slotColumns[slot] as string;
    const message = `${this.describeRow(this.currentRow)}, column "${column}": ${problem}`;
    throw new DomainError('invalid_input', message, [{ row: this.currentRow, column, message }]);
  }

  private tooManyRows(row: number): never {
    const message = `${this.describeRow(row)}: more than ${this.limits.maxRows} rows`;
    throw new DomainError('payload_too_large', message, [{ row, message }]);
  }

  private tooManyGroups(column: string): never {
    const message =
      `${this.describeRow(this.currentRow)}, column "${column}": more than ${this.limits.maxGroupsPerAttribute} ` +
      'distinct values; it looks like a free-text or identifier column, not a sensitive attribute';
    throw new DomainError('invalid_input', message, [{ row: this.currentRow, column, message }]);
  }

  private tooManyClasses(fixed: boolean): never {
    this.reject(
      this.classSlot,
      fixed
        ? `more than ${MAX_VALUES_OUTSIDE_CLASSES} distinct values outside config.classes`
        : `more than ${MAX_CLASSES} distinct classes in the labels and predictions (a multiclass audit has at most ${MAX_CLASSES})`,
    );
  }

  private noRows(): never {
    const message =
      this.zeroCountRows > 0
        ? `no people to audit: every count is 0 or its row was skipped (${this.skipped} skipped)`
        : this.skipped > 0
          ? `no valid data rows: all ${this.skipped} rows were skipped`
          : 'no data rows';
    throw new DomainError('invalid_input', message, [{ message }]);
  }

  private grow(): void {
    this.capacity *= 2;
    const c = this.capacity;
    this.predictions = grown(this.predictions, new Uint8Array(c));
    if (this.labels) this.labels = grown(this.labels, new Uint8Array(c));
    if (this.scores) this.scores = grown(this.scores, new Float64Array(c));
    if (this.weights) this.weights = grown(this.weights, new Float64Array(c));
    if (this.counts) this.counts = grown(this.counts, new Float64Array(c));
    if (this.targets) this.targets = grown(this.targets, new Float64Array(c));
    if (this.predictedValues) this.predictedValues = grown(this.predictedValues, new Float64Array(c));
    this.codes.forEach((codes, k) => (this.codes[k] = grown(codes, new Uint16Array(c))));
  }
}

function grown<T extends Uint8Array | Uint16Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}
