import type { DriftReport } from '../drift/types';
import type { RateKey } from '../fairness/types';
import type { AuditMetrics } from '../tasks/types';
import type { Documentation, DocumentationField } from './documentation';
import type { ControlEvidence, ControlStatus } from './types';

/** Error-rate metrics the gap rules compare between groups (they need labels). */
export type GapMetric = Extract<
  RateKey,
  | 'false_negative_rate'
  | 'false_positive_rate'
  | 'true_positive_rate'
  | 'false_omission_rate'
  | 'false_discovery_rate'
>;

/** The rules of the catalog, as data. Thresholds not written here come from the policy. */
export type RuleSpec =
  /** R-FAIR (compliance-controls.md §0): impact ratios of the favourable outcome plus error-rate gaps, with significance and n. */
  | { kind: 'fairness'; gapMetrics: GapMetric[] }
  /** Impact ratio = favourable rate / highest favourable rate in the slice (LL144, four-fifths rule). */
  | {
      kind: 'impact_ratio';
      rate: 'selection_rate' | 'scoring_rate';
      requireSignificance: boolean;
      irMin?: number;
    }
  | { kind: 'error_rate_gap'; metrics: GapMetric[]; gapMax?: number }
  | { kind: 'performance'; metric: 'roc_auc' | 'balanced_accuracy'; perGroup: boolean; min?: number }
  /** O/E ratio and calibration slope overall and per group within the audit's fairness band (TRIPOD+AI 12f). */
  | { kind: 'calibration' }
  | { kind: 'drift' }
  | { kind: 'documentation'; fields: DocumentationField[]; datedBy?: DocumentationField }
  /** Counts 1–10 hidden in reports (CMS cell-size suppression). */
  | { kind: 'small_cells' }
  /** E-LOG: input SHA-256, row count, conventions, timestamp (and the data period when required). */
  | { kind: 'record_keeping'; requirePeriod: boolean }
  /** Thresholds fixed (policy adopted) before the audit ran (EU AI Act Art. 9(8)). */
  | { kind: 'predefined_thresholds' }
  /** Group shares vs a documented reference population, and the share of missing attribute values. */
  | { kind: 'representation' }
  /** The audit analysed these demographic attributes (matched by name and common aliases). */
  | { kind: 'attributes_present'; attributes: string[] }
  /** Monitoring plan and cadence documented, and the last audit within that cadence. */
  | { kind: 'monitoring' }
  /** The last audit is at most policy.maxAgeDays old (6 RCNY 5-301(a)). */
  | { kind: 'audit_age' }
  /** Every disparity R-FAIR finds has a recorded mitigation. */
  | { kind: 'mitigated'; gapMetrics: GapMetric[] }
  /** HTI-1 source attributes (ids like "(B)(7)(ii)") filled in the model's HTI-1 export (core/exports). */
  | { kind: 'hti1_attributes'; attributes: string[] }
  /** Worst outcome of all sub-rules (fail > review > pass > not_applicable). */
  | { kind: 'all'; rules: RuleSpec[] };

export type RuleKind = RuleSpec['kind'];

export interface AuditRecord {
  rowCount: number;
  dataSha256: string;
  /** ISO 8601. */
  createdAt: string;
  periodStart?: string | null;
  periodEnd?: string | null;
  /** The model's previous audit, if any (ISO 8601). */
  lastAuditAt?: string | null;
}

/** One attribute of the model's HTI-1 export, as the hti1_attributes rule reads it. */
export interface Hti1AttributeState {
  id: string;
  source: 'audits' | 'documentation' | 'missing';
  documentationFields: string[];
}

export interface ComplianceInput {
  /** The audit's result, of any task (rules that need binary decisions are not_applicable to the others). */
  result: AuditMetrics;
  /** null on a model's first audit: nothing to compare with. */
  drift: DriftReport | null;
  /** The model's and the audit's documentation fields merged (the audit's win). */
  documentation: Documentation;
  audit: AuditRecord;
  /** Share of each group in the population the model serves, by attribute then group (e.g. census figures). */
  referencePopulation?: Record<string, Record<string, number>>;
  /** Evaluation time (ISO 8601): the core never reads the clock. */
  now: string;
  /** The model's HTI-1 export (its attributes' sources); absent: hti1_attributes rules do not apply. */
  hti1?: readonly Hti1AttributeState[];
}

/** What one rule decides: the outcome without the control's identity. */
export interface RuleVerdict {
  status: ControlStatus;
  evidence: ControlEvidence[];
  rationale: string;
}
