import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { DomainError } from '../../../core/errors';
import { isPaced, type AuditConfig, type CsvIngestor, type IngestOutcome } from '../../../core/ingest';
import { drainRequest, invalidInput, tooLarge, UploadAbortedError } from './upload-errors';
import type { EncryptedSpool } from './upload-spool';

/** The config part is small JSON: anything larger is refused. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Bytes read from a spooled file per chunk when the config came after the file. */
const REPLAY_CHUNK = 1024 * 1024;

export interface MultipartLimits {
  /** Largest CSV file part. */
  maxFileBytes: number;
  /** A new encrypted spool file, for a file part that arrives before the config. */
  createSpool: (onError: (err: Error) => void) => EncryptedSpool;
}

export interface CsvUpload {
  /** The config part exactly as sent. */
  configText: string;
  config: AuditConfig;
  outcome: IngestOutcome;
  /** SHA-256 (hex) of the file part's bytes. */
  dataSha256: string;
  fileBytes: number;
}

/** Turns the config text into a config and the ingestor that reads the file with it (throws on a bad config). */
export type StartIngest = (configText: string) => { config: AuditConfig; ingestor: CsvIngestor };

/**
 * Reads a multipart/form-data audit upload: a `config` part (a JSON string, as a field or as a small file part)
 * and a `file` part (CSV). The file is never held whole in memory:
 * - config first (the recommended order): each chunk of the file goes straight from busboy into the CSV ingestor
 *   while its SHA-256 is computed;
 * - file first: the file is spooled to disk encrypted under a key held only in memory (hashed on the way), then
 *   decrypted back into the ingestor once the config has arrived; the spool file is deleted in every case, and
 *   one left by a killed process is unreadable (and removed at the next start-up).
 * The first problem (size limit, malformed multipart, a bad row) stops reading at once and rejects; the rest of
 * the request body is drained and discarded so that the client can read the answer.
 */
export function readMultipartUpload(
  req: IncomingMessage,
  limits: MultipartLimits,
  startIngest: StartIngest,
): Promise<CsvUpload> {
  return new MultipartReader(req, limits, startIngest).read();
}

