import type { IncomingMessage } from 'node:http';
import { DomainError } from '../../core/errors';

export const ACCEPTED_TYPES = ['multipart/form-data', 'application/json'] as const;
/** What a multipart "file" part may hold. */
export const ACCEPTED_FILE_FORMATS =
  'CSV (UTF-8 text with a header row) or Parquet (application/vnd.apache.parquet, a .parquet name or the PAR1 magic bytes)';

export function invalidInput(message: string, field?: string): DomainError {
  return new DomainError('invalid_input', message, [{ ...(field !== undefined && { field }), message }]);
}

export function tooLarge(limitBytes: number, what = 'The upload'): DomainError {
  const message = `${what} is larger than the limit of ${formatBytes(limitBytes)} (${limitBytes} bytes).`;
  return new DomainError('payload_too_large', message, [{ message }]);
}

export function unsupportedMediaType(received: string | undefined): DomainError {
  const message =
    `Content-Type ${received ? `"${received}"` : '(none)'} is not accepted here; send ` +
    `${ACCEPTED_TYPES.join(' (fields "file" and "config") or ')} ({config, records} or {config, columns}). ` +
    `The "file" part may be ${ACCEPTED_FILE_FORMATS}.`;
  return new DomainError('unsupported_media_type', message, [{ field: 'Content-Type', message }]);
}

/** A 415 for a file part that is binary but not Parquet (a spreadsheet, an archive, ...). */
export function unsupportedFileFormat(looksLike: string): DomainError {
  const message = `The "file" part is ${looksLike}, which is not accepted; send ${ACCEPTED_FILE_FORMATS}.`;
  return new DomainError('unsupported_media_type', message, [{ field: 'file', message }]);
}

/**
 * The client went away before the body was complete. Nobody is left to read the answer; it is a 400 (not a
 * logged 500) because the fault is the incomplete request.
 */
export class UploadAbortedError extends DomainError {
  constructor() {
    super('invalid_input', 'The connection closed before the upload was complete.');
  }
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** How much of a rejected body is read and discarded before answering (beyond it the answer goes out at once). */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a request body, up to `limit` bytes, before the caller answers. Answering while
 * the client is still sending makes many clients fail with EPIPE or a reset instead of reading the problem
 * document; draining first lets them read it. Resolves at the end of the body, when the client goes away, or
 * once `limit` bytes were discarded.
 */
export function drainRequest(req: IncomingMessage, limit = DRAIN_LIMIT_BYTES): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let drained = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      drained += chunk.length;
      if (drained > limit) done();
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}
