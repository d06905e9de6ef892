/**
 * The heavy pure computations that may run off the event loop, and what crosses the thread boundary: the
 * task (its batch's typed arrays transferred, not copied), the answer (the results, and the batch encoded
 * for storage, transferred back), and errors (a DomainError keeps its code, message and details, so it
 * becomes the same problem+json as when computed in-thread).
 *
 * Used by both sides: compute-worker.ts (in the worker) and ComputePool (in the main thread, and for the
 * in-thread mode).
 */
import { DomainError, type DomainErrorCode, type ProblemDetail } from '../core/errors';
import { computeFairness, type FairnessOptions } from '../core/fairness';
import { encodeBatch, type ColumnarBatch } from '../core/ingest';
import { computeRegression, type AuditMetrics, type RegressionOptions } from '../core/tasks';

/**
 * What an upload computes between parsing and persisting: its fairness results (computeFairness) and its
 * batch encoded for storage (encodeBatch). Measured on 3 concurrent 1M-row uploads, these held the event loop
 * for about 1 s and 0.2 s per upload (bench/read-latency.bench.ts).
 */
export interface AuditTask {
  kind: 'audit';
  batch: ColumnarBatch;
  options: FairnessOptions;
}

/** A regression audit (config.task "regression"): computeRegression instead of computeFairness. */
export interface RegressionAuditTask {
  kind: 'regression-audit';
  batch: ColumnarBatch;
  options: RegressionOptions;
}

export type ComputeTask = AuditTask | RegressionAuditTask;

export interface ComputeOutput {
  result: AuditMetrics;
  /** encodeBatch(task.batch) */
  blob: Uint8Array;
}

/** Runs a task in the calling thread. */
export function runComputeTask(task: ComputeTask): ComputeOutput {
  switch (task.kind) {
    case 'audit':
      return { result: computeFairness(task.batch, task.options), blob: encodeBatch(task.batch) };
    case 'regression-audit':
      return { result: computeRegression(task.batch, task.options), blob: encodeBatch(task.batch) };
  }
}

/** The buffers an answer hands over (the blob: a fresh buffer of its own). */
export function outputTransferList(output: ComputeOutput): ArrayBuffer[] {
  return output.blob.buffer instanceof ArrayBuffer ? [output.blob.buffer] : [];
}

/**
 * The buffers of a batch's arrays, each once (arrays may share one). Transferring moves them to the other
 * thread in O(1) and leaves them detached (length 0) here. Shared buffers are shared, not transferred.
 */
export function batchTransferList(batch: ColumnarBatch): ArrayBuffer[] {
  const arrays = [
    batch.labels,
    batch.predictions,
    batch.scores,
    batch.weights,
    batch.targets,
    batch.predictedValues,
    ...batch.attributes.map((a) => a.codes),
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}

/** An error as it crosses the thread boundary (Error objects lose their class and fields in a message). */
export type WireError =
  | { kind: 'domain'; code: DomainErrorCode; message: string; errors: ProblemDetail[] }
  | { kind: 'other'; name: string; message: string; stack?: string };

export function toWireError(err: unknown): WireError {
  if (err instanceof DomainError) {
    return { kind: 'domain', code: err.code, message: err.message, errors: err.errors };
  }
  if (err instanceof Error) return { kind: 'other', name: err.name, message: err.message, stack: err.stack };
  return { kind: 'other', name: 'Error', message: String(err) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.kind === 'domain') return new DomainError(wire.code, wire.message, wire.errors);
  const err = new Error(`${wire.name} in a compute worker: ${wire.message}`);
  if (wire.stack) err.stack = `${err.name}: ${err.message}\n  worker stack: ${wire.stack}`;
  return err;
}

/** main → worker */
export interface TaskMessage {
  id: number;
  task: ComputeTask;
}

/** worker → main. The task's batch never comes back: its arrays stay detached in the caller. */
export type ReplyMessage =
  { id: number; ok: true; output: ComputeOutput } | { id: number; ok: false; error: WireError };
