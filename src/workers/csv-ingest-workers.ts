/**
 * CSV uploads parsed in worker threads, behind core's synchronous CsvIngestor interface (write each chunk,
 * then end for the outcome), so the upload readers need no change. Measured on 3 concurrent 1M-row uploads,
 * parsing was a third of the event loop's time (bench/read-latency.bench.ts); in a worker it overlaps with the
 * upload's network transfer instead.
 *
 * - write(chunk) copies the chunk (the reader may reuse its buffer) and transfers the copy to the worker: no
 *   parsing here. An error the worker found in an earlier chunk (a bad row: a DomainError with its row and
 *   column) is thrown from the next write, or from end().
 * - end() asks for the outcome and waits for it (Atomics.wait on a shared flag, then receiveMessageOnPort),
 *   holding the event loop for the rest of the parse. finish() (PacedCsvIngestor) waits without holding it
 *   (Atomics.waitAsync): the upload reader uses that, as 3 concurrent 1M-row uploads showed end() holding the
 *   event loop for up to ~350 ms while the worker caught up (bench/read-latency.bench.ts).
 * - Memory: at most MAX_BACKLOG_BYTES of unparsed chunks wait for the worker; past that write() waits for it.
 *   A paced reader pauses earlier, while drained() is pending (past PACED_BACKLOG_BYTES), without blocking.
 * - One upload per worker, and only a worker that has loaded: with none free (size 0, all busy, or still
 *   starting) start() answers null and the caller parses in its own thread, as before; a missing worker is
 *   started then for the uploads to come. warmUp() starts them all ahead (npm start does).
 * - A worker that dies is forgotten (a new one is started for later uploads); its upload fails with a plain
 *   Error (a 500). If it dies while end() waits for it, end() gives up after STALL_MS without progress.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { join, extname } from 'node:path';
import type { AuditConfig, CsvIngestor, IngestLimits, IngestOutcome, PacedCsvIngestor } from '../core/ingest';
import { fromWireError } from './compute-tasks';
import {
  CONTROL,
  CONTROL_SLOTS,
  FAILED,
  READY,
  RUNNING,
  type SessionMessage,
  type SessionReply,
  type StartSession,
} from './csv-ingest-protocol';
import type { WorkerExit } from './compute-pool';
import { startWorker } from './start-worker';

export const DEFAULT_INGEST_ENTRY = join(__dirname, `csv-ingest-worker${extname(__filename)}`);
/** Unparsed bytes allowed to wait for the worker before write() waits (a 1M-row CSV is about 64 MB). */
export const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;
/** Unparsed bytes past which drained() asks a paced reader to pause. */
export const PACED_BACKLOG_BYTES = 8 * 1024 * 1024;
/** A worker that makes no progress for this long is taken for dead. */
const STALL_MS = 10_000;

export interface CsvIngestWorkersOptions {
  /** Worker threads; 0 = never (every upload is parsed in the caller's thread). */
  size: number;
  /** The worker entry file (absolute); defaults to csv-ingest-worker next to this file. */
  entry?: string;
  onWorkerExit?: (exit: WorkerExit) => void;
}

/** A CsvIngestor whose session must be released when the upload is over, whichever way it ended. */
export interface ReleasableCsvIngestor extends CsvIngestor {
  /** Gives the worker back (after end() this is a no-op; before, the rest of the upload is dropped). */
  release(): void;
}

export class CsvIngestWorkers {
  private readonly entry: string;
  private readonly idle: Worker[] = [];
  private readonly workers = new Set<Worker>();
  /** Sessions by worker, to fail them when their worker dies. */
  private readonly sessions = new Map<Worker, OffThreadCsvIngestor>();
  private closed = false;

  constructor(private readonly options: CsvIngestWorkersOptions) {
    if (!Number.isInteger(options.size) || options.size < 0) {
      throw new Error(`CsvIngestWorkers size must be a whole number >= 0, got ${options.size}`);
    }
    this.entry = options.entry ?? DEFAULT_INGEST_ENTRY;
  }

