import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { drainRequest, invalidInput, tooLarge, UploadAbortedError } from './upload-errors';

export interface JsonUpload {
  /** The parsed body. */
  body: unknown;
  /** SHA-256 (hex) of the raw body bytes as received. */
  sha256: string;
  bytes: number;
}

/**
 * Reads an application/json audit body up to `maxBytes`, hashing the raw bytes, then parses it. A JSON body
 * has to be held whole to be parsed (CSV uploads are streamed instead). Over the limit → 413 as soon as it is
 * known (Content-Length, or the running count); invalid UTF-8 or JSON → 400 with the position.
 */
export async function readJsonUpload(req: IncomingMessage, maxBytes: number): Promise<JsonUpload> {
  const raw = await readRawBody(req, maxBytes);
  return { body: parseJson(raw.bytes), sha256: raw.sha256, bytes: raw.bytes.length };
}

function readRawBody(req: IncomingMessage, maxBytes: number): Promise<{ bytes: Buffer; sha256: string }> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      void drainRequest(req).then(() => reject(tooLarge(maxBytes)));
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
      if (size > maxBytes) return fail(tooLarge(maxBytes));
      hash.update(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ bytes: Buffer.concat(chunks, size), sha256: hash.digest('hex') });
    });
    req.on('error', () => fail(new UploadAbortedError()));
    req.on('close', () => {
      if (!req.complete) fail(new UploadAbortedError());
    });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0)
    throw invalidInput('The request body is empty: send {config, records} or {config, columns}.');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (err) {
    if (err instanceof RangeError) throw tooLarge(bytes.length - 1, 'The JSON body');
    throw invalidInput('The request body is not valid UTF-8.');
  }
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
