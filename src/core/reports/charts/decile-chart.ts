/**
 * The Obermeyer check of a regression audit as a chart: the mean target (the outcome, e.g. cost) by decile of
 * the prediction, one line per group, with 95% intervals. Where the lines part, people with the same
 * prediction had different outcomes depending on their group (Obermeyer et al., Science 2019).
 */
import { formatNumber } from '../format';
import { seriesColor, wrapList } from './model';
import type { ChartModel, ChartSeries } from './model';

export interface DecilePoint {
  group: string;
  decile: number;
  meanTarget: number;
  ciLow: number | null;
  ciHigh: number | null;
}

const DECILE_TICKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * `points` are already disclosure-checked (published precision, cells of 1 to 10 people and their partners left
 * out); `leftOutGroups` are named in the subtitle, `cellsLeftOut` says whether some deciles of shown groups are.
 */
export function decileChart(
  title: string,
  target: string,
  points: readonly DecilePoint[],
  leftOutGroups: readonly string[],
  cellsLeftOut: boolean,
): ChartModel {
  const groups = [...new Set(points.map((p) => p.group))];
  const series: ChartSeries[] = groups.map((group, i) => ({
    label: group,
    color: seriesColor(i),
    shape: 'circle',
    line: true,
    intervalAxis: 'y',
    points: points
      .filter((p) => p.group === group)
      .sort((a, b) => a.decile - b.decile)
      .map((p) => ({
        x: p.decile,
        y: p.meanTarget,
        ...(p.ciLow !== null && p.ciHigh !== null ? { lo: p.ciLow, hi: p.ciHigh } : {}),
      })),
  }));
  const ys = points.flatMap((p) => [p.meanTarget, p.ciLow ?? p.meanTarget, p.ciHigh ?? p.meanTarget]);
  const lo = ys.length > 0 ? Math.min(...ys) : 0;
  const hi = ys.length > 0 ? Math.max(...ys) : 1;
  const subtitle = [
    `Equal predictions, equal ${target}? Lines apart at the same decile mean they are not. Bars: 95% intervals.`,
  ];
  if (cellsLeftOut)
    subtitle.push('Deciles with 1 to 10 people of a group (and those withheld with them) are left out.');
  if (leftOutGroups.length > 0)
    subtitle.push(...wrapList('Not shown (small-cell suppression)', leftOutGroups));
  const described = series.map(
    (s) =>
      `${s.label}: ${s.points.map((p) => `decile ${String(p.x)} ${formatNumber(Number(p.y))}`).join(', ')}`,
  );
  return {
    kind: 'decile',
    title: `Mean ${target} by decile of prediction: ${title}`,
    subtitle,
    description: `Mean ${target} in each decile of the prediction (cut points of the whole sample), one line per group. ${
      described.length > 0 ? `${described.join('; ')}.` : 'No group can be shown.'
    }`,
    width: 380,
    height: 200,
    x: {
      type: 'linear',
      title: 'Decile of prediction (1 = lowest)',
      domain: [1, 10],
      nice: false,
      ticks: DECILE_TICKS,
      grid: true,
    },
    y: {
      type: 'linear',
      title: `Mean ${target}`,
      domain: lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi],
      nice: true,
      grid: true,
    },
    bands: [],
    rules: [],
    segments: [],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}
