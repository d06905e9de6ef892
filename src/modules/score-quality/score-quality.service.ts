import { Injectable } from '@nestjs/common';
import { DomainError } from '../../core/errors';
import {
  calibrationReport,
  DEFAULT_THRESHOLDS,
  hasProbabilityScores,
  thresholdReport,
  type CalibrationReport,
  type ThresholdReport,
} from '../../core/score-quality';
import type { ColumnarBatch } from '../../core/ingest';
import { zCritical, type SortedOrder } from '../../core/stats';
import { requireBinary } from '../../core/tasks';
import { AuditsService } from '../audits/audits.service';

const MAX_THRESHOLDS = 999;
const DEFAULT_TOLERANCE = 0.02;
const CONFIDENCE = 0.95;

/** Score quality per group: calibration and the threshold what-if, from an audit's stored rows. */
@Injectable()
export class ScoreQualityService {
  constructor(private readonly audits: AuditsService) {}

  async calibration(auditId: string): Promise<CalibrationReport> {
    const audit = await this.audits.get(auditId);
    requireBinary(audit.results, 'Score quality (calibration and thresholds)');
    const loaded = await this.audits.loadBatchInScoreOrder(auditId);
    const { batch, scoreOrder } = loaded;
    return calibrationReport(batch, audit.config.intersections, zCritical(CONFIDENCE), scoreOrder);
  }

  async thresholds(
    auditId: string,
    query: { thresholds?: string; tolerance?: string },
  ): Promise<ThresholdReport & { auditThreshold: number }> {
    const thresholds =
      query.thresholds === undefined ? DEFAULT_THRESHOLDS : parseThresholds(query.thresholds);
    const tolerance = query.tolerance === undefined ? DEFAULT_TOLERANCE : parseTolerance(query.tolerance);
    const audit = await this.audits.get(auditId);
    requireBinary(audit.results, 'Score quality (calibration and thresholds)');
    return whatIf(audit, await this.audits.loadBatchInScoreOrder(auditId), thresholds, tolerance);
  }

  /**
   * The report's two score-quality pages from one load of the rows: calibration, and the what-if on
   * `thresholdsOf(audit threshold)` with the default tolerance. Null when the scores are not probabilities in
   * [0, 1] (or labels or scores are missing): the report then has neither page, and is made all the same.
   */
  async forReport(
    auditId: string,
    thresholdsOf: (auditThreshold: number) => readonly number[],
  ): Promise<{
    calibration: CalibrationReport;
    thresholds: ThresholdReport & { auditThreshold: number };
  } | null> {
    const audit = await this.audits.get(auditId);
    requireBinary(audit.results, 'Score quality (calibration and thresholds)');
    const loaded = await this.audits.loadBatchInScoreOrder(auditId);
    if (!hasProbabilityScores(loaded.batch)) return null;
    return {
      calibration: calibrationReport(
        loaded.batch,
        audit.config.intersections,
        zCritical(CONFIDENCE),
        loaded.scoreOrder,
      ),
      thresholds: whatIf(audit, loaded, thresholdsOf(audit.config.threshold), DEFAULT_TOLERANCE),
    };
  }
}

type Audit = Awaited<ReturnType<AuditsService['get']>>;

/** The what-if of one audit's loaded rows. */
function whatIf(
  audit: Pick<Audit, 'config' | 'results'>,
  { batch, scoreOrder }: { batch: ColumnarBatch; scoreOrder?: SortedOrder },
  thresholds: readonly number[],
  tolerance: number,
): ThresholdReport & { auditThreshold: number } {
  const report = thresholdReport(
    batch,
    audit.config.intersections,
    thresholds,
    {
      threshold: audit.config.threshold,
      references: audit.results.slices.map((s) => s.reference),
      tolerance,
    },
    scoreOrder,
  );
  return { ...report, auditThreshold: audit.config.threshold };
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid_input', `${field}: ${message}`, [{ field, message }]);
}

function parseThresholds(text: string): number[] {
  const parts = text.split(',');
  if (parts.length > MAX_THRESHOLDS) throw invalid('thresholds', `at most ${MAX_THRESHOLDS} thresholds`);
  const values = parts.map((part) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw invalid('thresholds', `"${part}" is not a number in [0, 1]`);
    }
    return value;
  });
  return [...new Set(values)];
}

function parseTolerance(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid('tolerance', `"${text}" is not a number in [0, 1]`);
  }
  return value;
}
