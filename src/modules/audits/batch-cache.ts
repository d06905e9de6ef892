import { scoreOrderOf } from '../../core/fairness';
import type { ColumnarBatch } from '../../core/ingest';
import type { SortedOrder } from '../../core/stats';

/** Bytes a decoded batch holds in memory. */
export function batchBytes(batch: ColumnarBatch): number {
  const arrays = [
    batch.labels,
    batch.predictions,
    batch.scores,
    batch.weights,
    batch.counts,
    ...batch.attributes.map((a) => a.codes),
  ];
  return arrays.reduce((sum, a) => sum + (a?.byteLength ?? 0), 0);
}

interface Entry {
  batch: ColumnarBatch;
  /** The rows in score order, once asked for (null: the batch has no scores). */
  scoreOrder?: SortedOrder | null;
  bytes: number;
}

/**
 * Least-recently-used cache of decoded audit batches, bounded by bytes. Audits never change once stored, so a
 * cached batch never goes stale; drift, compliance and reports of the same audits then skip reading and
 * decoding megabytes from the database, and sorting its scores again. Callers check access (organization)
 * before using an entry.
 */
export class BatchCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(auditId: string): ColumnarBatch | undefined {
    const entry = this.entries.get(auditId);
    if (!entry) return undefined;
    this.entries.delete(auditId);
    this.entries.set(auditId, entry); // most recently used last
    return entry.batch;
  }

  /**
   * The batch's rows in score order (scoreOrderOf), sorted once while the batch stays cached; its bytes count
   * against the budget. Undefined without scores. A batch that is not the cached one is sorted, not kept.
   */
  scoreOrder(auditId: string, batch: ColumnarBatch): SortedOrder | undefined {
    const entry = this.entries.get(auditId);
    if (entry?.batch !== batch) return scoreOrderOf(batch) ?? undefined;
    if (entry.scoreOrder === undefined) {
      entry.scoreOrder = scoreOrderOf(batch);
      const bytes = (entry.scoreOrder?.order.byteLength ?? 0) + (entry.scoreOrder?.sorted.byteLength ?? 0);
      entry.bytes += bytes;
      this.bytes += bytes;
      this.evict();
    }
    return entry.scoreOrder ?? undefined;
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
    this.evict();
  }

  /** Drops least recently used entries until the cache is within its budget. */
  private evict(): void {
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
