import type { ColumnarBatch } from '../../core/ingest';

/** Bytes a decoded batch holds in memory. */
export function batchBytes(batch: ColumnarBatch): number {
  const arrays = [
    batch.labels,
    batch.predictions,
    batch.scores,
    batch.weights,
    ...batch.attributes.map((a) => a.codes),
  ];
  return arrays.reduce((sum, a) => sum + (a?.byteLength ?? 0), 0);
}

/**
 * Least-recently-used cache of decoded audit batches, bounded by bytes. Audits never change once stored, so a
 * cached batch never goes stale; drift, compliance and reports of the same audits then skip reading and
 * decoding megabytes from the database. Callers check access (organization) before using an entry.
 */
export class BatchCache {
  private readonly entries = new Map<string, { batch: ColumnarBatch; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(auditId: string): ColumnarBatch | undefined {
    const entry = this.entries.get(auditId);
    if (!entry) return undefined;
    this.entries.delete(auditId);
    this.entries.set(auditId, entry); // most recently used last
    return entry.batch;
  }

  set(auditId: string, batch: ColumnarBatch): void {
    const bytes = batchBytes(batch);
    if (bytes > this.maxBytes) return;
    const existing = this.entries.get(auditId);
    if (existing) {
      this.entries.delete(auditId);
      this.bytes -= existing.bytes;
    }
    this.entries.set(auditId, { batch, bytes });
    this.bytes += bytes;
    for (const [id, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
