/**
 * A typed Fairwatch client: openapi-fetch over the types openapi-typescript generates from openapi.json
 * (`npm run client:generate` writes ./schema.d.ts). Every route of the OpenAPI document is typed: paths,
 * parameters, request bodies and responses. The helpers below cover what openapi-fetch cannot type or send
 * well on its own: a streamed multipart CSV upload, a PDF download and a raw PDF body for verification.
 *
 *   const fw = createFairwatchClient('http://localhost:3000', process.env.FAIRWATCH_API_KEY!);
 *   const model = unwrap(await fw.POST('/v1/models', { body: { name: 'readmission', version: '1.0.0' } }));
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

export type FairwatchClient = Client<paths>;
export type Schemas = components['schemas'];
export type Model = Schemas['ModelDto'];
export type Audit = Schemas['AuditDto'];
export type Metrics = Schemas['MetricsDto'];
export type RegressionMetrics = Schemas['RegressionMetricsDto'];

/** The metrics of a binary audit, or null for a regression audit (its metrics carry `task`). */
export function binaryMetrics(metrics: Metrics | RegressionMetrics): Metrics | null {
  return 'task' in metrics ? null : metrics;
}
export type SliceResult = Schemas['SliceResultDto'];
export type GroupResult = Schemas['GroupResultDto'];
export type DriftReport = Schemas['DriftReportDto'];
export type ControlOutcome = Schemas['ControlOutcomeDto'];
export type Report = Schemas['ReportDto'];
export type VerifyResult = Schemas['VerifyResultDto'];
export type Problem = Schemas['ProblemDto'];
export type FrameworkId = ControlOutcome['framework'];

/**
 * The audit config as sent: only `sensitiveAttributes` is required, the server fills in every default (the
 * `config` of the returned Audit is the applied config, defaults included).
 */
export type AuditConfigInput = Schemas['AuditConfigInputDto'];

export interface FairwatchClientOptions {
  /** Replaces globalThis.fetch (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** A client for the Fairwatch API at `baseUrl` (e.g. http://localhost:3000), authenticated with `apiKey`. */
export function createFairwatchClient(
  baseUrl: string,
  apiKey: string,
  options: FairwatchClientOptions = {},
): FairwatchClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...options.headers, Authorization: `Bearer ${apiKey}` },
    ...(options.fetch && { fetch: options.fetch }),
  });
}

/** A non-2xx answer: the HTTP status and the RFC 9457 problem document the server sent. */
export class FairwatchApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly body: unknown,
  ) {
    super(describeProblem(status, problem, body));
    this.name = 'FairwatchApiError';
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { title?: unknown }).title === 'string' &&
    typeof (body as { status?: unknown }).status === 'number'
  );
}

/** "404 Not found: No model with id …" plus one line per listed input problem. */
export function describeProblem(status: number, problem: Problem | undefined, body?: unknown): string {
  if (!problem) {
    const text = typeof body === 'string' ? body.trim().slice(0, 500) : '';
    return `HTTP ${status}${text ? `: ${text}` : ''}`;
  }
  const lines = [`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`];
  for (const e of problem.errors ?? []) {
    // Said once: an input problem the detail already states is not listed again.
    if (problem.detail?.includes(e.message)) continue;
    const where = [
      e.field !== undefined ? `field ${e.field}` : null,
      e.row !== undefined ? `row ${e.row}` : null,
      e.column !== undefined ? `column ${e.column}` : null,
    ].filter((s): s is string => s !== null);
    lines.push(`  - ${where.length > 0 ? `${where.join(', ')}: ` : ''}${e.message}`);
  }
  return lines.join('\n');
}

/** The data of an openapi-fetch result, or a FairwatchApiError carrying the problem document. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  const body = result.error ?? result.data;
  throw new FairwatchApiError(result.response.status, isProblem(body) ? body : undefined, body);
}

export interface CsvUploadOptions {
  modelId: string;
  config: AuditConfigInput;
  /** Path of the CSV or Parquet (a .parquet name) file: streamed from disk, never held in memory. */
  file: string;
  /** A retry with the same key returns the first audit instead of creating a second one. */
  idempotencyKey?: string;
  /** Called after each chunk read from the file, with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Rewrites the file's bytes on their way up (e.g. a row filter); progress still counts the bytes read. */
  transform?: (chunks: AsyncIterable<Buffer>) => AsyncIterable<Buffer>;
}

/** The file part's media type: Parquet by its name, else CSV (the server also recognizes Parquet by its bytes). */
function fileMediaType(file: string): string {
  return /\.parquet$/i.test(file) ? 'application/vnd.apache.parquet' : 'text/csv';
}

