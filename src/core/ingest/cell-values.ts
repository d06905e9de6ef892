/**
 * Byte-level value coercion shared by every front end (CSV cells are byte ranges of the upload; JSON values
 * are encoded to the same bytes). A cell is `bytes[start, end)`; nothing here allocates on the common path.
 *
 * Conventions:
 * - Surrounding spaces and tabs are stripped from every mapped value before it is read (so " 1" is 1 and
 *   " Female " is the group "Female"); inner whitespace is kept as written.
 * - Numbers: an optional sign, digits with an optional decimal point, an optional exponent. The result is
 *   the correctly rounded double (identical to `Number(text)`): in place when the digits fit in 2^53 and
 *   there are at most 22 decimals (both operands of the one division are then exact), else via `Number`.
 * - Binary values: any number equal to 0 or 1 ("0", "1", "1.0", "0.00") or true/false in any case.
 * - Counts (`countColumn`): digits with an optional "+" and an optional decimal point followed by zeros only
 *   ("3", "3.", "3.00": spreadsheets and pandas write whole floats so), at most 2^53 − 1. No sign "-", no
 *   exponent, no other decimals: "2.5", "1e3", "-0" are not counts.
 */

const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const LOWER_CASE_BIT = 0x20;
const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const EXACT_POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TRUE_BYTES = new TextEncoder().encode('true');
const FALSE_BYTES = new TextEncoder().encode('false');
const EXCERPT_CHARS = 40;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/** First index of [start, end) that is not a space or tab. */
export function skipBlanks(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
  return i;
}

/** End of [start, end) without trailing spaces or tabs. */
export function trimBlanksEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = end;
  while (i > start && (bytes[i - 1] === SPACE || bytes[i - 1] === TAB)) i--;
  return i;
}

/** The decimal number written in [start, end), or NaN when it is not one (empty included). May be ±Infinity. */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const sign = bytes[i] === MINUS ? -1 : 1;
  if (bytes[i] === MINUS || bytes[i] === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  for (; i < end; i++) {
    const d = (bytes[i] as number) - ZERO;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (dot) decimals++;
    } else if (bytes[i] === DOT && !dot) dot = true;
    else break;
  }
  if (i < end || mantissa > Number.MAX_SAFE_INTEGER || decimals >= EXACT_POW10.length) {
    return parseNumberText(decodeLenient(bytes, start, end));
  }
  if (digits === 0) return NaN;
  return (sign * mantissa) / (EXACT_POW10[decimals] as number);
}

function parseNumberText(text: string): number {
  return NUMBER_SYNTAX.test(text) ? Number(text) : NaN;
}

/** A count is not written as a whole number ≥ 0 (see the module doc). */
export const NOT_A_COUNT = -1;
/** A count above 2^53 − 1, where doubles stop being exact integers. */
export const COUNT_TOO_LARGE = -2;

/** The whole number ≥ 0 written in [start, end) (see the module doc), NOT_A_COUNT or COUNT_TOO_LARGE. */
export function parseCount(bytes: Uint8Array, start: number, end: number): number {
  let i = bytes[start] === PLUS ? start + 1 : start;
  const digitsStart = i;
  let value = 0;
  let tooLarge = false;
  for (; i < end; i++) {
    const d = (bytes[i] as number) - ZERO;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    if (value > Number.MAX_SAFE_INTEGER) tooLarge = true;
  }
  if (i === digitsStart) return NOT_A_COUNT;
  if (i < end && bytes[i] === DOT) for (i++; i < end && bytes[i] === ZERO;) i++;
  if (i < end) return NOT_A_COUNT;
  return tooLarge ? COUNT_TOO_LARGE : value;
}

/** 1 or 0 for a binary token (see the module doc), -1 for anything else. */
export function parseBinary(bytes: Uint8Array, start: number, end: number): 1 | 0 | -1 {
  if (end - start === 1) {
    const d = (bytes[start] as number) - ZERO;
    if (d === 0 || d === 1) return d;
  }
  if (equalsIgnoringCase(bytes, start, end, TRUE_BYTES)) return 1;
  if (equalsIgnoringCase(bytes, start, end, FALSE_BYTES)) return 0;
  const n = parseNumber(bytes, start, end);
  return n === 0 || n === 1 ? n : -1;
}

/** Whether [start, end) holds exactly `token`. */
export function bytesEqual(bytes: Uint8Array, start: number, end: number, token: Uint8Array): boolean {
  if (end - start !== token.length) return false;
  for (let i = 0; i < token.length; i++) if (bytes[start + i] !== token[i]) return false;
  return true;
}

/** ASCII case-insensitive comparison with a lower-case token. */
function equalsIgnoringCase(bytes: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++)
    if (((bytes[start + i] as number) | LOWER_CASE_BIT) !== lower[i]) return false;
  return true;
}

/** Thrown by decodeUtf8 on bytes that are not valid UTF-8. */
export class InvalidUtf8Error extends Error {
  constructor() {
    super('not valid UTF-8');
    this.name = 'InvalidUtf8Error';
  }
}

/**
 * Strict UTF-8 decoding; throws an InvalidUtf8Error on invalid bytes. (TextDecoder's own TypeError is not
 * tested with instanceof by callers: it comes from Node's realm, which under Jest's VM is not the module's, so
 * `err instanceof TypeError` was false there and an invalid attribute value became a 500.)
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new InvalidUtf8Error();
  }
}

function decodeLenient(bytes: Uint8Array, start: number, end: number): string {
  return utf8Lenient.decode(bytes.subarray(start, end));
}

/** A quoted excerpt of a mapped value for an error message, at most 40 characters of it. */
export function excerpt(bytes: Uint8Array, start: number, end: number): string {
  const text = decodeLenient(bytes, start, Math.min(end, start + EXCERPT_CHARS * 4));
  const chars = Array.from(text);
  return chars.length > EXCERPT_CHARS ? `"${chars.slice(0, EXCERPT_CHARS - 1).join('')}…"` : `"${text}"`;
}
