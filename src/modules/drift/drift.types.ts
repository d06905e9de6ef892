import type { DriftReport, DriftThresholds, TimelineMetricKey, TimelinePoint } from '../../core/drift';

/** What DriftService returns; the controller maps each to its DTO (drift.mapper.ts). */

export const BASELINE_SOURCES = ['query', 'pinned', 'previous', 'none'] as const;
/** Where the baseline came from: ?baseline=, the model's pinned baseline, the previous audit, or none. */
export type BaselineSource = (typeof BASELINE_SOURCES)[number];

/** Drift of one audit against its baseline (no baseline: source "none", status ok, no checks). */
export interface DriftOutcome {
  auditId: string;
  baselineAuditId: string | null;
  baselineSource: BaselineSource;
  thresholds: DriftThresholds;
  report: DriftReport;
  /** The audit is itself the model's pinned baseline (so "none" does not mean nothing is pinned). */
  isPinnedBaseline?: boolean;
}

/** A model's drift thresholds: the overrides it stores and the thresholds in force. */
export interface DriftPolicy {
  modelId: string;
  overrides: Partial<DriftThresholds>;
  thresholds: DriftThresholds;
}

/** A metric's per-group values over a model's audits, oldest first. */
export interface ModelTimeline {
  modelId: string;
  metric: TimelineMetricKey;
  /** The slice, as given. */
  attributes: string[];
  points: ModelTimelinePoint[];
}

/** One audit on the timeline: core's point with the audit's name and times. */
export interface ModelTimelinePoint extends TimelinePoint {
  name: string | null;
  periodEnd: string | null;
  createdAt: string;
}
