import type { CalibrationFlag } from '../score-quality/calibration';

/**
 * Result shapes of the fairness engine. They are the public JSON of GET /v1/audits/{id}/metrics
 * (docs/api-contract.md): camelCase fields, snake_case metric keys, null for undefined values.
 */

export const RATE_KEYS = [
  'base_rate',
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'true_negative_rate',
  'false_negative_rate',
  'positive_predictive_value',
  'negative_predictive_value',
  'false_discovery_rate',
  'false_omission_rate',
  'accuracy',
  'balanced_accuracy',
  'f1',
  'scoring_rate',
] as const;
export type RateKey = (typeof RATE_KEYS)[number];

/** Calibration of the score per group (metrics.md, "Score quality per group"); with labels and scores. */
export const CALIBRATION_KEYS = [
  'expected_calibration_error',
  'observed_expected_ratio',
  'calibration_intercept',
  'calibration_slope',
] as const;
export type CalibrationKey = (typeof CALIBRATION_KEYS)[number];

export const METRIC_KEYS = [
  'count',
  ...RATE_KEYS,
  'roc_auc',
  'brier_score',
  'mean_score',
  ...CALIBRATION_KEYS,
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Calibration keys with a disparity against the reference: O/E as a ratio, the slope as a difference. */
export const CALIBRATION_DISPARITY_KEYS = ['observed_expected_ratio', 'calibration_slope'] as const;
export type DisparityKey = RateKey | (typeof CALIBRATION_DISPARITY_KEYS)[number];

/** Metrics that need no label: the only ones present in label-free mode. */
export const LABEL_FREE_KEYS: readonly MetricKey[] = [
  'count',
  'selection_rate',
  'scoring_rate',
  'mean_score',
];

export interface MetricValue {
  /** null when undefined for the group (0/0, single class, no scores). */
  value: number | null;
  /** Interval at the configured confidence level (Wilson for rates, DeLong/logit for AUC); null when undefined. */
  ciLow?: number | null;
  ciHigh?: number | null;
  /** Numerator and denominator of a rate (weighted when weights are given). */
  numerator?: number;
  denominator?: number;
  /** Calibration keys: why the value (or its interval) is null, e.g. "scores_outside_unit_interval". */
  flag?: CalibrationFlag;
}

export interface Disparity {
  /** m_group − m_reference. */
  difference: number | null;
  /** m_group / m_reference; null when the reference is 0 or either side undefined. */
  ratio: number | null;
  /** Newcombe hybrid score interval for the difference. */
  differenceCiLow?: number | null;
  differenceCiHigh?: number | null;
  /**
   * Koopman asymptotic score interval for the ratio (Katz log interval in results computed before it);
   * ratioCiHigh is null when the interval is unbounded above (the reference has no events).
   */
  ratioCiLow?: number | null;
  ratioCiHigh?: number | null;
  /**
   * Two-sided p-value vs the reference (pooled two-proportion z, or Fisher exact when an expected cell < 5;
   * for the calibration keys a Wald z-test of ln(O/E ratio) or of the slope difference).
   */
  pValue?: number | null;
  /** Holm-adjusted within the family conventions.multipleTesting names (the slice's metric, or the slice). */
  pValueAdjusted?: number | null;
  /** 'welch': Welch's t-test of two means (regression audits). */
  test?: 'z' | 'fisher' | 'welch' | null;
  /** Only on selection_rate: favorable selection rate / highest favorable selection rate in the slice (LL144). */
  impactRatio?: number | null;
  /** Whether `ratio` lies in the fairness band (default [0.8, 1.25], inclusive); null when ratio is null. */
  withinBand?: boolean | null;
  /**
   * Only on selection_rate, true_positive_rate and false_positive_rate (metrics.md, "Evidence"): the largest
   * ratio below 1 that a two-sided two-proportion z-test at conventions.evidence.alpha would detect with
   * 80% power, given both groups' (effective) sizes and the reference rate (unpooled normal
   * approximation). Ratios between it and minDetectableRatioAbove are not reliably detectable. Null when
   * no ratio below 1 is detectable, for the reference itself, or when the reference rate is 0 or undefined.
   */
  minDetectableRatio?: number | null;
  /** The smallest detectable ratio above 1 (same test); null when none with a rate ≤ 1 is. */
  minDetectableRatioAbove?: number | null;
}

/**
 * The test a minimum detectable ratio assumes (metrics.md, "Evidence") unless FairnessOptions.alpha says
 * otherwise; also what a result computed before conventions.evidence existed was computed with.
 */
export const DEFAULT_EVIDENCE_TEST = { alpha: 0.05, power: 0.8 } as const;

/** Holm's family: the groups of one slice for one metric, or every test of the slice. */
export type MultipleTestingFamily = 'metric' | 'slice';

export type GroupFlag = 'insufficient_sample' | 'reference' | 'single_class' | 'outside_band';

export interface GroupResult {
  key: Record<string, string>;
  count: number;
  /** Share of the slice's analysed rows. */
  share: number;
  metrics: Partial<Record<MetricKey, MetricValue>>;
  disparities: Partial<Record<DisparityKey, Disparity>>;
  /** AIF360's average odds difference vs the reference, ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)]; absent in label-free mode. */
  averageOddsDifference?: number | null;
  flags: GroupFlag[];
}

export interface SliceSummary {
  demographic_parity_difference: number | null;
  demographic_parity_ratio: number | null;
  equalized_odds_difference?: number | null;
  equalized_odds_ratio?: number | null;
  equal_opportunity_difference?: number | null;
  equal_opportunity_ratio?: number | null;
  average_odds_difference?: number | null;
  impact_ratio: number | null;
  generalized_entropy_index?: number | null;
  theil_index?: number | null;
}

export interface SliceResult {
  attributes: string[];
  /** The reference group's key; for strategy "overall" the whole analysed slice (key values "overall"). */
  reference: Record<string, string>;
  groups: GroupResult[];
  summary: SliceSummary;
  /** Rows left out of this slice because an attribute was missing and missingAttribute = "drop". */
  droppedRows?: number;
}

export interface FairnessResult {
  overall: { count: number; metrics: Partial<Record<MetricKey, MetricValue>> };
  slices: SliceResult[];
  labelFree: boolean;
  /** The conventions the numbers were computed with, for the report's methodology appendix. */
  conventions: {
    referenceStrategy: ReferenceStrategy;
    favorableOutcome: 'positive' | 'negative';
    confidenceLevel: number;
    fairnessBand: [number, number];
    minGroupSize: number;
    missingAttribute: 'group' | 'drop';
    /** Results computed before the score intervals say ratio "katz" and auc "delong-logit". */
    intervals: {
      rate: 'wilson';
      difference: 'newcombe';
      ratio: 'koopman' | 'katz';
      auc: 'delong-logit|newcombe-score' | 'delong-logit';
    };
    tests: { proportions: 'two-proportion-z|fisher-exact'; adjustment: 'holm' };
    /** The family pValueAdjusted is adjusted over (absent in results computed before it: "metric"). */
    multipleTesting?: { method: 'holm'; family: MultipleTestingFamily };
    /** How minDetectableRatio was computed (absent in results computed before it). */
    evidence?: { alpha: number; power: number; method: 'two-proportion-z-unpooled' };
  };
}

export type ReferenceStrategy = 'largest' | 'most_favorable' | 'overall' | 'explicit';

export interface FairnessOptions {
  favorableOutcome: 'positive' | 'negative';
  reference: { strategy: ReferenceStrategy; groups?: Record<string, string> };
  intersections: string[][];
  minGroupSize: number;
  missingAttribute: 'group' | 'drop';
  /** Default 0.95. */
  confidenceLevel?: number;
  /** Default [0.8, 1.25]. */
  fairnessBand?: [number, number];
  /** Holm's family for pValueAdjusted; default "metric". */
  multipleTesting?: MultipleTestingFamily;
  /** Level of the minimum detectable ratio's test; default 0.05 (power is 0.8). */
  alpha?: number;
}
