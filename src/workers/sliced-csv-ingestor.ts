/**
 * An upload's CSV parsed on the event loop in slices, when no ingest worker is free: chunks are queued as they
 * arrive and parsed a few milliseconds at a time between other work (setImmediate), instead of each chunk
 * being parsed the moment it arrives. Measured on three concurrent 1M-row uploads with one ingest worker
 * (bench/read-latency.bench.ts), parsing the other two uploads as their chunks arrived held the event loop
 * for 100–140 ms at a time (a socket read hands over up to ~2 MB at once), which reads waited for.
 *
 * The reader pauses while drained() is pending (more than MAX_QUEUED_BYTES wait to be parsed) and awaits
 * finish() for the outcome. The first bad row stops the parse; it is thrown by the next write(), drained()
 * or finish().
 */
import type { CsvIngestor, IngestOutcome, PacedCsvIngestor } from '../core/ingest';
import type { ReleasableCsvIngestor } from './csv-ingest-workers';

/** Parsing time per slice before the event loop gets a turn. */
export const SLICE_MS = 4;
/** Unparsed bytes the reader may queue before it pauses. */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export class SlicedCsvIngestor implements PacedCsvIngestor, ReleasableCsvIngestor {
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private failure: { error: unknown } | null = null;
  private scheduled = false;
  private released = false;
  /** Resolved whenever a slice has run (the queue shrank, emptied or failed). */
  private waiters: (() => void)[] = [];

  constructor(private readonly inner: CsvIngestor) {}

  write(chunk: Uint8Array): void {
    this.throwIfFailed();
    if (this.released) return;
    // A copy: the chunk may be a view into a buffer the reader reuses, and it is parsed later.
    this.queue.push(new Uint8Array(chunk));
    this.queuedBytes += chunk.length;
    this.schedule();
  }

  drained(): Promise<void> | null {
    if (this.failure) return this.until(() => true); // rejects with it
    if (this.queuedBytes <= MAX_QUEUED_BYTES || this.released) return null;
    return this.until(() => this.queuedBytes <= MAX_QUEUED_BYTES);
  }

  async finish(): Promise<IngestOutcome> {
    await this.until(() => this.queue.length === 0);
    return this.end();
  }

  /** Parses what is still queued at once (holding the thread), then ends. */
  end(): IngestOutcome {
    this.throwIfFailed();
    this.parse(Infinity);
    this.throwIfFailed();
    return this.inner.end();
  }

  release(): void {
    this.released = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.wake();
  }

  /** Settles once `done()` holds after a slice (at once if it holds now); rejects once the parse failed. */
  private async until(done: () => boolean): Promise<void> {
    while (!this.failure && !this.released && !done()) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.throwIfFailed();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.parse(SLICE_MS);
      if (this.queue.length > 0) this.schedule();
      this.wake();
    });
  }

  /** Parses queued chunks for up to `budgetMs`. */
  private parse(budgetMs: number): void {
    const start = performance.now();
    while (this.queue.length > 0 && !this.failure && !this.released) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.length;
      try {
        this.inner.write(chunk);
      } catch (error) {
        this.failure = { error };
        this.queue.length = 0;
        this.queuedBytes = 0;
      }
      if (performance.now() - start >= budgetMs) break;
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
