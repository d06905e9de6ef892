import { DEFAULT_DRIFT_THRESHOLDS, type DriftStatus } from '../../core/drift';
import type { BaselineSource, DriftOutcome, DriftPolicy, ModelTimeline } from './drift.types';
import type { DriftCountsDto, DriftReportDto } from './dto/drift.dto';
import type { DriftPolicyResponseDto } from './dto/drift-policy.dto';
import type { TimelineDto } from './dto/timeline.dto';

const SOURCE_WORDS: Record<Exclude<BaselineSource, 'none'>, string> = {
  query: 'the requested baseline',
  pinned: "the model's pinned baseline",
  previous: 'the previous audit of the model',
};

export function toDriftReportDto(outcome: DriftOutcome): DriftReportDto {
  const { report } = outcome;
  const counts = countByStatus(report.checks.map((check) => check.status));
  return {
    auditId: outcome.auditId,
    baselineAuditId: outcome.baselineAuditId,
    baselineSource: outcome.baselineSource,
    status: report.status,
    counts,
    checks: report.checks,
    thresholds: outcome.thresholds,
    message: summarize(outcome, counts),
  };
}

function countByStatus(statuses: DriftStatus[]): DriftCountsDto {
  const counts: DriftCountsDto = { alert: 0, warning: 0, ok: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

function summarize(outcome: DriftOutcome, counts: DriftCountsDto): string {
  if (outcome.baselineSource === 'none' || outcome.baselineAuditId === null) {
    return outcome.isPinnedBaseline
      ? "Nothing to compare with: this audit is the model's pinned baseline and the first audit of the model. Compare it with a later audit with ?baseline=."
      : 'Nothing to compare with yet: this is the first audit of the model and no baseline is pinned. Submit another audit or pin a baseline.';
  }
  const against = `${SOURCE_WORDS[outcome.baselineSource]} (audit ${outcome.baselineAuditId})`;
  if (counts.alert === 0 && counts.warning === 0)
    return `No drift against ${against}: all ${counts.ok} checks are ok.`;
  return `Against ${against}: ${plural(counts.alert, 'alert')}, ${plural(counts.warning, 'warning')}, ${counts.ok} checks ok.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function toDriftPolicyDto(p: DriftPolicy): DriftPolicyResponseDto {
  return {
    modelId: p.modelId,
    thresholds: p.thresholds,
    overrides: p.overrides,
    defaults: DEFAULT_DRIFT_THRESHOLDS,
  };
}

export function toTimelineDto(t: ModelTimeline): TimelineDto {
  return {
    modelId: t.modelId,
    metric: t.metric,
    attributes: t.attributes,
    points: t.points.map((p) => ({
      auditId: p.auditId,
      name: p.name,
      at: p.at,
      periodEnd: p.periodEnd,
      createdAt: p.createdAt,
      groups: p.groups,
      summary: p.summary,
    })),
  };
}
