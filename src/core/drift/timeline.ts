import { DomainError } from '../errors';
import type { GroupResult, MetricValue, SliceSummary } from '../fairness/types';
import { METRIC_KEYS } from '../fairness/types';
import type { RegressionSliceSummary } from '../tasks/types';
import { REGRESSION_METRIC_KEYS } from '../tasks/types';
import { sliceId } from './slices';

/**
 * Per-group keys a timeline can chart, for every task: the binary rates, the regression keys
 * (mean_absolute_error, ...), and a multiclass group's accuracy. A multiclass class's one-vs-rest rates are
 * nested per class in the result, not per-group keys, so they are not on this list.
 */
export const TIMELINE_METRIC_KEYS = [
  ...new Set([...METRIC_KEYS, ...REGRESSION_METRIC_KEYS, 'accuracy' as const]),
] as const;
export type TimelineMetricKey = (typeof TIMELINE_METRIC_KEYS)[number];

/** A slice summary of any task: the binary keys, or a regression slice's largest gaps. */
export type TimelineSummary = SliceSummary | RegressionSliceSummary;

/** What the timeline reads of a stored slice (a SliceResult has it all). */
export interface TimelineSlice {
  attributes: readonly string[];
  groups: readonly (Pick<GroupResult, 'key' | 'count'> & {
    metrics: Partial<Record<TimelineMetricKey, MetricValue>>;
  })[];
  summary: TimelineSummary;
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
  summary: TimelineSummary | null;
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
  if (!isTimelineMetricKey(metric))
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

function timelinePoint(point: TimelineInput, metric: TimelineMetricKey, wanted: string): TimelinePoint {
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

export function isTimelineMetricKey(metric: string): metric is TimelineMetricKey {
  return (TIMELINE_METRIC_KEYS as readonly string[]).includes(metric);
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
