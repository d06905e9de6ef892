/**
 * Push-based streaming CSV ingest: `write` chunks as they arrive (boundaries may fall anywhere: inside a
 * quoted field, a CRLF or a UTF-8 character), then `end` for the outcome. Only the bytes of an unfinished
 * record are carried between chunks.
 *
 * - UTF-8, optional BOM, LF or CRLF, last line with or without a newline; blank lines are ignored.
 * - Header row required; the delimiter (comma, semicolon or tab) is detected from it.
 * - Only mapped columns are read: other fields are stepped over byte by byte and never decoded, so their
 *   values reach neither memory as strings nor any message.
 * - Rows are numbered from 1 (the header is row 0) and messages also give the line where the row starts,
 *   e.g. "row 17 (line 18)"; they differ when quoted fields hold newlines or blank lines were ignored.
 * - Ragged rows, NUL bytes, bad quoting and an unclosed quote always fail the upload, whatever `onInvalidRow` says.
 */
import { DomainError, DomainErrorCode } from '../errors';
import { AuditConfig } from './audit-config';
import { BatchBuilder, checkAttributeLimit, CsvDelimiter, IngestOutcome, startBatch } from './batch-builder';
import { decodeUtf8 } from './cell-values';
import {
  FieldStatus,
  LF,
  newScannedField,
  scanField,
  ScannedField,
  scanHeaderLine,
  unescapeQuotes,
} from './csv-fields';
import { IngestLimits, resolveLimits } from './limits';

export interface CsvIngestor {
  write(chunk: Uint8Array): void;
  end(): IngestOutcome;
}

/**
 * A CsvIngestor that parses elsewhere or later (a worker thread, or slices of the event loop). A reader that
 * can wait pauses while drained() is pending and awaits finish() instead of calling end(), which would hold
 * its thread until the parse has caught up.
 */
export interface PacedCsvIngestor extends CsvIngestor {
  /** null when more chunks may be written now; else settles once they may (rejects with the first bad row). */
  drained(): Promise<void> | null;
  /** end() without holding the thread: the outcome once every chunk written is parsed. */
  finish(): Promise<IngestOutcome>;
}

export function isPaced(ingestor: CsvIngestor): ingestor is PacedCsvIngestor {
  const paced = ingestor as Partial<PacedCsvIngestor>;
  return typeof paced.drained === 'function' && typeof paced.finish === 'function';
}

const BOM = [0xef, 0xbb, 0xbf];
const CR = 0x0d;
const MAX_HEADER_BYTES = 1024 * 1024;
const EMPTY = new Uint8Array(0);
const QUOTE = 0x22;

export function createCsvIngestor(config: AuditConfig, limits: Partial<IngestLimits> = {}): CsvIngestor {
  const resolved = resolveLimits(limits);
  checkAttributeLimit(config, resolved);
  return new CsvParser(config, resolved);
}

class CsvParser implements CsvIngestor {
  private pending = EMPTY;
  private work = EMPTY;
  private delim = 0;
  private columns: string[] = [];
  private builder?: BatchBuilder;
  private slots: Int32Array = new Int32Array(0);
  private scratch: Uint8Array[] = [];
  private readonly field: ScannedField = newScannedField();
  /** Data rows read so far, and the line where the next record starts (the header is line 1). */
  private row = 0;
  private line = 1;

  constructor(
    private readonly config: AuditConfig,
    private readonly limits: IngestLimits,
  ) {}

  write(chunk: Uint8Array): void {
    const buf = this.pending.length === 0 ? chunk : this.joinPending(chunk);
    this.pending = buf.slice(this.consume(buf, false));
  }

  /** The carried bytes followed by `chunk`, in a reused work buffer (grown by doubling). */
  private joinPending(chunk: Uint8Array): Uint8Array {
    const length = this.pending.length + chunk.length;
    if (this.work.length < length) this.work = new Uint8Array(Math.max(length, 2 * this.work.length));
    this.work.set(this.pending, 0);
    this.work.set(chunk, this.pending.length);
    return this.work.subarray(0, length);
  }

  end(): IngestOutcome {
    this.consume(this.pending, true);
    this.pending = EMPTY;
    if (!this.builder) throw this.error('invalid_input', 0, 'empty file: no header row');
    return this.builder.finish(String.fromCharCode(this.delim) as CsvDelimiter);
  }

  /** Reads every complete record of `buf`; returns how many bytes were consumed. */
  private consume(buf: Uint8Array, final: boolean): number {
    let p = 0;
    if (!this.builder) {
      p = this.readHeader(buf, final);
      if (p < 0) return 0;
    }
    const builder = this.builder as BatchBuilder;
    while (p < buf.length) {
      const next = this.readRow(buf, p, final, builder);
      if (next < 0) break;
      p = next;
    }
    return p;
  }

  /** Reads the header record; returns where the data starts, or -1 when the header is not complete yet. */
  private readHeader(buf: Uint8Array, final: boolean): number {
    if (!final && buf.length < BOM.length) return -1;
    const p = BOM.every((b, i) => buf[i] === b) ? BOM.length : 0;
    const { end: lineEnd, delimiter } = scanHeaderLine(buf, p);
    if (lineEnd < 0 && !final) {
      if (buf.length > MAX_HEADER_BYTES)
        throw this.error('payload_too_large', 0, `header longer than ${MAX_HEADER_BYTES} bytes`);
      return -1;
    }
    const end = lineEnd < 0 ? buf.length : lineEnd;
    if (end === p || (end === p + 1 && buf[p] === CR))
      throw this.error('invalid_input', 0, 'empty file: no header row');
    this.delim = delimiter;
    const next = this.readHeaderNames(buf, p);
    const started = startBatch(this.config, this.columns, this.limits, (row) => this.describe(row));
    this.builder = started.builder;
    this.slots = started.slots;
    this.line = 2;
    return next;
  }

