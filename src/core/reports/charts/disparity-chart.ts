/**
 * One slice's disparity chart: each group's ratio to the reference (a mark, with its interval as a line), the
 * fairness band shaded and a dashed line at 1 (parity). One row per group, top to bottom in table order.
 */
import { formatNumber, metricLabel } from '../format';
import { BAND_COLOR, RULE_COLOR, STATUS_COLORS, wrapList } from './model';
import type { ChartModel, ChartSeries, MarkShape } from './model';

export interface DisparityDatum {
  group: string;
  ratio: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  reference?: boolean;
  /** Band status decided by the caller from the unrounded ratio (the table's flag); else from `ratio`. */
  band?: 'within' | 'outside';
  /** Hidden by small-cell suppression: left out of the chart, listed in the subtitle. */
  suppressed?: boolean;
}

export interface DisparityChartInput {
  title: string;
  groups: DisparityDatum[];
}

/** The one rule for "outside band", shared by the table flag and the chart mark (inclusive band). */
export function bandStatus(ratio: number, band: readonly [number, number]): 'within' | 'outside' {
  return ratio >= band[0] && ratio <= band[1] ? 'within' : 'outside';
}

const STATUSES: { key: 'within' | 'outside' | 'reference'; label: string; shape: MarkShape }[] = [
  { key: 'within', label: 'Within band', shape: 'circle' },
  { key: 'outside', label: 'Outside band', shape: 'triangle-down' },
  { key: 'reference', label: 'Reference', shape: 'square' },
];

/** The ratio axis: the band and every shown ratio and interval, with 0.1 of room, within 0–5, in tenths. */
export function disparityDomain(
  values: readonly { ratio: number; lo: number; hi: number }[],
  band: readonly [number, number],
): [number, number] {
  const lo = Math.max(0, Math.min(band[0] - 0.1, ...values.map((v) => Math.min(v.ratio, v.lo))));
  const hi = Math.min(Math.max(band[1] + 0.1, ...values.map((v) => Math.max(v.ratio, v.hi))), 5);
  return [Math.floor(lo * 10) / 10, Math.ceil(hi * 10) / 10];
}

export function disparityChart(
  slice: DisparityChartInput,
  metric = 'selection_rate',
  band: [number, number] = [0.8, 1.25],
): ChartModel {
  const shown = slice.groups.filter((g) => !g.suppressed && g.ratio !== null && Number.isFinite(g.ratio));
  const hidden = slice.groups.filter((g) => g.suppressed).map((g) => g.group);
  const undefinedRatio = slice.groups
    .filter((g) => !g.suppressed && (g.ratio === null || !Number.isFinite(g.ratio)))
    .map((g) => g.group);
  const rows = shown.map((g) => {
    const ratio = g.ratio ?? 0;
    const status: 'within' | 'outside' | 'reference' = g.reference
      ? 'reference'
      : (g.band ?? bandStatus(ratio, band));
    return { group: g.group, ratio, lo: g.ciLow ?? ratio, hi: g.ciHigh ?? ratio, status };
  });
  const series: ChartSeries[] = STATUSES.map((s) => ({
    label: s.label,
    color: STATUS_COLORS[s.key],
    shape: s.shape,
    line: false,
    intervalAxis: 'x',
    points: rows
      .filter((r) => r.status === s.key)
      .map((r) => ({ x: r.ratio, y: r.group, lo: r.lo, hi: r.hi })),
  }));
  const subtitle = [`Shaded: fairness band ${band[0]}–${band[1]}; line at 1 = parity with the reference`];
  if (hidden.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', hidden));
  if (undefinedRatio.length > 0) subtitle.push(...wrapList('Not shown (undefined ratio)', undefinedRatio));
  const label = metricLabel(metric);
  const described = rows.map(
    (r) =>
      `${r.group} ${formatNumber(r.ratio)} (${formatNumber(r.lo)}–${formatNumber(r.hi)}), ${STATUSES.find((s) => s.key === r.status)?.label.toLowerCase()}`,
  );
  return {
    kind: 'disparity',
    title: `${label} ratio vs reference: ${slice.title}`,
    subtitle,
    description: `${label} ratio to the reference group with 95% intervals, fairness band ${band[0]}–${band[1]}: ${described.join('; ')}.`,
    width: 380,
    height: Math.max(40, 20 * rows.length),
    x: {
      type: 'linear',
      title: 'Ratio to reference',
      domain: disparityDomain(rows, band),
      nice: false,
      grid: true,
    },
    y: { type: 'category', title: null, values: rows.map((r) => r.group), labelAngle: 0 },
    bands: [{ axis: 'x', from: band[0], to: band[1], color: BAND_COLOR }],
    rules: [{ axis: 'x', value: 1, color: RULE_COLOR, dashed: true }],
    segments: [],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}
