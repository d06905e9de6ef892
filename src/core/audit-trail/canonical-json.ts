/**
 * Canonical JSON in the style of RFC 8785 (JSON Canonicalization Scheme, https://www.rfc-editor.org/rfc/rfc8785):
 * object members sorted by their names' UTF-16 code units at every depth, no whitespace, numbers written as
 * ECMAScript's Number.prototype.toString writes them (so -0 is "0", 1e21 is "1e+21"), strings escaped the way
 * JSON.stringify escapes them (only '"', '\\' and U+0000..U+001F, the latter as \b \t \n \f \r or \u00xx).
 * The same value always gives the same bytes, whatever order its keys were inserted or stored in: this is what
 * the audit trail hashes, so a jsonb round trip (which reorders keys) does not change a hash.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Throws on anything that is not a JSON value (undefined, NaN, Infinity, bigint, functions, class instances). */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '$');
  return out.join('');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function write(value: unknown, out: string[], path: string): void {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new TypeError(`${path}: string has a lone surrogate`);
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`);
      out.push(JSON.stringify(value)); // ES Number::toString; -0 becomes "0"
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, i) => {
          if (i > 0) out.push(',');
          write(item, out, `${path}[${i}]`);
        });
        out.push(']');
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new TypeError(`${path}: not a plain object`);
      }
      writeObject(value as Record<string, unknown>, out, path);
      return;
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new TypeError(`${path}: ${typeof value} is not a JSON value`);
  }
}

function writeObject(value: Record<string, unknown>, out: string[], path: string): void {
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 3.2.3 asks.
  // The string is built by hand: an object rebuilt in sorted order would still list integer-like keys first.
  const keys = Object.keys(value).sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    write(key, out, path);
    out.push(':');
    write(value[key], out, `${path}.${key}`);
  });
  out.push('}');
}

/**
 * The JSON value that survives storage unchanged, as a JSON column would store it: what JSON.stringify keeps
 * (undefined members dropped, NaN and Infinity as null, Dates as ISO strings), with lone surrogates and U+0000
 * (which PostgreSQL's jsonb rejects) replaced by U+FFFD. Hash this, store this: both then agree.
 */
export function storableJson(value: unknown): Json {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return clean(JSON.parse(text) as Json);
}

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what jsonb refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(value: Json): Json {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\ufffd');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clean);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a member named "__proto__" stays a member instead of setting the prototype.
    Object.defineProperty(out, k.replace(UNSTORABLE, '\ufffd'), {
      value: clean(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
