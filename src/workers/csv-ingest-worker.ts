/**
 * Entry of a CSV ingest worker thread (started by CsvIngestWorkers): parses one upload at a time with core's
 * streaming CSV ingestor, chunk by chunk as the main thread forwards them, and answers once, with the
 * outcome (the batch's arrays transferred) or the first error (a DomainError keeps its code, row and column).
 */
import { parentPort } from 'node:worker_threads';
import { createCsvIngestor, type CsvIngestor, type IngestOutcome } from '../core/ingest';
import { batchTransferList, toWireError } from './compute-tasks';
import {
  CONTROL,
  FAILED,
  FINISHED,
  READY,
  type SessionMessage,
  type SessionReply,
  type StartSession,
} from './csv-ingest-protocol';

if (!parentPort) throw new Error('csv-ingest-worker.ts runs only as a worker thread (see CsvIngestWorkers)');

parentPort.on('message', ({ port, control, config, limits }: StartSession) => {
  const shared = new Int32Array(control);
  let ingestor: CsvIngestor | null = null;
  const finish = (reply: SessionReply, state: number, outcome?: IngestOutcome): void => {
    ingestor = null;
    port.postMessage(reply, outcome ? batchTransferList(outcome.batch) : []);
    Atomics.store(shared, CONTROL.state, state);
    Atomics.notify(shared, CONTROL.consumed); // the main thread waits on this slot
    Atomics.notify(shared, CONTROL.state);
    port.close();
  };
  try {
    ingestor = createCsvIngestor(config, limits);
  } catch (err) {
    finish({ type: 'error', error: toWireError(err) }, FAILED);
    return;
  }
  port.on('message', (message: SessionMessage) => {
    if (message.type === 'abort') {
      ingestor = null;
      port.close();
      return;
    }
    if (!ingestor) return; // failed already: the rest of the upload is ignored
    try {
      if (message.type === 'chunk') {
        ingestor.write(message.bytes);
        Atomics.add(shared, CONTROL.consumed, 1);
        Atomics.notify(shared, CONTROL.consumed);
      } else {
        const outcome = ingestor.end();
        finish({ type: 'outcome', outcome }, FINISHED, outcome);
      }
    } catch (err) {
      finish({ type: 'error', error: toWireError(err) }, FAILED);
    }
  });
});

parentPort.postMessage(READY);
