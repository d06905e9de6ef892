import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { DomainError } from '../../core/errors';
import { isPaced, type AuditConfig, type CsvIngestor, type IngestOutcome } from '../../core/ingest';
import { declaredFormat, sniffFormat, SNIFF_BYTES, type FileFormat } from './file-format';
import {
  drainRequest,
  invalidInput,
  tooLarge,
  unsupportedFileFormat,
  UploadAbortedError,
} from './upload-errors';
import type { EncryptedSpool } from './upload-spool';

/** The config part is small JSON: anything larger is refused. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Bytes read from a spooled file per chunk when the config came after the file. */
const REPLAY_CHUNK = 1024 * 1024;

export interface MultipartHandlers {
  /** Largest file part. */
  maxFileBytes: number;
  /** A new encrypted spool file, for a file part that cannot be parsed as it arrives. */
  createSpool: (onError: (err: Error) => void) => EncryptedSpool;
  /** The config from the config part's text (throws a DomainError for a bad config). */
  parseConfig: (text: string) => AuditConfig;
  /** A CSV ingestor for the file under `config` (throws a DomainError for a config the limits refuse). */
  csvIngestor: (config: AuditConfig) => CsvIngestor;
  /** Reads a spooled Parquet file under `config`. */
  readParquet: (spool: EncryptedSpool, config: AuditConfig) => Promise<IngestOutcome>;
  /**
   * The config when the route already has it (a federated round's part is read with the round's config): the
   * body then has no `config` part, and a CSV is parsed as it arrives whatever the order of the parts.
   */
  fixedConfig?: { text: string; config: AuditConfig };
  /** Other text fields the route accepts (a round part's `site`), each at most once. */
  fields?: readonly string[];
}

export interface FileUpload {
  /** The config part exactly as sent. */
  configText: string;
  config: AuditConfig;
  format: FileFormat;
  outcome: IngestOutcome;
  /** SHA-256 (hex) of the file part's bytes. */
  dataSha256: string;
  fileBytes: number;
  /** The accepted extra fields (MultipartHandlers.fields) that were sent. */
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data audit upload: a `config` part (a JSON string, as a field or as a small file part)
 * and a `file` part, CSV or Parquet (see file-format.ts; another binary format is a 415). The file is never
 * held whole in memory:
 * - CSV, config first (the recommended order): each chunk of the file goes straight from busboy into the CSV
 *   ingestor while its SHA-256 is computed;
 * - CSV, file first, and Parquet always (its footer, at the end, says where everything is): the file is spooled
 *   to disk encrypted under a key held only in memory (hashed on the way), then read back once the body and
 *   the config are complete; the spool file is deleted in every case, and one left by a killed process is
 *   unreadable (and removed at the next start-up).
 * The first problem (size limit, malformed multipart, a bad row) stops reading at once and rejects; the rest of
 * the request body is drained and discarded so that the client can read the answer.
 */
export function readMultipartUpload(req: IncomingMessage, handlers: MultipartHandlers): Promise<FileUpload> {
  return new MultipartReader(req, handlers).read();
}

class MultipartReader {
  private settled = false;
  private resolve!: (upload: FileUpload) => void;
  private reject!: (err: unknown) => void;
  private parser?: busboy.Busboy;
  private configText?: string;
  private config?: AuditConfig;
  private fileSeen = false;
  /** The file's format once known; until then its first bytes wait in `head`. */
  private format?: FileFormat;
  private head: Buffer[] = [];
  private headBytes = 0;
  private fileStream?: Readable;
  private ingestor?: CsvIngestor;
  private readonly hash = createHash('sha256');
  private fileBytes = 0;
  private spool?: EncryptedSpool;
  private readonly fields: Record<string, string> = {};
  /** The text parts this route expects, for problems that list them. */
  private readonly expected: string;