  /**
   * An ingestor parsing in a free, loaded worker, or null when there is none (size 0, all busy or starting,
   * or closed); then a worker is started for the next upload if the pool is not full.
   */
  start(config: AuditConfig, limits: IngestLimits): PacedReleasableCsvIngestor | null {
    if (this.closed) return null;
    const worker = this.idle.pop();
    if (!worker) {
      if (this.workers.size < this.options.size) void this.spawn();
      return null;
    }
    const session = new OffThreadCsvIngestor(worker, config, limits, () => {
      this.sessions.delete(worker);
      if (this.workers.has(worker) && !this.closed) this.idle.push(worker);
    });
    this.sessions.set(worker, session);
    return session;
  }

  /** Starts every worker now, so that the first uploads find them loaded; settles once each has loaded or died. */
  warmUp(): Promise<void> {
    const loading: Promise<void>[] = [];
    while (!this.closed && this.workers.size < this.options.size) loading.push(this.spawn());
    return Promise.all(loading).then(() => undefined);
  }

  /** Workers loaded and free. */
  get idleCount(): number {
    return this.idle.length;
  }

  get workerCount(): number {
    return this.workers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  /** Starts a worker; settles when it has loaded (it is then idle) or died. */
  private spawn(): Promise<void> {
    const worker = startWorker(this.entry);
    worker.unref();
    this.workers.add(worker);
    worker.on('error', (error) => this.lost(worker, { threadId: worker.threadId, error }));
    worker.on('exit', (exitCode) => this.lost(worker, { threadId: worker.threadId, exitCode }));
    return new Promise((settle) => {
      worker.once('message', (message) => {
        if (message === READY && this.workers.has(worker) && !this.closed) this.idle.push(worker);
        settle();
      });
      worker.once('exit', () => settle());
    });
  }

  private lost(worker: Worker, exit: WorkerExit): void {
    if (!this.workers.delete(worker)) return;
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const why = exit.error ? exit.error.message : `exit code ${String(exit.exitCode)}`;
    this.sessions.get(worker)?.workerLost(why);
    this.sessions.delete(worker);
    if (!this.closed) this.options.onWorkerExit?.(exit);
  }
}

interface AtomicsWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** Atomics.waitAsync (ES2024, in Node since 16), typed here: the project's lib is ES2023. */
function waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number) {
  return (Atomics as unknown as AtomicsWaitAsync).waitAsync(array, index, value, timeoutMs);
}

export type PacedReleasableCsvIngestor = PacedCsvIngestor & ReleasableCsvIngestor;

class OffThreadCsvIngestor implements PacedReleasableCsvIngestor {
  private readonly port: MessagePort;
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  /** Sizes of the chunks sent and not yet known to be parsed, oldest first, and their sum. */
  private readonly backlog: number[] = [];
  private backlogBytes = 0;
  private parsedSeen = 0;
  private lostReason: string | null = null;
  private released = false;

  constructor(
    worker: Worker,
    config: AuditConfig,
    limits: IngestLimits,
    private readonly onRelease: () => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const start: StartSession = {
      port: port2,
      control: this.control.buffer,
      config,
      limits,
    };
    worker.postMessage(start, [port2]);
  }

  write(chunk: Uint8Array): void {
    this.throwIfFailed();
    // A copy with a buffer of its own, to transfer: the chunk may be a view into a buffer the reader reuses
    // (and Buffer#slice makes views, not copies).
    const bytes = new Uint8Array(chunk);
    // Counted before the transfer detaches it (bytes.length is 0 after send).
    this.backlog.push(chunk.length);
    this.backlogBytes += chunk.length;
    this.send({ type: 'chunk', bytes }, [bytes.buffer]);
    this.forgetParsed();
    if (this.backlogBytes > MAX_BACKLOG_BYTES) this.waitForBacklog();
  }

