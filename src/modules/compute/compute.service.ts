import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config';
import type { FairnessOptions } from '../../core/fairness';
import type { ColumnarBatch } from '../../core/ingest';
import type { ComputeOutput } from '../../workers/compute-tasks';
import { ComputePool } from '../../workers/compute-pool';

/**
 * The heavy computations of the write path, off the event loop: a pool of COMPUTE_WORKERS worker threads
 * (default: cores − 1, at least 1; 0 = in the calling thread). Measured with `npm run bench -- read-latency`
 * (README, Performance).
 */
@Injectable()
export class ComputeService implements OnModuleDestroy {
  private readonly logger = new Logger(ComputeService.name);
  private readonly pool: ComputePool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new ComputePool({
      size: config.computeWorkers,
      onWorkerExit: ({ threadId, error, exitCode }) =>
        this.logger.error(
          { threadId, exitCode, err: error },
          'A compute worker stopped; it is replaced on the next task',
        ),
    });
  }

  /**
   * An upload's results (computeFairness) and its batch encoded for storage (encodeBatch). The batch is handed
   * over: its arrays are unusable (detached) after this call.
   */
  audit(batch: ColumnarBatch, options: FairnessOptions): Promise<ComputeOutput> {
    return this.pool.run({ kind: 'audit', batch, options });
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.close();
  }
}
