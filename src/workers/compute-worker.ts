/**
 * Entry of a compute worker thread (started by ComputePool): runs each task it is sent, one at a time, and
 * answers with the output (its blob transferred back). An error in a task is answered (a
 * DomainError keeps its code); anything that escapes (a crash) ends this thread, and the pool replaces it.
 */
import { parentPort } from 'node:worker_threads';
import {
  outputTransferList,
  runComputeTask,
  toWireError,
  type ReplyMessage,
  type TaskMessage,
} from './compute-tasks';

const port = parentPort;
if (!port) throw new Error('compute-worker.ts runs only as a worker thread (see ComputePool)');

port.on('message', ({ id, task }: TaskMessage) => {
  let reply: ReplyMessage;
  try {
    reply = { id, ok: true, output: runComputeTask(task) };
  } catch (err) {
    reply = { id, ok: false, error: toWireError(err) };
  }
  port.postMessage(reply, reply.ok ? outputTransferList(reply.output) : []);
});
