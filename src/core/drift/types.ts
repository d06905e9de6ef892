/** Result shapes of drift between two audits (docs/api-contract.md, Drift). */

export const DRIFT_STATUSES = ['ok', 'warning', 'alert'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export const DRIFT_KINDS = ['population', 'score', 'label', 'performance', 'fairness', 'poisoning'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_STATISTICS = [
  'psi',
  'psi_equal_width',
  'ks',
  'js_distance',
  'chi_square',
  'z_test',
  'band_crossing',
] as const;
export type DriftStatistic = (typeof DRIFT_STATISTICS)[number];

export interface DriftCheck {
  kind: DriftKind;
  /** Absent for a whole-sample check. */
  attributes?: string[];
  key?: Record<string, string>;
  metric?: string;
  /** Multiclass per-class checks: the class the (one-vs-rest) metric is of. */
  class?: string;
  statistic: DriftStatistic;
  value: number | null;
  pValue?: number | null;
  pValueAdjusted?: number | null;
  baseline?: number | null;
  current?: number | null;
  status: DriftStatus;
  /** One plain sentence for a non-statistician. */
  message: string;
  /** Only on poisoning checks: what singled the group out. */
  evidence?: PoisoningEvidence;
}

/** A group moved sharply while the other groups of its attribute stayed put. */
export interface PoisoningEvidence {
  /** The group's change: rate difference (current − baseline) for labels, PSI for scores. */
  groupChange: number;
  /** The largest change among the attribute's other groups, in the same unit (absolute for rates). */
  othersLargestChange: number;
}

export interface DriftThresholds {
  psiWarning: number; // 0.10
  psiAlert: number; // 0.25
  ksMinD: number; // 0.1 (KS warns only when p < alpha and D >= this)
  jsWarning: number; // 0.1
  alpha: number; // 0.05
  fairnessBand: [number, number]; // [0.8, 1.25]
  /** Absolute change of a group's rate that counts as material (with significance): 0.05 warning, 0.10 alert. */
  rateChangeWarning: number;
  rateChangeAlert: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  psiWarning: 0.1,
  psiAlert: 0.25,
  ksMinD: 0.1,
  jsWarning: 0.1,
  alpha: 0.05,
  fairnessBand: [0.8, 1.25],
  rateChangeWarning: 0.05,
  rateChangeAlert: 0.1,
};

export interface DriftReport {
  status: DriftStatus;
  /** Worst first. */
  checks: DriftCheck[];
}
