/**
 * Trend charts across audits: each attribute's per-group history, and each attribute's impact ratio over the
 * groups that may carry a published summary; a group hidden in any audit shown is left out of every audit and
 * named. The console draws its trends with trendView (through ./browser.ts).
 */
import type { ChartModel } from './charts/model';
import { timelineChart } from './charts/timeline-chart';
import type { TimelineChartPoint } from './charts/timeline-chart';
import {
  auditAxisLabels,
  evidenceMinimum,
  hiddenInAudit,
  published,
  publishedImpactRatio,
} from './disclosure';
import { groupLabel, keyId, metricLabel } from './format';
import type { SuppressionIndex } from './suppression-index';
import type { TimelinePoint, TimelineSeries } from './types';

export interface TrendView {
  title: string;
  /**
   * The points drawn, values rounded to the printed precision: a group is left out of every audit when, in
   * any audit shown, it has 1 to 10 people, its rate rests on 1 to 10 people, or it is the partner hidden
   * with such a group (hiddenInAudit); or when its figure is suppressed in this audit's tables.
   */
  points: TimelineChartPoint[];
  /** Labels of the groups left out. */
  omitted: string[];
  chart: ChartModel;
  note: string | null;
}

type TrendPoint = Pick<TimelinePoint, 'at' | 'auditId' | 'groups'> &
  Partial<Pick<TimelinePoint, 'name' | 'periodEnd'>>;

/** One attribute's per-group history as a line chart, small groups left out and named; axis by audit name. */
export function trendView(
  series: Pick<TimelineSeries, 'metric' | 'attribute'> & { points: readonly TrendPoint[] },
  idx: SuppressionIndex,
): TrendView {
  const omitted = new Set<string>();
  const drawn: TimelineChartPoint[] = [];
  const labels = auditAxisLabels(series.points);
  for (const p of series.points) {
    const hidden = hiddenInAudit(p.groups, series.metric);
    for (const g of p.groups) {
      const label = groupLabel(g.key, [series.attribute]);
      if (idx.valueHidden(g.key, series.metric) || hidden.has(keyId(g.key))) omitted.add(label);
      else
        drawn.push({
          at: p.at,
          auditId: p.auditId,
          group: label,
          value: published(g.value),
          label: labels.get(p.auditId) ?? p.at.slice(0, 10),
        });
    }
  }
  // A group hidden in any one audit is left out of every audit, so no line has a telling gap.
  const points = drawn.filter((p) => !omitted.has(p.group));
  const title = `${metricLabel(series.metric)} by ${series.attribute} across audits`;
  return {
    title,
    points,
    omitted: [...omitted],
    chart: timelineChart(points, series.metric, { title, omittedGroups: [...omitted] }),
    note:
      omitted.size > 0
        ? `Left out (small-cell suppression: in some audit shown, 1 to 10 people, a rate resting on 1 to 10 people, or withheld with such a group): ${[...omitted].join(', ')}.`
        : null,
  };
}

/**
 * The impact ratio of each attribute in each audit, over the groups that may carry a published summary in
 * that audit (at least minGroupSize people, never fewer than 11, and not hidden by hiddenInAudit), rounded
 * to the printed precision; with the groups left out named.
 */
export function summaryTrend(
  timeline: readonly TimelineSeries[],
  minGroupSize: number,
  favorable: 'positive' | 'negative',
  band: [number, number],
): { title: string; chart: ChartModel; note: string | null } | null {
  const min = evidenceMinimum(minGroupSize);
  const points: TimelineChartPoint[] = [];
  const leftOut = new Map<string, Set<string>>();
  for (const series of timeline) {
    if (series.metric !== 'selection_rate') continue;
    const labels = auditAxisLabels(series.points);
    for (const p of series.points) {
      if (p.groups.length === 0) continue;
      const hidden = hiddenInAudit(p.groups, series.metric);
      const eligible = p.groups.filter((g) => (g.count ?? 0) >= min && !hidden.has(keyId(g.key)));
      for (const g of p.groups) {
        if (eligible.includes(g)) continue;
        const set = leftOut.get(series.attribute) ?? new Set<string>();
        set.add(groupLabel(g.key, [series.attribute]));
        leftOut.set(series.attribute, set);
      }
      points.push({
        at: p.at,
        auditId: p.auditId,
        group: series.attribute,
        value: publishedImpactRatio(
          eligible.map((g) => g.value),
          favorable,
        ),
        label: labels.get(p.auditId) ?? p.at.slice(0, 10),
      });
    }
  }
  if (points.length === 0) return null;
  const title = `${metricLabel('impact_ratio')} by attribute across audits (groups of at least ${min} people)`;
  const out = [...leftOut.entries()].map(([a, set]) => `${a}: ${[...set].join(', ')}`);
  return {
    title,
    chart: timelineChart(points, 'impact_ratio', { title, band }),
    note:
      out.length > 0
        ? `Each audit's impact ratio is over the groups with at least ${min} people whose rates are shown in that audit; left out in some audit: ${out.join('; ')}.`
        : null,
  };
}