  private readHeaderNames(buf: Uint8Array, p: number): number {
    const f = this.field;
    for (let status: FieldStatus = FieldStatus.more; status === FieldStatus.more; p = f.next) {
      status = scanField(buf, p, buf.length, this.delim, true, f);
      this.checkField(status, 0, this.columns.length);
      const text = this.decodeHeader(buf, f);
      this.columns.push((f.escapes ? text.replaceAll('""', '"') : text).trim());
    }
    return p;
  }

  private decodeHeader(buf: Uint8Array, f: ScannedField): string {
    try {
      return decodeUtf8(buf, f.start, f.end);
    } catch {
      throw this.error(
        'invalid_input',
        0,
        `column ${this.columns.length + 1} of the header is not valid UTF-8`,
      );
    }
  }

  /** Reads one record at `p`; returns where the next starts, or -1 when the buffer ends first. */
  private readRow(buf: Uint8Array, p: number, final: boolean, builder: BatchBuilder): number {
    const blank = this.blankLineEnd(buf, p, final);
    if (blank !== 0) return blank;
    const n = buf.length;
    const f = this.field;
    const columnCount = this.slots.length;
    let newlines = 0;
    let column = 0;
    for (let status: FieldStatus = FieldStatus.more; status === FieldStatus.more; column++) {
      status = scanField(buf, p, n, this.delim, final, f);
      if (status === FieldStatus.incomplete) return this.checkPartialField(n - p, buf[p] === QUOTE, column);
      this.checkField(status, this.row + 1, column);
      const slot = column < columnCount ? (this.slots[column] as number) : -1;
      if (slot >= 0) this.setCell(slot, buf, f);
      newlines += f.newlines;
      p = f.next;
    }
    if (column !== columnCount) this.ragged(column);
    builder.commitRow(++this.row);
    this.line += 1 + newlines;
    return p;
  }

  /** Past an empty line at `p`: its end; -1 when undecidable yet; 0 when the line is not empty. */
  private blankLineEnd(buf: Uint8Array, p: number, final: boolean): number {
    const crlf = buf[p] === CR ? 1 : 0;
    if (p + crlf >= buf.length) return final ? buf.length : -1; // a CR at the buffer end (p < buf.length)
    if (buf[p + crlf] !== LF) return 0;
    this.line++;
    return p + crlf + 1;
  }

  private setCell(slot: number, buf: Uint8Array, f: ScannedField): void {
    const cells = (this.builder as BatchBuilder).cells;
    if (!f.escapes) {
      cells.bytes[slot] = buf;
      cells.start[slot] = f.start;
      cells.end[slot] = f.end;
      return;
    }
    const [target, length] = unescapeQuotes(buf, f.start, f.end, this.scratch[slot] ?? EMPTY);
    this.scratch[slot] = target;
    cells.bytes[slot] = target;
    cells.start[slot] = 0;
    cells.end[slot] = length;
  }

  /** Throws for malformed fields and fields over the size limit. */
  private checkField(status: FieldStatus, row: number, column: number): void {
    if (status === FieldStatus.nulByte)
      throw this.cellError(row, column, 'contains a NUL byte (not a text CSV?)');
    if (status === FieldStatus.unclosedQuote)
      throw this.cellError(row, column, 'has a quote that is never closed');
    if (status === FieldStatus.textAfterQuote) {
      throw this.cellError(
        row,
        column,
        'has text after its closing quote (a quote inside a quoted field must be doubled)',
      );
    }
    if (this.field.end - this.field.start > this.limits.maxFieldBytes) this.fieldTooLarge(row, column);
  }

  /** Fails a field cut by the buffer end once its content surely exceeds the limit (the bytes may still hold quotes and a CR). */
  private checkPartialField(partialBytes: number, quoted: boolean, column: number): -1 {
    const content = partialBytes - (quoted ? 3 : 1);
    if (content > this.limits.maxFieldBytes) this.fieldTooLarge(this.row + 1, column);
    return -1;
  }

  private fieldTooLarge(row: number, column: number): never {
    const message = `field larger than ${this.limits.maxFieldBytes} bytes`;
    throw this.cellError(row, column, message, 'payload_too_large');
  }

  private ragged(fields: number): never {
    const row = this.row + 1;
    const message = `${this.describe(row)}: ${fields} fields, but the header has ${this.slots.length}`;
    throw new DomainError('invalid_input', message, [{ row, message }]);
  }

  private cellError(
    row: number,
    column: number,
    problem: string,
    code: DomainErrorCode = 'invalid_input',
  ): DomainError {
    const name = this.columns[column];
    const where = name === undefined ? `field ${column + 1}` : `column "${name}"`;
    const message = `${this.describe(row)}, ${where}: ${problem}`;
    return new DomainError(code, message, [{ row, ...(name !== undefined && { column: name }), message }]);
  }

  private error(code: DomainErrorCode, row: number, message: string): DomainError {
    return new DomainError(code, message, [{ row, message }]);
  }

  /** "row 17 (line 18)" for the row being read (its start line), "header (line 1)" for row 0. */
  private describe(row: number): string {
    return row === 0 ? 'header (line 1)' : `row ${row} (line ${this.line})`;
  }
}
