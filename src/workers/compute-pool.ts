/**
 * A small pool of worker threads for the heavy pure computations (compute-tasks.ts), so that the event loop
 * keeps answering reads while an upload of a million rows computes: a task's batch is transferred to a free
 * worker (its typed arrays move in O(1), no copy, no JSON); the output comes back the same way. Tasks queue
 * in arrival order when every worker is busy.
 *
 * A worker is started on first need and then kept. A worker that crashes or exits fails the task it was
 * running (with a plain Error: a 500, logged) and is replaced by a new one for the next task; the process
 * carries on. Size 0 runs every task in the calling thread (the behaviour before the pool).
 *
 * The worker entry is compute-worker.js next to this file when compiled (dist), or compute-worker.ts when
 * running from sources (see startWorker).
 */
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  batchTransferList,
  fromWireError,
  runComputeTask,
  type ComputeOutput,
  type ComputeTask,
  type ReplyMessage,
  type TaskMessage,
} from './compute-tasks';
import { startWorker } from './start-worker';

export interface WorkerExit {
  threadId: number;
  /** The uncaught error, when the worker crashed with one. */
  error?: Error;
  exitCode?: number;
}

export interface ComputePoolOptions {
  /** Worker threads; 0 computes in the calling thread. */
  size: number;
  /** The worker entry file (absolute); defaults to compute-worker next to this file. */
  entry?: string;
  /** Told when a worker stops unexpectedly (it is replaced on the next task). */
  onWorkerExit?: (exit: WorkerExit) => void;
}

interface Job {
  id: number;
  task: ComputeTask;
  resolve: (output: ComputeOutput) => void;
  reject: (err: unknown) => void;
}

export const DEFAULT_WORKER_ENTRY = join(__dirname, `compute-worker${extname(__filename)}`);

export class ComputePool {
  private readonly size: number;
  private readonly entry: string;
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ComputePoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 0) {
      throw new Error(`ComputePool size must be a whole number >= 0, got ${options.size}`);
    }
    this.size = options.size;
    this.entry = options.entry ?? DEFAULT_WORKER_ENTRY;
  }

  /**
   * Runs the task in a worker (or in this thread with size 0). With workers, the task's batch arrays are
   * handed over: detached (length 0) here from this call on.
   */
  run(task: ComputeTask): Promise<ComputeOutput> {
    if (this.closed) return Promise.reject(new Error('The compute pool is closed'));
    if (this.size === 0) return new Promise((resolve) => resolve(runComputeTask(task)));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Workers currently alive (started and not exited). */
  get workerCount(): number {
    return this.workers.size;
  }

  /** Stops every worker; queued and running tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('The compute pool is closed'));
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      try {
        const message: TaskMessage = { id: job.id, task: job.task };
        worker.postMessage(message, batchTransferList(job.task.batch));
      } catch (err) {
        // Not sendable (e.g. a value that cannot be cloned): nothing was transferred; the worker stays free.
        this.running.delete(worker);
        this.idle.push(worker);
        job.reject(err);
      }
    }
  }

  private spawn(): Worker {
    const worker = startWorker(this.entry);
    worker.unref(); // an idle pool never keeps the process alive
    this.workers.add(worker);
    worker.on('message', (reply: ReplyMessage) => this.answer(worker, reply));
    worker.on('error', (error) => this.lost(worker, { threadId: worker.threadId, error }));
    worker.on('exit', (exitCode) => this.lost(worker, { threadId: worker.threadId, exitCode }));
    return worker;
  }

  private answer(worker: Worker, reply: ReplyMessage): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    if (job?.id === reply.id) {
      if (reply.ok) job.resolve(reply.output);
      else job.reject(fromWireError(reply.error));
    }
    this.dispatch();
  }

  /** A worker crashed or exited: fail its task, forget it; the next task starts a new one. */
  private lost(worker: Worker, exit: WorkerExit): void {
    if (!this.workers.delete(worker)) return; // 'error' is followed by 'exit'
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    const job = this.running.get(worker);
    this.running.delete(worker);
    if (this.closed) {
      job?.reject(new Error('The compute pool is closed'));
      return;
    }
    this.options.onWorkerExit?.(exit);
    const why = exit.error ? exit.error.message : `exit code ${String(exit.exitCode)}`;
    job?.reject(new Error(`The compute worker stopped while computing (${why})`));
    this.dispatch();
  }
}
