import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isUniqueViolation } from '../../common/db-errors';
import { APP_CONFIG, type AppConfig } from '../../config';
import { DomainError } from '../../core/errors';
import type { FairnessOptions, FairnessResult } from '../../core/fairness';
import {
  BATCH_FORMAT_VERSION,
  ingestJsonColumns,
  ingestJsonRecords,
  parseAuditConfig,
  type AuditConfig,
  type ColumnsUsed,
  type IngestLimits,
  type IngestOutcome,
} from '../../core/ingest';
import { currentPrincipal } from '../../common/request-context';
import { AuditTrailService } from '../auth/audit-trail.service';
import { ComputeService } from '../compute/compute.service';
import type { ReleasableCsvIngestor } from '../../workers/csv-ingest-workers';
import { ModelsService } from '../models/models.service';
import { INSERT_METRIC_VALUES_SQL, metricValueRows } from './audit-metric-values';
import { auditSummary } from './audit-summary';
import { AuditsService } from './audits.service';
import { AuditDataEntity } from './entities/audit-data.entity';
import type { AuditEntity } from './entities/audit.entity';
import { readJsonUpload } from './upload/json-upload';
import { MAX_CONFIG_BYTES, readMultipartUpload, type CsvUpload } from './upload/multipart-upload';
import { drainRequest, invalidInput, tooLarge, unsupportedMediaType } from './upload/upload-errors';
import { UploadSpoolService } from './upload/upload-spool';

/** What was received and ingested, before any statistic. */
interface Received {
  config: AuditConfig;
  outcome: IngestOutcome;
  dataSha256: string;
  /** Identifies the request for idempotent retries: model, config and data (not the multipart framing). */
  requestSha256: string;
}

export interface Submission {
  audit: AuditEntity;
  /** True when this answers a retry with the same Idempotency-Key: the first audit, not recomputed. */
  replayed: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const IDEMPOTENCY_CONSTRAINT = 'uq_audits_org_idempotency_key';
const JSON_BODY_FIELDS = ['config', 'records', 'columns'];
/** Multipart framing and the config part on top of the file limit. */
const MULTIPART_OVERHEAD = MAX_CONFIG_BYTES + 64 * 1024;

/**
 * The write path of audits: receive (stream-parse CSV or JSON into a columnar batch while hashing the bytes),
 * compute the fairness results (in a worker thread, see ComputeService), persist the audit, its batch and the audit-trail event in one transaction.
 * Nothing is stored when any step fails.
 */
@Injectable()
export class AuditSubmissionService {
  private readonly logger = new Logger(AuditSubmissionService.name);
  private lz4?: Promise<boolean>;

  constructor(
    private readonly audits: AuditsService,
    private readonly models: ModelsService,
    private readonly trail: AuditTrailService,
    private readonly spools: UploadSpoolService,
    private readonly compute: ComputeService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  async submit(modelId: string, req: IncomingMessage, idempotencyKey?: string): Promise<Submission> {
    const key = checkIdempotencyKey(idempotencyKey);
    await this.models.get(modelId); // 404 before reading a byte of the body
    const clock = new PhaseClock();
    let received: Received | null = await this.receive(modelId, req);
    const receiveMs = clock.lap();
    const { requestSha256 } = received;
    if (key !== null) {
      const prior = await this.audits.audits.findOne({ idempotencyKey: key });
      if (prior) return replay(prior, requestSha256);
    }
    // In a worker thread; the batch's arrays move there (unusable here from now on), the encoded copy comes back.
    const { result: results, blob } = await this.compute.audit(
      received.outcome.batch,
      fairnessOptions(received.config),
    );
    const computeMs = clock.lap();
    const record = toRecord(received, results, blob);
    received = null; // from here only the encoded copy of the batch is kept (memory of large uploads)
    try {
      const audit = await this.persist(modelId, record, key);
      // Sizes and timings only: never values.
      this.logger.log(
        { auditId: audit.id, rowCount: audit.rowCount, receiveMs, computeMs, persistMs: clock.lap() },
        'Audit submitted',
      );
      return { audit, replayed: false };
    } catch (err) {
      // A concurrent request with the same key committed first: answer like a retry.
      const prior =
        key !== null && isUniqueViolation(err, IDEMPOTENCY_CONSTRAINT)
          ? await this.audits.audits.findOne({ idempotencyKey: key })
          : null;
      if (prior) return replay(prior, requestSha256);
      throw err;
    }
  }

  private async receive(modelId: string, req: IncomingMessage): Promise<Received> {
    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      await drainRequest(req);
      const message = `Content-Encoding "${encoding}" is not accepted; send the body uncompressed.`;
      throw new DomainError('unsupported_media_type', message, [{ field: 'Content-Encoding', message }]);
    }
    if (mediaType === 'multipart/form-data') return this.receiveMultipart(modelId, req);
    if (mediaType === 'application/json' || mediaType?.endsWith('+json'))
      return this.receiveJson(modelId, req);
    await drainRequest(req);
    throw unsupportedMediaType(contentType);
  }

