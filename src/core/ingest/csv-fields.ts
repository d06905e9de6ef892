/**
 * RFC 4180 field scanner over bytes. One call reads one field starting at `p`: unquoted fields are a tight
 * byte loop up to the delimiter or LF (the fast path); a field starting with a quote takes the quoted path
 * ("" is an escaped quote; delimiters and newlines inside quotes are data). A CR directly before an LF
 * ends the line; any other CR is data. A quote inside an unquoted field is data.
 *
 * The scanner works on a buffer that may end mid-record: without `final`, reaching the end of the buffer
 * means "incomplete", and the caller retries once more bytes have arrived.
 */

export const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const QUOTE = 0x22;

export const FieldStatus = {
  /** A delimiter follows; more fields in this record. */
  more: 0,
  /** The record ends after this field. */
  recordEnd: 1,
  /** The buffer ends before the field does (only without `final`). */
  incomplete: 2,
  nulByte: 3,
  unclosedQuote: 4,
  textAfterQuote: 5,
} as const;
export type FieldStatus = (typeof FieldStatus)[keyof typeof FieldStatus];

/** Where the last scanned field is: content in [start, end), next field or record at `next`. */
export interface ScannedField {
  start: number;
  end: number;
  next: number;
  /** The content holds "" pairs to collapse into one quote. */
  escapes: boolean;
  /** LFs inside the (quoted) content. */
  newlines: number;
}

export function newScannedField(): ScannedField {
  return { start: 0, end: 0, next: 0, escapes: false, newlines: 0 };
}

/** Scans the field at `p` of `buf[0, n)` into `out`. */
export function scanField(
  buf: Uint8Array,
  p: number,
  n: number,
  delim: number,
  final: boolean,
  out: ScannedField,
): FieldStatus {
  if (p < n && buf[p] === QUOTE) return scanQuoted(buf, p, n, delim, final, out);
  let q = p;
  let c = 0;
  while (q < n) {
    c = buf[q] as number;
    if (c === delim || c === LF || c === NUL) break;
    q++;
  }
  if (q === n && !final) return FieldStatus.incomplete;
  if (c === NUL && q < n) {
    out.next = q;
    return FieldStatus.nulByte;
  }
  out.start = p;
  out.escapes = false;
  out.newlines = 0;
  out.next = q < n ? q + 1 : n;
  if (q < n && c === delim) {
    out.end = q;
    return FieldStatus.more;
  }
  out.end = q > p && buf[q - 1] === CR ? q - 1 : q;
  return FieldStatus.recordEnd;
}

function scanQuoted(
  buf: Uint8Array,
  p: number,
  n: number,
  delim: number,
  final: boolean,
  out: ScannedField,
): FieldStatus {
  let q = p + 1;
  let escapes = false;
  let newlines = 0;
  for (;;) {
    while (q < n && buf[q] !== QUOTE) {
      if (buf[q] === LF) newlines++;
      else if (buf[q] === NUL) return FieldStatus.nulByte;
      q++;
    }
    if (q >= n) return final ? FieldStatus.unclosedQuote : FieldStatus.incomplete;
    if (q + 1 >= n && !final) return FieldStatus.incomplete; // "" or a closing quote: the next byte decides
    if (buf[q + 1] !== QUOTE) break;
    escapes = true;
    q += 2;
  }
  out.start = p + 1;
  out.end = q;
  out.escapes = escapes;
  out.newlines = newlines;
  return afterClosingQuote(buf, q + 1, n, delim, final, out);
}

function afterClosingQuote(
  buf: Uint8Array,
  r: number,
  n: number,
  delim: number,
  final: boolean,
  out: ScannedField,
): FieldStatus {
  const c = buf[r];
  out.next = r + 1;
  if (r >= n) {
    out.next = n;
    return FieldStatus.recordEnd;
  }
  if (c === delim) return FieldStatus.more;
  if (c === LF) return FieldStatus.recordEnd;
  if (c === CR) {
    if (r + 1 >= n) return final ? FieldStatus.recordEnd : FieldStatus.incomplete;
    out.next = r + 2;
    if (buf[r + 1] === LF) return FieldStatus.recordEnd;
  }
  return FieldStatus.textAfterQuote;
}

/** Copies quoted content with each "" collapsed to one quote into `target` (grown when needed); returns it and the length. */
export function unescapeQuotes(
  buf: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
): [Uint8Array, number] {
  const out = target.length >= end - start ? target : new Uint8Array(2 * (end - start));
  let w = 0;
  for (let i = start; i < end; i++) {
    out[w++] = buf[i] as number;
    if (buf[i] === QUOTE) i++;
  }
  return [out, w];
}

const CANDIDATES = [0x2c, 0x3b, 0x09]; // comma, semicolon, tab: ties go to the earlier one

/** The header line starting at `p`: the LF ending it (-1 when the buffer ends first) and its delimiter. */
export interface HeaderLine {
  end: number;
  /** The candidate occurring most often outside quotes in the line; comma when none occurs. */
  delimiter: number;
}

/**
 * Finds the end of the header line and counts the candidate delimiters in it, in one pass. Quotes follow
 * scanField's rule: a quote opens a quoted field only at the start of a field (the line start or just after
 * a candidate delimiter, the delimiter being not yet known), "" inside it is an escaped quote, and a quote
 * anywhere else is data.
 */
export function scanHeaderLine(buf: Uint8Array, p: number): HeaderLine {
  const counts = CANDIDATES.map(() => 0);
  let quoted = false;
  let fieldStart = true;
  let i = p;
  for (; i < buf.length; i++) {
    const c = buf[i] as number;
    if (quoted) {
      if (c === QUOTE) {
        if (buf[i + 1] === QUOTE) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === LF) break;
    const k = CANDIDATES.indexOf(c);
    if (k >= 0) counts[k] = (counts[k] as number) + 1;
    else if (c === QUOTE && fieldStart) quoted = true;
    fieldStart = k >= 0;
  }
  const best = counts.indexOf(Math.max(...counts));
  return { end: i < buf.length ? i : -1, delimiter: CANDIDATES[best] as number };
}
