/**
 * Result shapes of regression and multiclass audits (api-contract.md, "Regression and multiclass audits").
 * Like FairnessResult (the binary task) they are the public JSON of GET /v1/audits/{id}/metrics: camelCase
 * fields, snake_case metric keys, null for undefined values. A stored result without `task` is binary.
 */
import { DomainError } from '../errors';
import type { AuditTask } from '../ingest/audit-config';
import type { Disparity, FairnessResult, GroupFlag, MetricValue, ReferenceStrategy } from '../fairness/types';

export type { AuditTask } from '../ingest/audit-config';

// ---------------------------------------------------------------- regression

/** Per-group keys of a regression audit, each `{value, ciLow, ciHigh}` (count has no interval). */
export const REGRESSION_METRIC_KEYS = [
  'count',
  'mean_target',
  'mean_prediction',
  'mean_error',
  'mean_absolute_error',
  'root_mean_squared_error',
  'r2',
] as const;
export type RegressionMetricKey = (typeof REGRESSION_METRIC_KEYS)[number];
/** Keys with a disparity against the reference (difference and ratio). */
export type RegressionDisparityKey = Exclude<RegressionMetricKey, 'count'>;

/** One decile of the prediction (cut points over the whole sample) within a group: the Obermeyer check. */
export interface PredictionDecile {
  /** 1..10 */
  decile: number;
  count: number;
  meanPrediction: number | null;
  /** Mean target of the group's people in this decile, with its interval: the same prediction, the same need? */
  meanTarget: MetricValue;
}

export interface RegressionGroupResult {
  key: Record<string, string>;
  count: number;
  share: number;
  metrics: Partial<Record<RegressionMetricKey, MetricValue>>;
  disparities: Partial<Record<RegressionDisparityKey, Disparity>>;
  /** Mean target by decile of prediction (cut points of the whole sample). */
  predictionDeciles?: PredictionDecile[];
  flags: GroupFlag[];
}

/**
 * Largest gap per key (max − min and min / max over the slice's groups) and the bounded group loss
 * (the worst group's MAE and RMSE).
 */
export type RegressionSliceSummary = Partial<
  Record<`${RegressionDisparityKey}_difference` | `${RegressionDisparityKey}_ratio`, number | null>
> & {
  worst_group_mean_absolute_error?: number | null;
  worst_group_root_mean_squared_error?: number | null;
};

export interface RegressionSliceResult {
  attributes: string[];
  reference: Record<string, string>;
  groups: RegressionGroupResult[];
  summary: RegressionSliceSummary;
  droppedRows?: number;
}

export interface RegressionResult {
  task: 'regression';
  overall: {
    count: number;
    metrics: Partial<Record<RegressionMetricKey, MetricValue>>;
    predictionDeciles?: PredictionDecile[];
  };
  /** Upper cut points of deciles 1..9 of the prediction over the whole sample. */
  decileCutPoints?: number[];
  slices: RegressionSliceResult[];
  conventions: TaskConventions & {
    /** Closed forms throughout (docs/metrics.md, "Regression audits"): nothing is resampled. */
    intervals: {
      mean: 't';
      /** The t-interval of the mean squared error, square-rooted. */
      rootMeanSquaredError: 'sqrt-of-t-interval-of-mse';
      /** Delta method (R²'s influence function) with a t critical value. */
      r2: 'delta-method-t';
      difference: 'welch';
      ratio: 'delta-method-log';
    };
    tests: { means: 'welch-t'; adjustment: 'holm' };
    multipleTesting: { method: 'holm'; family: 'metric' };
    /** Seed and replicate count of every resampled interval, so it can be reproduced (none so far). */
    bootstrap?: { seed: number; replicates: number };
  };
}

// ---------------------------------------------------------------- multiclass

/** One-vs-rest keys per class, with the binary task's intervals (Wilson) and disparities. */
export const CLASS_RATE_KEYS = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
] as const;
export type ClassRateKey = (typeof CLASS_RATE_KEYS)[number];

export type ClassMetrics = Partial<Record<ClassRateKey, MetricValue>>;

export interface MulticlassGroupResult {
  key: Record<string, string>;
  count: number;
  share: number;
  metrics: { count?: MetricValue; accuracy?: MetricValue };
  /** Per class name, one-vs-rest. */
  classes: Record<string, ClassMetrics>;
  disparities: {
    accuracy?: Disparity;
    classes?: Record<string, Partial<Record<ClassRateKey, Disparity>>>;
  };
  flags: GroupFlag[];
}

/** Fairlearn's between-groups summaries per class (one-vs-rest), and the accuracy gap. */
export interface MulticlassSliceSummary {
  accuracy_difference: number | null;
  accuracy_ratio: number | null;
  classes: Record<
    string,
    {
      demographic_parity_difference: number | null;
      demographic_parity_ratio: number | null;
      equalized_odds_difference?: number | null;
      equalized_odds_ratio?: number | null;
      equal_opportunity_difference?: number | null;
      equal_opportunity_ratio?: number | null;
    }
  >;
}

export interface MulticlassSliceResult {
  attributes: string[];
  reference: Record<string, string>;
  groups: MulticlassGroupResult[];
  summary: MulticlassSliceSummary;
  droppedRows?: number;
}

export interface MulticlassResult {
  task: 'multiclass';
  /** Class names in order: `config.classes`, else as first seen in the data (labels and predictions). */
  classes: string[];
  overall: {
    count: number;
    metrics: { count?: MetricValue; accuracy?: MetricValue };
    classes: Record<string, ClassMetrics>;
  };
  slices: MulticlassSliceResult[];
  conventions: TaskConventions & {
    intervals: { rate: 'wilson'; difference: 'newcombe'; ratio: string };
    tests: { proportions: string; adjustment: 'holm' };
  };
}

// ---------------------------------------------------------------- all tasks

export interface TaskConventions {
  referenceStrategy: ReferenceStrategy;
  confidenceLevel: number;
  fairnessBand: [number, number];
  minGroupSize: number;
  missingAttribute: 'group' | 'drop';
}

/** What GET /v1/audits/{id}/metrics returns for any task; a binary result has no `task` field. */
export type AuditMetrics = FairnessResult | RegressionResult | MulticlassResult;

/** The task a stored result was computed for (results of the binary task carry no `task`). */
export function resultTask(result: AuditMetrics): AuditTask {
  return 'task' in result && result.task !== undefined ? result.task : 'binary';
}

export function isBinaryResult(result: AuditMetrics): result is FairnessResult {
  return resultTask(result) === 'binary';
}

/**
 * The binary result, or a 422 naming what needs one: for the parts that read binary results only
 * (`what`, e.g. "Calibration"), so a regression or multiclass audit gets a clear problem, never a crash.
 */
export function requireBinary(result: AuditMetrics, what: string): FairnessResult {
  if (isBinaryResult(result)) return result;
  const task = resultTask(result);
  const message = `${what} is available for binary audits only; this is a ${task} audit`;
  throw new DomainError('domain', message, [{ field: 'task', message }]);
}

/** The regression result, or a 422 (a multiclass result has no regression metrics). */
export function requireRegression(result: AuditMetrics): RegressionResult {
  if (!isBinaryResult(result) && result.task === 'regression') return result;
  const message = `not a regression audit (task ${resultTask(result)})`;
  throw new DomainError('domain', message, [{ field: 'task', message }]);
}
