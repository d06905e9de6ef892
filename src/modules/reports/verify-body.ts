import busboy from 'busboy';
import type { Request } from 'express';
import { DomainError } from '../../core/errors';

/** Largest PDF accepted for verification. */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024;

const tooLarge = (): DomainError =>
  new DomainError('payload_too_large', `The PDF is larger than ${MAX_VERIFY_BYTES / 1024 / 1024} MB.`, [
    { field: 'file', message: 'too large' },
  ]);

/**
 * The bytes of the PDF to verify, read from the request stream (the global JSON parser leaves these bodies
 * alone): a raw `application/pdf` (or `application/octet-stream`) body, or the `file` part of
 * `multipart/form-data`. Anything else is a 415; an empty body or bytes that are not a PDF, a 400.
 */
export async function readPdfBody(req: Request, limit = MAX_VERIFY_BYTES): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  let bytes: Buffer;
  if (type.startsWith('application/pdf') || type.startsWith('application/octet-stream')) {
    bytes = await readRaw(req, limit);
  } else if (type.startsWith('multipart/form-data')) {
    bytes = await readMultipartFile(req, limit);
  } else {
    throw new DomainError(
      'unsupported_media_type',
      'Send the PDF as the request body with Content-Type application/pdf, or as the `file` part of multipart/form-data.',
      [{ field: 'Content-Type', message: 'must be application/pdf or multipart/form-data' }],
    );
  }
  if (bytes.length === 0) {
    throw new DomainError('invalid_input', 'The request has no PDF: the body is empty.', [
      { field: 'file', message: 'empty' },
    ]);
  }
  if (!bytes.subarray(0, 1024).includes('%PDF-')) {
    throw new DomainError('invalid_input', 'The uploaded bytes are not a PDF (no %PDF- header).', [
      { field: 'file', message: 'not a PDF' },
    ]);
  }
  return bytes;
}

async function readRaw(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function readMultipartFile(req: Request, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 20 } });
    } catch {
      reject(
        new DomainError('invalid_input', 'The multipart body has no boundary.', [
          { message: 'bad multipart' },
        ]),
      );
      return;
    }
    let file: Buffer | null = null;
    let failure: DomainError | null = null;
    parser.on('file', (name, stream) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failure = tooLarge();
      });
      stream.on('end', () => {
        if (!failure) file = Buffer.concat(chunks);
      });
    });
    parser.on('error', () =>
      reject(
        new DomainError('invalid_input', 'The multipart body is malformed.', [{ message: 'bad multipart' }]),
      ),
    );
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (file === null)
        reject(
          new DomainError('invalid_input', 'The multipart body has no `file` part.', [
            { field: 'file', message: 'required' },
          ]),
        );
      else resolve(file);
    });
    req.pipe(parser);
  });
}
