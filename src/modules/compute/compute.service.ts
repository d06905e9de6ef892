import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config';
import type { FairnessOptions } from '../../core/fairness';
import type { RegressionOptions } from '../../core/tasks';
import {
  createCsvIngestor,
  type AuditConfig,
  type ColumnarBatch,
  type IngestLimits,
} from '../../core/ingest';
import type { ComputeOutput } from '../../workers/compute-tasks';
import { ComputePool, type WorkerExit } from '../../workers/compute-pool';
import { CsvIngestWorkers, type PacedReleasableCsvIngestor } from '../../workers/csv-ingest-workers';
import { SlicedCsvIngestor } from '../../workers/sliced-csv-ingestor';

/**
 * The heavy work of the write path, off the event loop: CSV parsing in INGEST_WORKERS threads and the
 * metrics in a pool of COMPUTE_WORKERS threads (each default: cores − 1, at least 1; 0 = in the calling
 * thread). Measured with `npm run bench -- read-latency` (README, Performance).
 */
@Injectable()
export class ComputeService implements OnModuleDestroy {
  private readonly logger = new Logger(ComputeService.name);
  private readonly pool: ComputePool;
  private readonly ingest: CsvIngestWorkers;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const onWorkerExit = ({ threadId, error, exitCode }: WorkerExit): void =>
      this.logger.error({ threadId, exitCode, err: error }, 'A worker thread stopped; a new one replaces it');
    this.pool = new ComputePool({ size: config.computeWorkers, onWorkerExit });
    this.ingest = new CsvIngestWorkers({ size: config.ingestWorkers, onWorkerExit });
  }

  /** Starts the CSV ingest workers now rather than on the first uploads (npm start); settles once loaded. */
  warmUp(): Promise<void> {
    return this.ingest.warmUp();
  }

  /**
   * A CSV ingestor for an upload: parsing in a worker when one is free, else in this thread in slices between
   * other work (SlicedCsvIngestor). A bad config throws here, as createCsvIngestor does. Release it when the
   * upload is over, whichever way.
   */
  csvIngestor(config: AuditConfig, limits: IngestLimits): PacedReleasableCsvIngestor {
    const inThread = createCsvIngestor(config, limits); // validates the config and limits first
    return this.ingest.start(config, limits) ?? new SlicedCsvIngestor(inThread);
  }

  /**
   * An upload's results (computeFairness) and its batch encoded for storage (encodeBatch). The batch is handed
   * over: its arrays are unusable (detached) after this call.
   */
  audit(batch: ColumnarBatch, options: FairnessOptions): Promise<ComputeOutput> {
    return this.pool.run({ kind: 'audit', batch, options });
  }

  /** The same for a regression audit (computeRegression). */
  regressionAudit(batch: ColumnarBatch, options: RegressionOptions): Promise<ComputeOutput> {
    return this.pool.run({ kind: 'regression-audit', batch, options });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.pool.close(), this.ingest.close()]);
  }
}
