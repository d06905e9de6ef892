/**
 * Chart models of the score-quality views: the reliability curve by group and the threshold curves (net
 * benefit, alerts per 1,000) by group. Each takes plain typed series (what is plotted); callers pass
 * disclosure-checked points only, and groups left out are named in the subtitle. One colour per group, in
 * the groups' alphabetical order (tableau10), as Vega colours a nominal field.
 */
import { RULE_COLOR, seriesColor, wrapList } from './charts/model';
import type { ChartModel, ChartSeries, LinearAxis } from './charts/model';

const GUIDE = '#9e9e9e';

export interface ReliabilityPoint {
  group: string;
  meanScore: number;
  observedRate: number;
  ciLow: number;
  ciHigh: number;
}

export interface ThresholdCurvePoint {
  group: string;
  threshold: number;
  value: number;
}

const unitAxis = (title: string): LinearAxis => ({
  type: 'linear',
  title,
  domain: [0, 1],
  nice: false,
  ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
  grid: true,
});

/** One series per group (alphabetical, tableau10), its points in the order given. */
function seriesByGroup<P extends { group: string }>(
  points: readonly P[],
  point: (p: P) => ChartSeries['points'][number],
  intervals: boolean,
): ChartSeries[] {
  return [...new Set(points.map((p) => p.group))].sort().map((group, i) => ({
    label: group,
    color: seriesColor(i),
    shape: 'circle',
    line: true,
    intervalAxis: intervals ? 'y' : null,
    points: points.filter((p) => p.group === group).map(point),
  }));
}

function describe(series: readonly ChartSeries[]): string {
  return series
    .map((s) => `${s.label}: ${s.points.map((p) => `${String(p.x)} → ${String(p.y)}`).join(', ')}`)
    .join('; ');
}

/** Observed rate against mean score per bin, one colour per group, Wilson intervals, the diagonal. */
export function reliabilityChart(title: string, points: ReliabilityPoint[], leftOut: string[]): ChartModel {
  const subtitle = [
    'On the diagonal, the scores are calibrated: observed rate = mean score. Bars: 95% Wilson.',
  ];
  if (leftOut.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', leftOut));
  const series = seriesByGroup(
    points,
    (p) => ({ x: p.meanScore, y: p.observedRate, lo: p.ciLow, hi: p.ciHigh }),
    true,
  );
  return {
    kind: 'reliability',
    title: `Reliability: ${title}`,
    subtitle,
    description: `Observed rate against mean score per score bin, by group. ${describe(series)}.`,
    width: 320,
    height: 240,
    x: unitAxis('Mean score in bin'),
    y: unitAxis('Observed rate'),
    bands: [],
    rules: [],
    segments: [{ from: [0, 0], to: [1, 1], color: GUIDE, dashed: true }],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}

/** One figure (net benefit, alerts per 1,000) against the threshold, one line per group. */
export function thresholdChart(
  title: string,
  yTitle: string,
  points: ThresholdCurvePoint[],
  auditThreshold: number,
  leftOut: string[],
): ChartModel {
  const subtitle = [
    `Dashed: the audit's threshold ${auditThreshold}. Thresholds whose figures are suppressed are skipped.`,
  ];
  if (leftOut.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', leftOut));
  const series = seriesByGroup(points, (p) => ({ x: p.threshold, y: p.value }), false);
  const values = points.map((p) => p.value);
  const lo = values.length > 0 ? Math.min(...values) : 0;
  const hi = values.length > 0 ? Math.max(...values) : 1;
  return {
    kind: 'threshold',
    title,
    subtitle,
    description: `${yTitle} against the threshold, one line per group. ${describe(series)}.`,
    width: 320,
    height: 200,
    x: unitAxis('Threshold'),
    y: {
      type: 'linear',
      title: yTitle,
      domain: lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi],
      nice: true,
      grid: true,
    },
    bands: [],
    rules: [{ axis: 'x', value: auditThreshold, color: RULE_COLOR, dashed: true }],
    segments: [],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}
