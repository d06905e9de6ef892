import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config';
import { DomainError } from '../../core/errors';
import {
  ingestJsonColumns,
  ingestJsonRecords,
  parseAuditConfig,
  type AuditConfig,
  type IngestLimits,
  type IngestOutcome,
} from '../../core/ingest';
import type { ReleasableCsvIngestor } from '../../workers/csv-ingest-workers';
import { ComputeService } from '../compute/compute.service';
import type { FileFormat } from './file-format';
import { readJsonUpload } from './json-upload';
import {
  MAX_CONFIG_BYTES,
  readMultipartUpload,
  type FileUpload,
  type MultipartHandlers,
} from './multipart-upload';
import { ParquetIngestService } from './parquet-ingest.service';
import { drainRequest, invalidInput, tooLarge, unsupportedMediaType } from './upload-errors';
import { UploadSpoolService } from './upload-spool';

/** An audit submission's body, received, parsed and validated: what the submission service works from. */
export interface AuditUpload {
  /** How the rows came: a CSV or Parquet file part, or a JSON body. */
  readonly format: FileFormat | 'json';
  readonly config: AuditConfig;
  /** The rows as a columnar batch (only the mapped columns), with the counts of kept and skipped rows. */
  readonly rows: IngestOutcome;
  /** SHA-256 (hex) of the data as received: the file part's bytes, or the JSON body's. */
  readonly dataSha256: string;
  /**
   * What identifies the request for idempotent retries, besides the model: the kind of body and the hashes of
   * its config and data (never the multipart framing, which differs between two sends of the same files).
   */
  readonly identity: { readonly kind: 'csv' | 'parquet' | 'json'; readonly hashes: readonly string[] };
  /** Milliseconds spent receiving and parsing the body. */
  readonly receiveMs: number;
}

/** A federated round's part: a multipart file read with the round's config, and the form's text fields. */
export interface PartUpload extends AuditUpload {
  readonly fields: Readonly<Record<string, string>>;
}

const JSON_BODY_FIELDS = ['config', 'records', 'columns'];
/** Multipart framing and the config part on top of the file limit. */
const MULTIPART_OVERHEAD = MAX_CONFIG_BYTES + 64 * 1024;

/**
 * The HTTP side of audit submissions: negotiates the content type, reads a multipart body (the config, and
 * the file as CSV or Parquet) or a JSON body, and hands back the parsed AuditUpload. Every rejection is a
 * DomainError (a 4xx problem), and the rest of a rejected body is drained first so that the client can read
 * the answer.
 */
