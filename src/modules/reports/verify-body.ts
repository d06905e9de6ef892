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

export type SignedArtifactKind = 'pdf' | 'xml' | 'json';

const ARTIFACT_TYPES = [
  'application/pdf',
  'application/octet-stream',
  'application/xml',
  'text/xml',
  'application/json',
];

/** What signed artifact the bytes are: a PDF report, a model card (XML) or an HTI-1 export (JSON). */
export function artifactKind(bytes: Buffer): SignedArtifactKind | null {
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  const head = bytes
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('<')) return 'xml';
  if (head.startsWith('{')) return 'json';
  return null;
}

/**
 * The bytes of any signed artifact to verify (POST /v1/reports/verify): a raw body (application/pdf,
 * application/xml, text/xml, application/json or application/octet-stream) or the `file` part of
 * multipart/form-data; kept exactly as sent. Anything else is a 415; an empty body or bytes that are none of
 * the three, a 400.
 */
export async function readSignedArtifact(
  req: Request,
  limit = MAX_VERIFY_BYTES,
): Promise<{ bytes: Buffer; kind: SignedArtifactKind }> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  let bytes: Buffer;
  if (ARTIFACT_TYPES.some((t) => type.startsWith(t))) bytes = await readRaw(req, limit);
  else if (type.startsWith('multipart/form-data')) bytes = await readMultipartFile(req, limit);
  else {
    throw new DomainError(
      'unsupported_media_type',
      'Send the file as the request body (Content-Type application/pdf, application/xml or application/json), or as the `file` part of multipart/form-data.',
      [
        {
          field: 'Content-Type',
          message: `must be one of ${ARTIFACT_TYPES.join(', ')} or multipart/form-data`,
        },
      ],
    );
  }
  if (bytes.length === 0) {
    throw new DomainError('invalid_input', 'The request has no file: the body is empty.', [
      { field: 'file', message: 'empty' },
    ]);
  }
  const kind = artifactKind(bytes);
  if (!kind) {
    throw new DomainError(
      'invalid_input',
      'The uploaded bytes are not a PDF report, a model card (XML) or an HTI-1 export (JSON).',
      [{ field: 'file', message: 'not a signed Fairwatch artifact' }],
    );
  }
  return { bytes, kind };
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
