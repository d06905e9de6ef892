/**
 * What crosses the thread boundary when a CSV upload is parsed in a worker (csv-ingest-worker.ts,
 * CsvIngestWorkers): one MessageChannel per upload, and a small shared Int32Array through which the main
 * thread can see, without waiting for its event loop, how far the worker has got.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AuditConfig, IngestLimits, IngestOutcome } from '../core/ingest';
import type { WireError } from './compute-tasks';

/** Slots of the shared control array. */
export const CONTROL = {
  /** RUNNING, then FINISHED (outcome posted) or FAILED (error posted). */
  state: 0,
  /** Chunks parsed so far. */
  consumed: 1,
} as const;
export const CONTROL_SLOTS = 2;
export const RUNNING = 0;
export const FINISHED = 1;
export const FAILED = 2;

/** worker → main (on parentPort), once loaded. */
export const READY = 'ready';

/** main → worker (on the worker's parentPort): parse an upload whose chunks follow on `port`. */
export interface StartSession {
  port: MessagePort;
  control: SharedArrayBuffer;
  config: AuditConfig;
  limits: IngestLimits;
}

/** main → worker, on the session's port. */
export type SessionMessage =
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' }
  /** The upload failed elsewhere: forget it. */
  | { type: 'abort' };

/** worker → main, on the session's port; exactly one per session. */
export type SessionReply = { type: 'outcome'; outcome: IngestOutcome } | { type: 'error'; error: WireError };