  end(): IngestOutcome {
    this.throwIfFailed();
    this.send({ type: 'end' });
    this.waitUntil(() => Atomics.load(this.control, CONTROL.state) !== RUNNING);
    const reply = this.reply();
    this.release();
    if (reply.type === 'error') throw fromWireError(reply.error);
    return reply.outcome;
  }

  drained(): Promise<void> | null {
    this.forgetParsed();
    if (this.backlogBytes <= PACED_BACKLOG_BYTES || this.released) return null;
    return this.waitUntilAsync(() => {
      this.forgetParsed();
      return (
        this.backlogBytes <= PACED_BACKLOG_BYTES || Atomics.load(this.control, CONTROL.state) !== RUNNING
      );
    }).then(() => this.throwIfFailed());
  }

  async finish(): Promise<IngestOutcome> {
    this.throwIfFailed();
    this.send({ type: 'end' });
    await this.waitUntilAsync(() => Atomics.load(this.control, CONTROL.state) !== RUNNING);
    const reply = this.reply();
    this.release();
    if (reply.type === 'error') throw fromWireError(reply.error);
    return reply.outcome;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.lostReason === null && Atomics.load(this.control, CONTROL.state) === RUNNING) {
      this.send({ type: 'abort' });
    }
    this.port.close();
    this.onRelease();
  }

  /** Called by the pool when the worker died. */
  workerLost(why: string): void {
    this.lostReason = why;
  }

  private send(message: SessionMessage, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(message, transfer);
  }

  /** Throws the worker's error as soon as it is known (a bad row stops the upload early). */
  private throwIfFailed(): void {
    if (this.lostReason !== null) this.fail(`The CSV ingest worker stopped (${this.lostReason})`);
    if (Atomics.load(this.control, CONTROL.state) !== FAILED) return;
    const reply = this.reply();
    this.release();
    throw reply.type === 'error'
      ? fromWireError(reply.error)
      : new Error('CSV ingest worker: unexpected reply');
  }

  private reply(): SessionReply {
    const received = receiveMessageOnPort(this.port);
    if (!received) this.fail('The CSV ingest worker finished without an answer');
    return received.message as SessionReply;
  }

  private forgetParsed(): void {
    const parsed = Atomics.load(this.control, CONTROL.consumed);
    for (; this.parsedSeen < parsed; this.parsedSeen++) this.backlogBytes -= this.backlog.shift() ?? 0;
  }

  private waitForBacklog(): void {
    this.waitUntil(() => {
      this.forgetParsed();
      return this.backlogBytes <= MAX_BACKLOG_BYTES || Atomics.load(this.control, CONTROL.state) !== RUNNING;
    });
    this.throwIfFailed();
  }

  /** Waits (blocking this thread) until `done`, as long as the worker makes progress. */
  private waitUntil(done: () => boolean): void {
    let progress = Atomics.load(this.control, CONTROL.consumed);
    let since = Date.now();
    while (!done()) {
      Atomics.wait(this.control, CONTROL.consumed, progress, 50);
      const now = Atomics.load(this.control, CONTROL.consumed);
      if (now !== progress) {
        progress = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.fail(`The CSV ingest worker made no progress for ${STALL_MS / 1000} s`);
      }
    }
  }

  /** waitUntil without holding the thread: checks `done` whenever the worker reports progress (or every 50 ms). */
  private async waitUntilAsync(done: () => boolean): Promise<void> {
    let progress = Atomics.load(this.control, CONTROL.consumed);
    let since = Date.now();
    while (!done()) {
      if (this.released) this.fail(this.lostReason ?? 'The CSV ingest was released');
      const waited = waitAsync(this.control, CONTROL.consumed, progress, 50);
      if (waited.async) await waited.value;
      if (this.lostReason !== null) this.fail(`The CSV ingest worker stopped (${this.lostReason})`);
      const now = Atomics.load(this.control, CONTROL.consumed);
      if (now !== progress) {
        progress = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.fail(`The CSV ingest worker made no progress for ${STALL_MS / 1000} s`);
      }
    }
  }

  private fail(message: string): never {
    this.lostReason ??= message;
    this.release();
    throw new Error(message);
  }
}
