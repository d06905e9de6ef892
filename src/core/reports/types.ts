/**
 * Input and output shapes of the report view model. The view model holds everything the PDF prints,
 * already formatted and small-cell suppressed (docs/metrics.md, "Small cells in reports").
 */
import type { ControlOutcome, ControlStatus, FrameworkId } from '../compliance/types';
import type { DriftReport, DriftStatus } from '../drift/types';
import type { FairnessResult, ReferenceStrategy } from '../fairness/types';
import type { PrivacyConfig } from '../ingest/audit-config';
import type { AuditMetrics } from '../tasks/types';
import type { TaskReportView } from './task-types';
import type { ChartModel } from './charts/model';
import type { CalibrationView } from './score-quality-view';
import type { CalibrationReport } from '../score-quality';
import type { ThresholdPage, ThresholdPageInput } from './report-thresholds';

export interface TimelineGroupPoint {
  key: Record<string, string>;
  value: number | null;
  /** Group size in that audit, when known: a point of a group with 1..10 rows is left out. */
  count?: number;
}

export interface TimelinePoint {
  /** ISO timestamp of the audit. */
  at: string;
  auditId: string;
  /** The audit's name and period end, for the trend axis. */
  name?: string | null;
  periodEnd?: string | null;
  summary: Record<string, number | null>;
  groups: TimelineGroupPoint[];
}

export interface TimelineSeries {
  metric: string;
  attribute: string;
  /** In time order, oldest first. */
  points: TimelinePoint[];
}

/** `R`: the audit's result; any task's for buildReportViewModel, the binary task's for its sections. */
export interface ReportInput<R extends AuditMetrics = FairnessResult> {
  report: {
    id: string;
    title: string;
    /** ISO timestamp. */
    createdAt: string;
    /**
     * SHA-256 hex computed by the caller (core has no crypto) over the canonical JSON of the report
     * content; `null` while not yet known: the view model then prints a placeholder.
     */
    fingerprint: string | null;
  };
  organization: { name: string };
  model: {
    name: string;
    version: string;
    description?: string;
    intendedUse?: string;
    owner?: string;
    /** For the appendix's links to the model's transparency exports (HTI-1, model card). */
    id?: string;
  };
  audit: {
    id: string;
    name?: string;
    createdAt: string;
    periodStart?: string;
    periodEnd?: string;
    rowCount: number;
    dataSha256: string;
    columnsUsed: {
      label?: string;
      prediction?: string;
      score?: string;
      count?: string;
      target?: string;
      attributes: string[];
    };
    config: {
      favorableOutcome: 'positive' | 'negative';
      reference: { strategy: ReferenceStrategy; groups?: Record<string, string> };
      minGroupSize: number;
      threshold?: number;
      /** The counts were noised before upload (differential privacy): stated on the cover and in the methodology. */
      privacy?: PrivacyConfig;
      /** Regression: the outcome column (its name is the outcome's word in sentences). */
      targetColumn?: string;
    };
  };
  result: R;
  drift: DriftReport | null;
  timeline: TimelineSeries[];
  controls: ControlOutcome[];
  policyVersion: number;
  /**
   * The policy's significance level (thresholds.alpha): an adjusted p-value below it is "statistically
   * significant" in the findings and the methodology, as the controls decide.
   */
  alpha: number;
  catalogVersion: string;
  softwareVersion: string;
  /**
   * The signed head of the organization's audit trail when the report was made (docs/audit-trail.md): printed
   * in the provenance, so whoever holds the report can later prove the trail up to that event is unchanged.
   */
  trailHead?: TrailHeadRef | null;
  /** Calibration by group (issue 18), when the audit has scores in [0, 1] and labels. */
  calibration?: CalibrationReport | null;
  /** The threshold what-if on the console's grid (issue 18), when the audit has scores in [0, 1] and labels. */
  thresholds?: ThresholdPageInput | null;
  /** Word for the people in the data, used in findings ("Black patients ..."). Default "patients". */
  subjectNoun?: string;
}

export type Verdict = 'pass' | 'fail' | 'review' | 'inconclusive';