  constructor(
    private readonly req: IncomingMessage,
    private readonly handlers: MultipartHandlers,
  ) {
    if (handlers.fixedConfig) {
      this.configText = handlers.fixedConfig.text;
      this.config = handlers.fixedConfig.config;
    }
    const names = [...(handlers.fixedConfig ? [] : ['config']), ...(handlers.fields ?? [])];
    this.expected = names.map((n) => `"${n}"`).join(' and ');
  }

  read(): Promise<FileUpload> {
    const done = new Promise<FileUpload>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    try {
      this.parser = busboy({
        headers: this.req.headers,
        highWaterMark: 256 * 1024,
        fileHwm: 256 * 1024,
        limits: {
          files: 2, // the data, and the config when it is sent as a file part
          fields: this.textPartCount(),
          // busboy signals partsLimit once the count *reaches* the limit: one more than the parts expected
          parts: this.textPartCount() + 2,
          fieldSize: MAX_CONFIG_BYTES,
          fileSize: Math.max(this.handlers.maxFileBytes, MAX_CONFIG_BYTES),
          headerPairs: 20,
        },
      });
    } catch (err) {
      this.fail(invalidInput(`Malformed multipart/form-data request: ${(err as Error).message}.`));
      return done;
    }
    const parser = this.parser;
    parser.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
    parser.on('file', (name, stream, info) => this.onFile(name, stream, info));
    parser.on('partsLimit', () =>
      this.fail(invalidInput(`Too many parts: send one ${this.expected} and one "file".`)),
    );
    parser.on('filesLimit', () => this.fail(invalidInput('Too many files: send one "file" part.')));
    parser.on('fieldsLimit', () =>
      this.fail(invalidInput(`Too many fields: send one ${this.expected} field each.`)),
    );
    parser.on('error', (err) => this.fail(malformed(err)));
    parser.on('finish', () => void this.finish());
    this.req.on('error', () => this.fail(new UploadAbortedError()));
    this.req.on('close', () => {
      if (!this.req.complete) this.fail(new UploadAbortedError());
    });
    this.req.pipe(parser);
    return done;
  }

  /** The text fields expected: the config (unless fixed) and the extra fields. */
  private textPartCount(): number {
    return (this.handlers.fixedConfig ? 0 : 1) + (this.handlers.fields?.length ?? 0);
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.settled) return;
    if (this.handlers.fields?.includes(name)) {
      if (name in this.fields) this.fail(invalidInput(`"${name}" was sent twice.`, name));
      else if (truncated) this.fail(tooLarge(MAX_CONFIG_BYTES, `The "${name}" field`));
      else this.fields[name] = value;
      return;
    }
    if (name !== 'config' || this.handlers.fixedConfig) {
      this.fail(
        invalidInput(`Unexpected form field "${name}": send ${this.expected} and a "file" part.`, name),
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
      this.config = this.handlers.parseConfig(text);
    } catch (err) {
      this.fail(err);
    }
  }

  private onFile(
    name: string,
    stream: Readable & { truncated?: boolean },
    info: { filename?: string; mimeType?: string },
  ): void {
    // busboy destroys a part's stream with an error when the body ends inside that part (no closing boundary)
    // or the parser is destroyed: without a listener that error is an uncaught exception that stops the process.
    // Every stream it hands out gets one, also those that are only drained.
    stream.on('error', (err) => this.fail(malformed(err, name)));
    if (this.settled) {
      stream.resume();
      return;
    }
    if (name === 'config' && !this.handlers.fixedConfig) return this.readConfigFile(stream);
    if (name !== 'file') {
      stream.resume();
      this.fail(invalidInput(`Unexpected file part "${name}": the data go in a part named "file".`, name));
      return;
    }
    if (this.fileSeen) {
      stream.resume();
      this.fail(invalidInput('Send exactly one "file" part.', 'file'));
      return;
    }
    this.fileSeen = true;
    this.fileStream = stream;
    stream.on('limit', () => this.fail(tooLarge(this.handlers.maxFileBytes)));
    if (declaredFormat(info.filename, info.mimeType) === 'parquet') this.decide('parquet');
    stream.on('data', (chunk: Buffer) => {
      if (this.settled || !this.count(chunk)) return;
      if (this.format !== undefined) return this.route(chunk);
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes >= SNIFF_BYTES) this.sniff();
    });
    stream.on('end', () => {
      if (!this.settled && this.format === undefined) this.sniff();
    });
  }