class MultipartReader {
  private settled = false;
  private resolve!: (upload: CsvUpload) => void;
  private reject!: (err: unknown) => void;
  private parser?: busboy.Busboy;
  private configText?: string;
  private config?: AuditConfig;
  private ingestor?: CsvIngestor;
  private fileSeen = false;
  private readonly hash = createHash('sha256');
  private fileBytes = 0;
  private spool?: EncryptedSpool;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limits: MultipartLimits,
    private readonly startIngest: StartIngest,
  ) {}

  read(): Promise<CsvUpload> {
    const done = new Promise<CsvUpload>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    try {
      this.parser = busboy({
        headers: this.req.headers,
        highWaterMark: 256 * 1024,
        fileHwm: 256 * 1024,
        limits: {
          files: 2, // the CSV, and the config when it is sent as a file part
          fields: 1,
          parts: 3, // busboy signals partsLimit once the count *reaches* the limit: a third part is one too many
          fieldSize: MAX_CONFIG_BYTES,
          fileSize: Math.max(this.limits.maxFileBytes, MAX_CONFIG_BYTES),
          headerPairs: 20,
        },
      });
    } catch (err) {
      this.fail(invalidInput(`Malformed multipart/form-data request: ${(err as Error).message}.`));
      return done;
    }
    const parser = this.parser;
    parser.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
    parser.on('file', (name, stream) => this.onFile(name, stream));
    parser.on('partsLimit', () =>
      this.fail(invalidInput('Too many parts: send one "config" and one "file".')),
    );
    parser.on('filesLimit', () => this.fail(invalidInput('Too many files: send one "file" part.')));
    parser.on('fieldsLimit', () => this.fail(invalidInput('Too many fields: send one "config" field.')));
    parser.on('error', (err) => this.fail(malformed(err)));
    parser.on('finish', () => void this.finish());
    this.req.on('error', () => this.fail(new UploadAbortedError()));
    this.req.on('close', () => {
      if (!this.req.complete) this.fail(new UploadAbortedError());
    });
    this.req.pipe(parser);
    return done;
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.settled) return;
    if (name !== 'config') {
      this.fail(
        invalidInput(`Unexpected form field "${name}": send a "config" field and a "file" part.`, name),
      );
      return;
    }
    if (truncated) this.fail(tooLarge(MAX_CONFIG_BYTES, 'The config part'));
    else this.acceptConfig(value);
  }

  private acceptConfig(text: string): void {
    if (this.configText !== undefined) {
      this.fail(invalidInput('The config was sent twice.', 'config'));
      return;
    }
    this.configText = text;
    try {
      const started = this.startIngest(text);
      this.config = started.config;
      this.ingestor = started.ingestor;
    } catch (err) {
      this.fail(err);
    }
  }

  private onFile(name: string, stream: Readable & { truncated?: boolean }): void {
    // busboy destroys a part's stream with an error when the body ends inside that part (no closing boundary)
    // or the parser is destroyed: without a listener that error is an uncaught exception that stops the process.
    // Every stream it hands out gets one, also those that are only drained.
    stream.on('error', (err) => this.fail(malformed(err, name)));
    if (this.settled) {
      stream.resume();
      return;
    }
    if (name === 'config') return this.readConfigFile(stream);
    if (name !== 'file') {
      stream.resume();
      this.fail(invalidInput(`Unexpected file part "${name}": the CSV goes in a part named "file".`, name));
      return;
    }
    if (this.fileSeen) {
      stream.resume();
      this.fail(invalidInput('Send exactly one "file" part.', 'file'));
      return;
    }
    this.fileSeen = true;
    stream.on('limit', () => this.fail(tooLarge(this.limits.maxFileBytes)));
    if (this.ingestor) this.streamInto(stream, this.ingestor);
    else this.spoolToDisk(stream);
  }

  /**
   * Config first: every chunk goes straight into the ingestor. One that parses elsewhere or later (paced) is
   * waited for with the stream paused while its backlog is full.
   */
  private streamInto(stream: Readable, ingestor: CsvIngestor): void {
    stream.on('data', (chunk: Buffer) => {
      if (this.settled) return;
      if (!this.count(chunk)) return;
      try {
        ingestor.write(chunk);
      } catch (err) {
        this.fail(err);
        return;
      }
      const drained = isPaced(ingestor) ? ingestor.drained() : null;
      if (drained) {
        stream.pause();
        drained.then(
          () => stream.resume(),
          (err: unknown) => this.fail(err),
        );
      }
    });
  }

  /** File first: spool it encrypted to the spool directory, hashing on the way. */
  private spoolToDisk(stream: Readable): void {
    const spool = this.limits.createSpool((err) => this.fail(err));
    this.spool = spool;
    stream.on('data', (chunk: Buffer) => {
      if (this.settled || !this.count(chunk)) return;
      if (!spool.write(chunk)) {
        stream.pause();
        spool.onDrain(() => stream.resume());
      }
    });
  }

  /** Hashes and counts a chunk of the file; false (and the upload fails) past the size limit. */
  private count(chunk: Buffer): boolean {
    this.fileBytes += chunk.length;
    if (this.fileBytes > this.limits.maxFileBytes) {
      this.fail(tooLarge(this.limits.maxFileBytes));
      return false;
    }
    this.hash.update(chunk);
    return true;
  }

  /** Some clients send the config as a file part (`-F config=@config.json`). */
  private readConfigFile(stream: Readable): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CONFIG_BYTES) this.fail(tooLarge(MAX_CONFIG_BYTES, 'The config part'));
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!this.settled) this.acceptConfig(Buffer.concat(chunks).toString('utf8'));
    });
  }

  private async finish(): Promise<void> {
    if (this.settled) return;
    if (this.configText === undefined || !this.ingestor || !this.config) {
      this.fail(
        invalidInput(
          'The multipart body has no "config" part (the audit config as a JSON string).',
          'config',
        ),
      );
      return;
    }
    if (!this.fileSeen) {
      this.fail(invalidInput('The multipart body has no "file" part (the CSV).', 'file'));
      return;
    }
    try {
      if (this.spool) await this.replaySpool(this.spool, this.ingestor);
      if (this.settled) return;
      const outcome = isPaced(this.ingestor) ? await this.ingestor.finish() : this.ingestor.end();
      if (this.settled) return;
      // The request keeps this reader (its listeners) alive until the answer is sent: let go of the ingestor
      // and its growable arrays now.
      this.ingestor = undefined;
      this.settle();
      this.resolve({
        configText: this.configText,
        config: this.config,
        outcome,
        dataSha256: this.hash.digest('hex'),
        fileBytes: this.fileBytes,
      });
    } catch (err) {
      this.fail(err);
    }
  }

  private async replaySpool(spool: EncryptedSpool, ingestor: CsvIngestor): Promise<void> {
    await spool.end();
    for await (const chunk of spool.read(REPLAY_CHUNK)) {
      if (this.settled) return;
      ingestor.write(chunk);
      if (isPaced(ingestor)) await ingestor.drained();
    }
    spool.destroy();
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settle();
    if (this.parser) {
      this.req.unpipe(this.parser);
      this.parser.removeAllListeners('finish');
      // Frees busboy's buffers now. Its 'error' listener stays, and so do the part streams' (destroying the
      // parser destroys an open part stream with an error).
      this.parser.destroy();
    }
    // Discard what the client is still sending, so that it can read the answer.
    void drainRequest(this.req).then(() => this.reject(err));
  }

  private settle(): void {
    this.settled = true;
    this.spool?.destroy();
  }
}

/** A multipart parsing error from busboy (the parser or a part stream) as a 400 that says what was wrong. */
function malformed(err: unknown, part?: string): DomainError {
  const message = err instanceof Error ? err.message : String(err);
  if (/unexpected end of (file|form)/i.test(message)) {
    return part !== undefined
      ? invalidInput(
          `The multipart body ends inside the "${part}" part: the part and the closing boundary are missing.`,
          part,
        )
      : invalidInput('The multipart body ends before its closing boundary: the upload was cut short.');
  }
  return invalidInput(`Malformed multipart/form-data body: ${message}.`, part);
}
