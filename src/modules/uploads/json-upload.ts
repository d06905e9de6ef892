import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../../core/errors';
import { drainRequest, formatBytes, invalidInput, tooLarge, UploadAbortedError } from './upload-errors';

export interface JsonUpload {
  /** The parsed body. */
  body: unknown;
  /** SHA-256 (hex) of the raw body bytes as received. */
  sha256: string;
  bytes: number;
}

/**
 * Reads an application/json audit body up to `maxBytes`, hashing the raw bytes, then parses it. A JSON body
 * has to be held whole to be parsed (CSV uploads are streamed instead), and its parse tree takes several
 * times its size, hence its own, lower limit (FAIRWATCH_MAX_JSON_UPLOAD_BYTES). Over the limit → 413 pointing
 * to the multipart CSV upload, as soon as it is known (Content-Length, or the running count); invalid UTF-8 or
 * JSON → 400 with the position. The raw bytes are let go before parsing, so that they and the parse tree are
 * not both held.
 */
export async function readJsonUpload(req: IncomingMessage, maxBytes: number): Promise<JsonUpload> {
  const raw = await readRawBody(req, maxBytes);
  const text = decodeBody(raw);
  return { body: parseText(text), sha256: raw.sha256, bytes: raw.size };
}

/** The 413 for a JSON body over its limit: says where large data goes instead. */
export function jsonTooLarge(limitBytes: number): DomainError {
  const message =
    `The JSON body is larger than the limit of ${formatBytes(limitBytes)} (${limitBytes} bytes, ` +
    'FAIRWATCH_MAX_JSON_UPLOAD_BYTES). Send large data as multipart/form-data with a CSV "file" part ' +
    '(streamed, up to MAX_UPLOAD_SIZE) and the config in a "config" part.';
  return new DomainError('payload_too_large', message, [{ field: 'body', message }]);
}

interface RawBody {
  chunks: Buffer[];
  size: number;
  sha256: string;
}

function readRawBody(req: IncomingMessage, maxBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      void drainRequest(req).then(() => reject(jsonTooLarge(maxBytes)));
      return;
    }
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      chunks.length = 0;
      void drainRequest(req).then(() => reject(err));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) return fail(jsonTooLarge(maxBytes));
      hash.update(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ chunks, size, sha256: hash.digest('hex') });
    });
    req.on('error', () => fail(new UploadAbortedError()));
    req.on('close', () => {
      if (!req.complete) fail(new UploadAbortedError());
    });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as text; empties `raw.chunks` so that the bytes can be collected before parsing. */
function decodeBody(raw: RawBody): string {
  if (raw.size === 0)
    throw invalidInput('The request body is empty: send {config, records} or {config, columns}.');
  const bytes = raw.chunks.length === 1 ? (raw.chunks[0] as Buffer) : Buffer.concat(raw.chunks, raw.size);
  raw.chunks.length = 0;
  try {
    return utf8.decode(bytes);
  } catch (err) {
    // Node's decoder fails with ERR_STRING_TOO_LONG past V8's string limit (about 512 MiB).
    const e = err as { code?: unknown; name?: unknown };
    if (e.code === 'ERR_STRING_TOO_LONG' || e.name === 'RangeError')
      throw tooLarge(raw.size - 1, 'The JSON body');
    throw invalidInput('The request body is not valid UTF-8.');
  }
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes part of the body; say only where the problem is.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    const where =
      position === undefined ? describeEnd((err as Error).message) : describePosition(text, Number(position));
    throw invalidInput(`The request body is not valid JSON (${where}).`);
  }
}

function describePosition(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${position - lineStart + 1}, character ${position + 1}`;
}

function describeEnd(message: string): string {
  if (/end of JSON input/i.test(message)) return 'it ends too early';
  if (/unexpected token/i.test(message)) return 'an unexpected character or word';
  return 'a syntax error';
}