function quoteFilename(name: string): string {
  return name.replace(/[\r\n"\\]/g, '_');
}

/**
 * POST /v1/models/{modelId}/audits as multipart/form-data: the `config` part first (so the server parses a CSV
 * while it arrives), then the `file` part (CSV or Parquet) streamed from disk. Resolves to the created Audit.
 */
export async function submitAuditCsv(client: FairwatchClient, options: CsvUploadOptions): Promise<Audit> {
  const { size } = await stat(options.file);
  const boundary = `----fairwatch-${randomBytes(12).toString('hex')}`;
  const configJson = JSON.stringify(options.config);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="config"\r\nContent-Type: application/json\r\n\r\n` +
      `${configJson}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
      `filename="${quoteFilename(basename(options.file))}"\r\nContent-Type: ${fileMediaType(options.file)}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { file, onProgress, transform } = options;
  async function* fileChunks(): AsyncGenerator<Buffer> {
    let read = 0;
    onProgress?.(0, size);
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      const buf = chunk as Buffer;
      read += buf.length;
      yield buf;
      onProgress?.(read, size);
    }
  }
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    yield* transform ? transform(fileChunks()) : fileChunks();
    yield tail;
  }
  const stream = Readable.toWeb(Readable.from(parts(), { objectMode: false })) as ReadableStream<Uint8Array>;
  const headers: Record<string, string> = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
  if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
  const result = await client.POST('/v1/models/{modelId}/audits', {
    params: { path: { modelId: options.modelId } },
    // Typed as the multipart schema; the serializer below sends the streamed body instead.
    body: { config: configJson, file: basename(options.file) },
    bodySerializer: () => stream,
    headers,
    duplex: 'half',
  });
  return unwrap(result);
}

/** POST /v1/models/{modelId}/audits as application/json with records (one object per row). */
export async function submitAuditRecords(
  client: FairwatchClient,
  modelId: string,
  config: AuditConfigInput,
  records: Array<Record<string, string | number | boolean | null>>,
): Promise<Audit> {
  const result = await client.POST('/v1/models/{modelId}/audits', {
    params: { path: { modelId } },
    body: { config, records },
  });
  return unwrap(result);
}

/** GET /v1/reports/{reportId}/pdf: the signed PDF's bytes. */
export async function downloadReportPdf(client: FairwatchClient, reportId: string): Promise<Uint8Array> {
  const result = await client.GET('/v1/reports/{reportId}/pdf', {
    params: { path: { reportId } },
    parseAs: 'arrayBuffer',
  });
  return new Uint8Array(unwrap(result));
}

/** POST /v1/reports/verify with the PDF bytes as the application/pdf body. */
export async function verifyReportPdf(client: FairwatchClient, pdf: Uint8Array): Promise<VerifyResult> {
  const result = await client.POST('/v1/reports/verify', {
    // The schema types a binary body as string; the serializer sends the bytes untouched.
    body: '',
    bodySerializer: () => pdf,
    headers: { 'Content-Type': 'application/pdf' },
  });
  return unwrap(result);
}

export type ExportKind = 'hti-1' | 'chai-model-card';

/** A signed export as downloaded: the exact bytes and the detached signature headers. */
export interface DownloadedExport {
  bytes: Uint8Array;
  exportId: string | null;
  signature: string | null;
  signingKeyId: string | null;
}

/** GET /v1/models/{modelId}/exports/hti-1 (JSON) or /chai-model-card (XML), as bytes, with the signature headers. */
export async function downloadExport(
  client: FairwatchClient,
  modelId: string,
  kind: ExportKind,
): Promise<DownloadedExport> {
  const path =
    kind === 'hti-1'
      ? ('/v1/models/{modelId}/exports/hti-1' as const)
      : ('/v1/models/{modelId}/exports/chai-model-card' as const);
  const result = await client.GET(path, { params: { path: { modelId } }, parseAs: 'arrayBuffer' });
  const bytes = new Uint8Array(unwrap(result));
  const h = result.response.headers;
  return {
    bytes,
    exportId: h.get('x-fairwatch-export-id'),
    signature: h.get('x-fairwatch-signature'),
    signingKeyId: h.get('x-fairwatch-signing-key'),
  };
}

/** POST /v1/reports/verify with any signed file (report PDF, model card XML, HTI-1 JSON), bytes untouched. */
export async function verifySignedFile(client: FairwatchClient, bytes: Uint8Array): Promise<VerifyResult> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const type = head.includes('%PDF-')
    ? 'application/pdf'
    : head
          .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
          .trimStart()
          .startsWith('<')
      ? 'application/xml'
      : 'application/json';
  const result = await client.POST('/v1/reports/verify', {
    body: '',
    bodySerializer: () => bytes,
    headers: { 'Content-Type': type },
  });
  return unwrap(result);
}

/** Every model of the organization (follows nextCursor). */
export async function listAllModels(client: FairwatchClient): Promise<Model[]> {
  const models: Model[] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(await client.GET('/v1/models', { params: { query: { limit: 200, cursor } } }));
    models.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return models;
}

/** Every audit of a model, newest first (all pages). */
export async function listAllAudits(client: FairwatchClient, modelId: string): Promise<Audit[]> {
  const audits: Audit[] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(
      await client.GET('/v1/models/{modelId}/audits', {
        params: { path: { modelId }, query: { limit: 200, cursor } },
      }),
    );
    audits.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return audits;
}

/** The model `name`@`version`, created (with no other fields) when it does not exist yet. */
export async function findOrCreateModel(
  client: FairwatchClient,
  name: string,
  version: string,
): Promise<{ model: Model; created: boolean }> {
  const find = async (): Promise<Model | undefined> =>
    (await listAllModels(client)).find((m) => m.name === name && m.version === version);
  const existing = await find();
  if (existing) return { model: existing, created: false };
  const result = await client.POST('/v1/models', { body: { name, version } });
  if (result.response.status === 409) {
    // Created concurrently by someone else between the lookup and the POST.
    const raced = await find();
    if (raced) return { model: raced, created: false };
  }
  return { model: unwrap(result), created: true };
}
