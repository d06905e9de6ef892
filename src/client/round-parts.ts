/**
 * The federated-round helper openapi-fetch cannot send well on its own: a site's part, streamed from disk as
 * multipart/form-data (the `site` field, then the `file` part), never held whole in memory.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { unwrap, type FairwatchClient, type Schemas } from './fairwatch-client';

export type AuditRound = Schemas['AuditRoundDto'];
export type RoundPart = Schemas['RoundPartDto'];

export interface PartUploadOptions {
  roundId: string;
  /** The part's site; may be left out with a site key (the key's site). */
  site?: string;
  /** A CSV file, or Parquet (a .parquet name). */
  file: string;
}

/** POST /v1/audit-rounds/{roundId}/parts, streaming the file. */
export async function submitRoundPart(
  client: FairwatchClient,
  options: PartUploadOptions,
): Promise<RoundPart> {
  const boundary = `----fairwatch-${randomBytes(12).toString('hex')}`;
  const parquet = /\.parquet$/i.test(options.file);
  const siteField =
    options.site === undefined
      ? ''
      : `--${boundary}\r\nContent-Disposition: form-data; name="site"\r\n\r\n${options.site}\r\n`;
  const head = Buffer.from(
    `${siteField}--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
      `filename="${basename(options.file).replace(/[\r\n"\\]/g, '_')}"\r\n` +
      `Content-Type: ${parquet ? 'application/vnd.apache.parquet' : 'text/csv'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of createReadStream(options.file, { highWaterMark: 256 * 1024 }))
      yield chunk as Buffer;
    yield tail;
  }
  const stream = Readable.toWeb(Readable.from(parts(), { objectMode: false })) as ReadableStream<Uint8Array>;
  const result = await client.POST('/v1/audit-rounds/{roundId}/parts', {
    params: { path: { roundId: options.roundId } },
    // Typed as the multipart schema; the serializer below sends the streamed body instead.
    body: { file: basename(options.file), ...(options.site !== undefined && { site: options.site }) },
    bodySerializer: () => stream,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    duplex: 'half',
  });
  return unwrap(result);
}