  private async receiveMultipart(modelId: string, req: IncomingMessage): Promise<Received> {
    const maxFileBytes = this.appConfig.limits.maxUploadBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxFileBytes + MULTIPART_OVERHEAD) {
      await drainRequest(req);
      throw tooLarge(maxFileBytes);
    }
    // The CSV is parsed in a worker thread when one is free; the worker is given back however the upload ends.
    const ingestors: ReleasableCsvIngestor[] = [];
    const createSpool = (onError: (err: Error) => void) => this.spools.create(onError);
    let upload: CsvUpload;
    try {
      upload = await readMultipartUpload(req, { maxFileBytes, createSpool }, (configText) => {
        const config = parseConfigText(configText);
        const ingestor = this.compute.csvIngestor(config, this.ingestLimits());
        ingestors.push(ingestor);
        return { config, ingestor };
      });
    } finally {
      for (const ingestor of ingestors) ingestor.release();
    }
    return {
      config: upload.config,
      outcome: upload.outcome,
      dataSha256: upload.dataSha256,
      requestSha256: sha256(['csv', modelId, sha256([upload.configText]), upload.dataSha256]),
    };
  }

  private async receiveJson(modelId: string, req: IncomingMessage): Promise<Received> {
    const upload = await readJsonUpload(req, this.appConfig.limits.maxJsonUploadBytes);
    const body = checkJsonBody(upload.body);
    const config =
      typeof body.config === 'string' ? parseConfigText(body.config) : parseAuditConfig(body.config);
    const outcome =
      body.records !== undefined
        ? ingestJsonRecords(body, config, this.ingestLimits())
        : ingestJsonColumns(body, config, this.ingestLimits());
    return {
      config,
      outcome,
      dataSha256: upload.sha256,
      requestSha256: sha256(['json', modelId, upload.sha256]),
    };
  }

  private ingestLimits(): IngestLimits {
    const { maxRows, maxFieldBytes, maxGroupsPerAttribute, maxAttributes } = this.appConfig.limits;
    return { maxRows, maxFieldBytes, maxGroupsPerAttribute, maxAttributes };
  }

