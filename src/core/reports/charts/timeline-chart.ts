/**
 * One metric over audits: one line per group (tableau10 colours in the groups' alphabetical order), audits
 * left to right, optionally the fairness band shaded.
 */
import { formatNumber, metricLabel } from '../format';
import { BAND_COLOR, seriesColor, wrapList } from './model';
import type { ChartModel, ChartSeries } from './model';

export interface TimelineChartPoint {
  at: string;
  auditId: string;
  group: string;
  value: number | null;
  /** The audit's words on the axis (its name or period): used when every point has one. */
  label?: string;
}

export interface TimelineChartOptions {
  title?: string;
  /** Shaded horizontal band (e.g. the fairness band for a ratio metric). */
  band?: [number, number];
  /** Groups left out because of small-cell suppression (named in the subtitle). */
  omittedGroups?: string[];
}

/**
 * Each audit's name on the x axis: its label when every point has one; else its date when every audit falls
 * on its own day; else its position ("Audit 1", "Audit 2", ...).
 */
export function auditLabels(points: readonly TimelineChartPoint[]): Map<string, string> {
  const days = new Map<string, string>();
  for (const p of points) if (!days.has(p.auditId)) days.set(p.auditId, p.at.slice(0, 10));
  const labelled = points.length > 0 && points.every((p) => p.label !== undefined && p.label !== '');
  const byDate = new Set(days.values()).size === days.size;
  const out = new Map<string, string>();
  [...days.keys()].forEach((auditId, i) => {
    const first = points.find((p) => p.auditId === auditId);
    out.set(auditId, labelled ? (first?.label ?? '') : byDate ? (days.get(auditId) ?? '') : `Audit ${i + 1}`);
  });
  return out;
}

/** The y axis: every value drawn and the band; a single value gets ±0.5 around it. */
export function timelineDomain(
  values: readonly number[],
  band?: readonly [number, number],
): [number, number] {
  const ys = [...values, ...(band ?? [])];
  if (ys.length === 0) return [0, 1];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

export function timelineChart(
  points: readonly TimelineChartPoint[],
  metric: string,
  options: TimelineChartOptions = {},
): ChartModel {
  const labels = auditLabels(points);
  const drawn = points.filter((p): p is TimelineChartPoint & { value: number } => {
    return p.value !== null && Number.isFinite(p.value);
  });
  const groups = [...new Set(drawn.map((p) => p.group))].sort();
  const series: ChartSeries[] = groups.map((group, i) => ({
    label: group,
    color: seriesColor(i),
    shape: 'circle',
    line: true,
    intervalAxis: null,
    points: drawn
      .filter((p) => p.group === group)
      .map((p) => ({ x: labels.get(p.auditId) ?? '', y: p.value })),
  }));
  const subtitle: string[] = [];
  if (options.band) subtitle.push(`Shaded: fairness band ${options.band[0]}–${options.band[1]}`);
  if (options.omittedGroups && options.omittedGroups.length > 0)
    subtitle.push(...wrapList('Not shown (small-cell suppression)', options.omittedGroups));
  const label = metricLabel(metric);
  const title = options.title ?? `${label} across audits`;
  const described = series.map(
    (s) => `${s.label}: ${s.points.map((p) => `${p.x} ${formatNumber(Number(p.y))}`).join(', ')}`,
  );
  return {
    kind: 'timeline',
    title,
    subtitle,
    description: `${title}, one line per group. ${described.length > 0 ? `${described.join('; ')}.` : 'No group can be shown.'}`,
    width: 400,
    height: 150,
    x: { type: 'category', title: 'Audit', values: [...new Set(labels.values())], labelAngle: -30 },
    y: {
      type: 'linear',
      title: label,
      domain: timelineDomain(
        drawn.map((p) => p.value),
        options.band,
      ),
      nice: true,
      grid: true,
    },
    bands: options.band ? [{ axis: 'y', from: options.band[0], to: options.band[1], color: BAND_COLOR }] : [],
    rules: [],
    segments: [],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}