@Injectable()
export class AuditUploadReader {
  constructor(
    private readonly spools: UploadSpoolService,
    private readonly compute: ComputeService,
    private readonly parquet: ParquetIngestService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  async read(req: IncomingMessage): Promise<AuditUpload> {
    const started = process.hrtime.bigint();
    const upload = await this.receive(req);
    return { ...upload, receiveMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
  }

  /**
   * A federated round's part: multipart/form-data with a `file` part (CSV or Parquet, read under the round's
   * `config` exactly as an audit upload's file) and the text `fields` the route names (`site`); no config part.
   */
  async readPart(req: IncomingMessage, config: AuditConfig, fields: readonly string[]): Promise<PartUpload> {
    const started = process.hrtime.bigint();
    const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'multipart/form-data') {
      await drainRequest(req);
      const received = req.headers['content-type'];
      const message =
        `Content-Type ${received ? `"${received}"` : '(none)'} is not accepted here; send ` +
        `multipart/form-data with a "file" part (CSV or Parquet) and ${fields.map((f) => `"${f}"`).join(', ')}.`;
      throw new DomainError('unsupported_media_type', message, [{ field: 'Content-Type', message }]);
    }
    const upload = await this.receiveMultipart(req, {
      fixedConfig: { text: JSON.stringify(config), config },
      fields,
    });
    return { ...upload, receiveMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
  }

  private async receive(req: IncomingMessage): Promise<Omit<AuditUpload, 'receiveMs'>> {
    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      await drainRequest(req);
      const message = `Content-Encoding "${encoding}" is not accepted; send the body uncompressed.`;
      throw new DomainError('unsupported_media_type', message, [{ field: 'Content-Encoding', message }]);
    }
    if (mediaType === 'multipart/form-data') return this.receiveMultipart(req);
    if (mediaType === 'application/json' || mediaType?.endsWith('+json')) return this.receiveJson(req);
    await drainRequest(req);
    throw unsupportedMediaType(contentType);
  }

  private async receiveMultipart(
    req: IncomingMessage,
    route: Pick<MultipartHandlers, 'fixedConfig' | 'fields'> = {},
  ): Promise<Omit<PartUpload, 'receiveMs'>> {
    const maxFileBytes = this.appConfig.limits.maxUploadBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxFileBytes + MULTIPART_OVERHEAD) {
      await drainRequest(req);
      throw tooLarge(maxFileBytes);
    }
    // The CSV is parsed in a worker thread when one is free; the worker is given back however the upload ends.
    const ingestors: ReleasableCsvIngestor[] = [];
    let upload: FileUpload;
    try {
      upload = await readMultipartUpload(req, {
        maxFileBytes,
        createSpool: (onError) => this.spools.create(onError),
        parseConfig: parseConfigText,
        csvIngestor: (config) => {
          const ingestor = this.compute.csvIngestor(config, this.ingestLimits());
          ingestors.push(ingestor);
          return ingestor;
        },
        readParquet: (spool, config) =>
          this.spools.withPlaintextCopy(spool, (path) =>
            this.parquet.ingest(path, config, this.ingestLimits()),
          ),
        ...route,
      });
    } finally {
      for (const ingestor of ingestors) ingestor.release();
    }
    return {
      format: upload.format,
      config: upload.config,
      rows: upload.outcome,
      dataSha256: upload.dataSha256,
      identity: { kind: upload.format, hashes: [sha256([upload.configText]), upload.dataSha256] },
      fields: upload.fields,
    };
  }

  private async receiveJson(req: IncomingMessage): Promise<Omit<AuditUpload, 'receiveMs'>> {
    const upload = await readJsonUpload(req, this.appConfig.limits.maxJsonUploadBytes);
    const body = checkJsonBody(upload.body);
    const config =
      typeof body.config === 'string' ? parseConfigText(body.config) : parseAuditConfig(body.config);
    const rows =
      body.records !== undefined
        ? ingestJsonRecords(body, config, this.ingestLimits())
        : ingestJsonColumns(body, config, this.ingestLimits());
    return {
      format: 'json',
      config,
      rows,
      dataSha256: upload.sha256,
      identity: { kind: 'json', hashes: [upload.sha256] },
    };
  }

  private ingestLimits(): IngestLimits {
    const { maxRows, maxFieldBytes, maxGroupsPerAttribute, maxAttributes } = this.appConfig.limits;
    return { maxRows, maxFieldBytes, maxGroupsPerAttribute, maxAttributes };
  }
}

function parseConfigText(text: string): AuditConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const message = 'config is not valid JSON (send the audit config as a JSON object string)';
    throw new DomainError('invalid_config', message, [{ field: 'config', message: 'is not valid JSON' }]);
  }
  return parseAuditConfig(raw);
}

function checkJsonBody(body: unknown): { config?: unknown; records?: unknown; columns?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidInput('The body must be a JSON object {config, records} or {config, columns}.');
  }
  const unknown = Object.keys(body).filter((k) => !JSON_BODY_FIELDS.includes(k));
  if (unknown.length > 0) {
    const message = `Unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}: send {config, records} or {config, columns}.`;
    throw new DomainError(
      'invalid_input',
      message,
      unknown.map((field) => ({ field, message: 'unknown field' })),
    );
  }
  const b = body as { config?: unknown; records?: unknown; columns?: unknown };
  if (b.config === undefined) throw invalidInput('The body has no "config".', 'config');
  if ((b.records === undefined) === (b.columns === undefined)) {
    throw invalidInput(
      'Send exactly one of "records" (a list of objects) or "columns" (an object of lists).',
      'records',
    );
  }
  return b;
}

/** SHA-256 (hex) of length-prefixed parts. */
export function sha256(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}\n`);
  return hash.digest('hex');
}