  /** Decides the format from the first bytes, then sends them on. */
  private sniff(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const sniffed = sniffFormat(head);
    if ('binary' in sniffed) return this.fail(unsupportedFileFormat(sniffed.binary));
    this.decide(sniffed.format);
    if (head.length > 0) this.route(head);
  }

  /**
   * CSV with the config already here: parsed as it arrives. CSV before the config, and Parquet: spooled,
   * encrypted, hashing on the way.
   */
  private decide(format: FileFormat): void {
    this.format = format;
    if (format === 'csv' && this.config) {
      try {
        this.ingestor = this.handlers.csvIngestor(this.config);
      } catch (err) {
        this.fail(err);
      }
    } else {
      this.spool = this.handlers.createSpool((err) => this.fail(err));
    }
  }

  private route(chunk: Buffer): void {
    if (this.settled) return;
    const ingestor = this.ingestor;
    if (ingestor) {
      try {
        ingestor.write(chunk);
      } catch (err) {
        this.fail(err);
        return;
      }
      // One that parses elsewhere or later (paced) is waited for with the stream paused while it is behind.
      const drained = isPaced(ingestor) ? ingestor.drained() : null;
      if (drained) {
        const stream = this.fileStream as Readable;
        stream.pause();
        drained.then(
          () => stream.resume(),
          (err: unknown) => this.fail(err),
        );
      }
      return;
    }
    const spool = this.spool as EncryptedSpool;
    if (!spool.write(chunk)) {
      const stream = this.fileStream as Readable;
      stream.pause();
      spool.onDrain(() => stream.resume());
    }
  }

  /** Hashes and counts a chunk of the file; false (and the upload fails) past the size limit. */
  private count(chunk: Buffer): boolean {
    this.fileBytes += chunk.length;
    if (this.fileBytes > this.handlers.maxFileBytes) {
      this.fail(tooLarge(this.handlers.maxFileBytes));
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
    const { configText, config } = this;
    if (configText === undefined || !config) {
      this.fail(
        invalidInput(
          'The multipart body has no "config" part (the audit config as a JSON string).',
          'config',
        ),
      );
      return;
    }
    if (!this.fileSeen) {
      this.fail(invalidInput('The multipart body has no "file" part (CSV or Parquet).', 'file'));
      return;
    }
    try {
      if (this.format === undefined) this.sniff();
      if (this.settled) return;
      const format = this.format as FileFormat;
      const outcome = await this.outcome(format, config);
      if (this.settled) return;
      this.settle();
      this.resolve({
        configText,
        config,
        format,
        outcome,
        dataSha256: this.hash.digest('hex'),
        fileBytes: this.fileBytes,
        fields: this.fields,
      });
    } catch (err) {
      this.fail(err);
    }
  }

  /** The file's rows, once the whole body is in. */
  private async outcome(format: FileFormat, config: AuditConfig): Promise<IngestOutcome> {
    const spool = this.spool;
    if (spool) await spool.end();
    if (format === 'parquet') return this.handlers.readParquet(spool as EncryptedSpool, config);
    let ingestor = this.ingestor;
    if (!ingestor) {
      ingestor = this.handlers.csvIngestor(config);
      for await (const chunk of (spool as EncryptedSpool).read(REPLAY_CHUNK)) {
        if (this.settled) break;
        ingestor.write(chunk);
        if (isPaced(ingestor)) await ingestor.drained();
      }
    }
    // The request keeps this reader (its listeners) alive until the answer is sent: let go of the ingestor
    // and its growable arrays now.
    this.ingestor = undefined;
    return isPaced(ingestor) ? ingestor.finish() : ingestor.end();
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