export interface Finding {
  severity: 'fail' | 'review' | 'info';
  text: string;
  controlIds: string[];
}

export interface TableCell {
  /** Full text, e.g. "0.63 (0.61–0.65)", "suppressed", "—". */
  text: string;
  /** The point value alone ("0.63"), or the whole text when there is no interval. */
  value: string;
  /** "(0.61–0.65)" or null. */
  interval: string | null;
  suppressed: boolean;
}

/**
 * `outside_band`: the selection-rate ratio (the one in the table's ratio column and the chart) lies outside
 * the fairness band; `other_outside_band`: another ratio (TPR, FPR, scoring rate) does, named in the label.
 */
export type RowFlag = 'reference' | 'insufficient' | 'outside_band' | 'other_outside_band' | 'suppressed';

export interface GroupRow {
  label: string;
  /** "1,234", "0" or "≤10". */
  count: string;
  cells: TableCell[];
  flags: RowFlag[];
  /** Plain words for the flags, e.g. ["reference"], ["outside band"]. */
  flagLabels: string[];
  /**
   * What this audit could detect for the group (docs/metrics.md, "Evidence"): e.g. "detectable: below 0.62",
   * null for the reference, or when the ratio is not shown.
   */
  detectable: string | null;
}

export interface SliceView {
  title: string;
  attributes: string[];
  referenceLabel: string;
  /** Headers of `cells`, in order (the group and n columns come first and are not listed). */
  columns: string[];
  rows: GroupRow[];
  summaryLines: string[];
  notes: string[];
  chart: ChartModel | null;
}

export interface DriftCheckView {
  status: DriftStatus;
  statusLabel: string;
  kindLabel: string;
  subject: string;
  statistic: string;
  message: string;
}

export interface DriftView {
  present: boolean;
  status: DriftStatus | null;
  statusLabel: string;
  okCount: number;
  /** Checks with a warning or an alert; `checks` lists the most important of them. */
  attentionCount: number;
  checks: DriftCheckView[];
  trends: { title: string; chart: ChartModel; note: string | null }[];
  notes: string[];
}

export interface ControlView {
  controlId: string;
  title: string;
  status: ControlStatus;
  statusLabel: string;
  evidence: string;
  rationale: string;
}

export interface FrameworkView {
  framework: FrameworkId;
  name: string;
  counts: string;
  controls: ControlView[];
}

/** A signed audit-trail head, as GET /v1/audit-events/head gives it. */
export interface TrailHeadRef {
  seq: string;
  hash: string;
  createdAt: string | null;
  signature: string;
  keyId: string;
}

export interface MethodologyItem {
  term: string;
  text: string;
}

export interface ReportViewModel {
  meta: {
    reportId: string;
    title: string;
    fingerprint: string;
    createdAt: string;
    softwareVersion: string;
    organization: string;
  };
  cover: {
    title: string;
    modelName: string;
    modelVersion: string;
    organization: string;
    period: string;
    date: string;
    auditLabel: string;
    verdict: Verdict;
    verdictLabel: 'Passes' | 'Fails' | 'Needs review' | 'Inconclusive';
    verdictExplanation: string;
    facts: MethodologyItem[];
    reportId: string;
    fingerprint: string;
  };
  executiveSummary: { findings: Finding[]; overview: string[] };
  slices: SliceView[];
  /** The calibration page (the console's calibration view); null without scores in [0, 1] and labels. */
  calibration: CalibrationView | null;
  /** The threshold page (the console's threshold what-if); null without scores in [0, 1] and labels. */
  thresholds: ThresholdPage | null;
  /**
   * The regression or multiclass section (tables, deciles of prediction, per-class figures); absent for binary
   * audits, whose groups are in `slices`.
   */
  task?: TaskReportView;
  drift: DriftView;
  compliance: { frameworks: FrameworkView[]; overview: string };
  methodology: {
    conventions: MethodologyItem[];
    provenance: MethodologyItem[];
    suppressionStatement: string;
  };
  suppressionApplied: boolean;
}
