import { DomainError } from '../errors';
import type { GroupResult, MetricKey, SliceSummary } from '../fairness/types';
import { METRIC_KEYS } from '../fairness/types';
import { sliceId } from './slices';

/** What the timeline reads of a stored slice (a SliceResult has it all). */
export interface TimelineSlice {
  attributes: readonly string[];
  groups: readonly Pick<GroupResult, 'key' | 'count' | 'metrics'>[];
  summary: SliceSummary;
}

export interface TimelineInput {
  auditId: string;
  /** ISO 8601 timestamp of the audit. */
  at: string;
  /** The audit's result, or only the slices of it that were loaded (a FairnessResult fits). */
  result: { slices: readonly TimelineSlice[] };
}

export interface TimelineGroup {
  key: Record<string, string>;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  count: number;
}

export interface TimelinePoint {
  auditId: string;
  at: string;
  /** Empty, with a null summary, when the audit has no such slice (a gap in the chart). */
  groups: TimelineGroup[];
  summary: SliceSummary | null;
}

/**
 * One point per audit for a chart of `metric` over time in one slice, sorted by `at` ascending (ties by
 * auditId). `attribute` names the slice: "race", or "race,sex" for an intersection (any order).
 * Unknown metric, unparsable `at`, or a slice that no audit has → DomainError('invalid_input').
 */
export function buildTimeline(
  points: readonly TimelineInput[],
  metric: string,
  attribute: string,
): TimelinePoint[] {
  if (!isMetricKey(metric))
    throw new DomainError('invalid_input', `Unknown metric "${metric}".`, [
      { field: 'metric', message: 'unknown metric' },
    ]);
  const wanted = sliceId(attribute.split(',').map((name) => name.trim()));
  const timed = points.map((point) => ({ point, time: parseTime(point.at) }));
  timed.sort((a, b) => a.time - b.time || compareIds(a.point.auditId, b.point.auditId));
  const timeline = timed.map(({ point }) => timelinePoint(point, metric, wanted));
  if (timeline.length > 0 && timeline.every((point) => point.summary === null)) {
    throw new DomainError('invalid_input', `No audit has the slice "${attribute}".`, [
      { field: 'attribute', message: 'unknown attribute' },
    ]);
  }
  return timeline;
}

function timelinePoint(point: TimelineInput, metric: MetricKey, wanted: string): TimelinePoint {
  const slice = point.result.slices.find((candidate) => sliceId(candidate.attributes) === wanted);
  const groups = (slice?.groups ?? []).map((group) => {
    const value = group.metrics[metric];
    return {
      key: group.key,
      value: value?.value ?? null,
      ciLow: value?.ciLow ?? null,
      ciHigh: value?.ciHigh ?? null,
      count: group.count,
    };
  });
  return { auditId: point.auditId, at: point.at, groups, summary: slice?.summary ?? null };
}

function isMetricKey(metric: string): metric is MetricKey {
  return (METRIC_KEYS as readonly string[]).includes(metric);
}

function parseTime(at: string): number {
  const time = Date.parse(at);
  if (Number.isNaN(time))
    throw new DomainError('invalid_input', `"${at}" is not an ISO timestamp.`, [
      { field: 'at', message: 'not an ISO timestamp' },
    ]);
  return time;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
