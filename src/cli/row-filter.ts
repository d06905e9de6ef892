/**
 * `--where column=value`: a streaming row filter for CSV uploads. Records pass through byte for byte (quoting,
 * line endings and the header untouched), so the server parses exactly what it would have parsed from a file
 * holding only those rows. RFC 4180 quoting is honoured, including quoted line breaks; the delimiter is detected
 * from the header like the server does (comma, semicolon or tab, whichever occurs most outside quotes).
 * Several values for one column mean any of them; several columns mean all of them.
 */
import { createReadStream } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './context';

export interface WhereClause {
  column: string;
  value: string;
}

export interface FilterStats {
  /** Data rows read (the header and blank lines not counted). */
  rows: number;
  /** Data rows passed on. */
  kept: number;
}

/** Commander parser for a repeatable `--where column=value`. */
export function whereClause(value: string, previous: WhereClause[] = []): WhereClause[] {
  const eq = value.indexOf('=');
  const column = eq > 0 ? value.slice(0, eq).trim() : '';
  if (column === '') throw new InvalidArgumentError(`expected column=value, e.g. period=3, got "${value}"`);
  return [...previous, { column, value: value.slice(eq + 1) }];
}

const QUOTE = 0x22;
const LF = 0x0a;

/** The fields of one record (without its line break); "" inside quotes is one quote. */
export function splitRecord(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function detectDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = splitRecord(header, d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** A record's text without its line break (LF or CRLF). */
function recordText(bytes: Buffer): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === LF) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  return bytes.toString('utf8', 0, end);
}

/** The rows of a CSV byte stream that match every column's wanted values, header first. */
export async function* filterCsvRows(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  where: readonly WhereClause[],
  stats: FilterStats = { rows: 0, kept: 0 },
): AsyncGenerator<Buffer> {
  const wanted = new Map<string, Set<string>>();
  for (const w of where) wanted.set(w.column, (wanted.get(w.column) ?? new Set()).add(w.value));
  let tests: Array<{ index: number; values: Set<string> }> | null = null;
  let delimiter = ',';
  let carry = Buffer.alloc(0);
  let inQuotes = false;

  /** Decides one complete record; returns whether it goes on. */
  const keep = (record: Buffer): boolean => {
    if (tests === null) {
      const header = recordText(record).replace(/^\uFEFF/, '');
      delimiter = detectDelimiter(header);
      const names = splitRecord(header, delimiter).map((n) => n.trim());
      const missing = [...wanted.keys()].filter((c) => !names.includes(c));
      if (missing.length > 0)
        throw new UsageError(
          `--where: no column ${missing.map((c) => `"${c}"`).join(', ')} in the CSV header ` +
            `(columns: ${names.map((n) => `"${n}"`).join(', ')})`,
        );
      tests = [...wanted].map(([column, values]) => ({ index: names.indexOf(column), values }));
      return true;
    }
    const text = recordText(record);
    if (text === '') return false; // a blank line is no row
    stats.rows++;
    const fields = splitRecord(text, delimiter);
    const ok = tests.every((t) => t.values.has(fields[t.index] ?? ''));
    if (ok) stats.kept++;
    return ok;
  };

  for await (const raw of source) {
    const chunk =
      typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const kept: Buffer[] = [];
    let start = 0;
    for (let i = carry.length; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE)
        inQuotes = !inQuotes; // "" inside quotes toggles twice: still inside
      else if (b === LF && !inQuotes) {
        const record = buf.subarray(start, i + 1);
        if (keep(record)) kept.push(record);
        start = i + 1;
      }
    }
    carry = Buffer.from(buf.subarray(start));
    if (kept.length > 0) yield Buffer.concat(kept);
  }
  if (carry.length > 0 && keep(carry)) yield carry;
}

/** Throws (naming the columns there are) when a --where column is not in the file's header; reads only the header. */
export async function checkWhereColumns(file: string, where: readonly WhereClause[]): Promise<void> {
  for await (const _ of filterCsvRows(createReadStream(file, { highWaterMark: 64 * 1024 }), where)) break;
}