  private async persist(
    modelId: string,
    record: AuditRecord,
    idempotencyKey: string | null,
  ): Promise<AuditEntity> {
    const { config, blob } = record;
    // Asked before the transaction: with the embedded database (one session) a query outside an open
    // transaction would wait for it forever.
    const lz4 = await this.fastToastCompression();
    return this.audits.dataSource.transaction(async (m) => {
      const audits = this.audits.audits.with(m);
      const audit = await audits.save(
        audits.create({
          modelId,
          name: config.name ?? null,
          notes: config.notes ?? null,
          dataSource: config.dataSource ?? 'local',
          dataSourceDescription: config.dataSourceDescription ?? null,
          periodStart: config.periodStart ? new Date(config.periodStart) : null,
          periodEnd: config.periodEnd ? new Date(config.periodEnd) : null,
          config,
          rowCount: record.rowCount,
          skippedRows: record.skippedRows,
          firstSkippedRows: record.firstSkippedRows,
          dataSha256: record.dataSha256,
          columnsUsed: record.columnsUsed,
          summary: auditSummary(record.results) as unknown as Record<string, unknown>,
          results: record.results,
          documentation: {},
          idempotencyKey,
          requestSha256: record.requestSha256,
          createdByKeyId: currentPrincipal().keyId,
        }),
      );
      // The results flattened for timelines: one INSERT of every row (a single JSON parameter).
      await m.query(INSERT_METRIC_VALUES_SQL, [
        audit.organizationId,
        audit.id,
        JSON.stringify(metricValueRows(record.results)),
      ]);
      // The batch is written with a plain INSERT: save() would first SELECT it back and diff a Buffer of
      // many megabytes. OrgRepository.create() still sets the organization.
      if (lz4) await m.query("SET LOCAL default_toast_compression = 'lz4'");
      await m.getRepository(AuditDataEntity).insert(
        this.audits.data.create({
          auditId: audit.id,
          formatVersion: BATCH_FORMAT_VERSION,
          batch: Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength),
        }),
      );
      await this.trail.record(
        {
          action: 'audit.submitted',
          objectType: 'audit',
          objectId: audit.id,
          details: {
            modelId,
            rowCount: record.rowCount,
            skippedRows: record.skippedRows,
            dataSha256: record.dataSha256,
          },
        },
        m,
      );
      return audit;
    });
  }

  /**
   * Whether the database compresses TOASTed values with lz4 (PostgreSQL built with lz4; not PGlite). The batch
   * blob (megabytes) is then compressed in a fraction of pglz's time: measured on a 16 MB batch of 1M rows,
   * 140 ms instead of 840-1200 ms, stored in 8.2 MB instead of 6.3 MB. Set per transaction, so the schema and
   * every other column keep the server's default.
   */
  private fastToastCompression(): Promise<boolean> {
    this.lz4 ??= this.audits.dataSource
      .query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)
      .then((rows: { lz4: boolean }[]) => rows[0]?.lz4 === true)
      .catch(() => false);
    return this.lz4;
  }
}

/** Milliseconds between successive laps. */
class PhaseClock {
  private last = process.hrtime.bigint();
  lap(): number {
    const now = process.hrtime.bigint();
    const ms = Number(now - this.last) / 1e6;
    this.last = now;
    return Math.round(ms);
  }
}

/** Everything persist() needs, with the batch already encoded (the columnar batch itself can then be freed). */
interface AuditRecord {
  config: AuditConfig;
  rowCount: number;
  skippedRows: number;
  firstSkippedRows: number[];
  columnsUsed: ColumnsUsed;
  dataSha256: string;
  requestSha256: string;
  results: FairnessResult;
  blob: Uint8Array;
}

function toRecord(received: Received, results: FairnessResult, blob: Uint8Array): AuditRecord {
  const { outcome } = received;
  return {
    config: received.config,
    rowCount: outcome.rowCount,
    skippedRows: outcome.skippedRows,
    firstSkippedRows: [...outcome.firstSkippedRows],
    columnsUsed: outcome.columnsUsed,
    dataSha256: received.dataSha256,
    requestSha256: received.requestSha256,
    results,
    blob,
  };
}

function replay(prior: AuditEntity, requestSha256: string): Submission {
  if (prior.requestSha256 !== requestSha256) {
    const message =
      'This Idempotency-Key was already used for a different request (other model, config or data); use a new key.';
    throw new DomainError('conflict', message, [{ field: 'Idempotency-Key', message }]);
  }
  return { audit: prior, replayed: true };
}

function checkIdempotencyKey(key: string | undefined): string | null {
  if (key === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw invalidInput(
      'Idempotency-Key must be 1 to 200 printable ASCII characters without spaces.',
      'Idempotency-Key',
    );
  }
  return key;
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

function fairnessOptions(config: AuditConfig): FairnessOptions {
  return {
    favorableOutcome: config.favorableOutcome,
    reference: {
      strategy: config.reference.strategy,
      ...(config.reference.groups && { groups: { ...config.reference.groups } }),
    },
    intersections: config.intersections.map((names) => [...names]),
    minGroupSize: config.minGroupSize,
    missingAttribute: config.missingAttribute,
  };
}

function sha256(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}\n`);
  return hash.digest('hex');
}
