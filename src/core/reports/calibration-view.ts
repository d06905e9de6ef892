/**
 * The report's calibration page (issue 18): per slice, each shown group's reliability curve (observed rate by
 * mean score in 10 score bins, with Wilson intervals) and a table of its observed/expected ratio and
 * calibration slope with their intervals. Only for audits whose scores are probabilities (in [0, 1]).
 *
 * Disclosure (docs/disclosure-control.md): a group is left out, and named, when its table hides its count or
 * its base rate (the events O/E rests on); a bin is plotted only when it holds at least 11 people and its
 * events and non-events are each 0 or at least 11, so no count of 1 to 10 can be read or worked out from a
 * point. Bin counts are never printed; values carry the printed precision (2 decimals).
 */
import type { CalibrationReport, CurvePoint, Estimate } from '../score-quality';
import { published } from './disclosure';
import { formatValueWithInterval, groupLabel, SUPPRESSED_TEXT } from './format';
import { RULE_COLOR, seriesColor, wrapList } from './charts/model';
import type { ChartModel, ChartSeries } from './charts/model';

/** The smallest bin, event or non-event count a plotted bin may rest on. */
const MIN_CELL = 11;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** What the calibration view needs of the report's suppression index. */
export interface CalibrationSuppression {
  valueHidden(key: Record<string, string>, metric: string): boolean;
}

export interface CalibrationRow {
  label: string;
  observedExpected: string;
  slope: string;
}

export interface CalibrationSliceView {
  title: string;
  chart: ChartModel | null;
  rows: CalibrationRow[];
  omitted: string[];
  /** Why there is no chart, when there is none. */
  note: string | null;
}

export interface CalibrationView {
  slices: CalibrationSliceView[];
  notes: string[];
}

/** 0 or at least MIN_CELL (a count of 1 to 10 is never shown nor derivable). */
const safe = (n: number): boolean => Math.abs(n) < 1e-9 || n >= MIN_CELL - 1e-9;

/** Whether a bin may be plotted: enough people, and its events and non-events each 0 or ≥ 11. */
export function binShown(p: CurvePoint): boolean {
  if (p.observedRate === null || p.meanScore === null || p.count < MIN_CELL) return false;
  const events = p.observedRate * p.count;
  return safe(events) && safe(p.count - events);
}

function estimateText(e: Estimate): string {
  return formatValueWithInterval(published(e.value), published(e.ciLow), published(e.ciHigh)).text;
}

/** One slice's reliability curves as a chart model: one line per shown group, the diagonal for reference. */
export function reliabilityChart(
  title: string,
  groups: readonly { label: string; curve: readonly CurvePoint[] }[],
  omitted: readonly string[],
): ChartModel | null {
  const series: ChartSeries[] = groups
    .map((g, i) => ({
      label: g.label,
      color: seriesColor(i),
      shape: 'circle' as const,
      line: true,
      intervalAxis: 'y' as const,
      points: g.curve.filter(binShown).map((p) => ({
        x: published(p.meanScore) ?? 0,
        y: published(p.observedRate) ?? 0,
        lo: published(p.ciLow ?? p.observedRate) ?? 0,
        hi: published(p.ciHigh ?? p.observedRate) ?? 0,
      })),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return null;
  const subtitle = ['Dashed: perfect calibration (observed = predicted); bars: 95% Wilson intervals'];
  if (omitted.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', omitted));
  const described = series.map(
    (s) => `${s.label}: ${s.points.map((p) => `${String(p.x)} → ${String(p.y)}`).join(', ')}`,
  );
  const axis = {
    type: 'linear' as const,
    domain: [0, 1] as [number, number],
    nice: false,
    ticks: TICKS,
    grid: true,
  };
  return {
    kind: 'reliability',
    title: `Calibration by ${title}`,
    subtitle,
    description: `Observed rate against mean predicted risk per score bin, by ${title}. ${described.join('; ')}.`,
    width: 260,
    height: 200,
    x: { ...axis, title: 'Mean predicted risk (score bin)' },
    y: { ...axis, title: 'Observed rate' },
    bands: [],
    rules: [],
    segments: [{ from: [0, 0], to: [1, 1], color: RULE_COLOR, dashed: true }],
    series,
    legend: series.map((s) => ({ label: s.label, color: s.color, shape: s.shape })),
  };
}

/** The calibration page, or null when the audit has no calibration (no scores in [0, 1], or no labels). */
export function buildCalibrationView(
  report: CalibrationReport | null | undefined,
  idx: CalibrationSuppression,
): CalibrationView | null {
  if (!report) return null;
  const flags = report.overall.metrics.flags;
  if (flags.includes('scores_outside_unit_interval') || flags.includes('no_scores_or_labels')) return null;
  const slices = report.slices.map((s): CalibrationSliceView => {
    const title = s.attributes.join(' × ');
    const shown = s.groups.filter(
      (g) => !idx.valueHidden(g.key, 'count') && !idx.valueHidden(g.key, 'base_rate'),
    );
    const omitted = s.groups.filter((g) => !shown.includes(g)).map((g) => groupLabel(g.key, s.attributes));
    const labelled = shown.map((g) => ({ ...g, label: groupLabel(g.key, s.attributes) }));
    const chart = reliabilityChart(title, labelled, omitted);
    return {
      title,
      chart,
      note: chart
        ? null
        : labelled.length === 0
          ? 'No group of this slice can be shown (small-cell suppression).'
          : `No score bin can be plotted: each holds fewer than ${MIN_CELL} people, or 1 to 10 people with or without the outcome.`,
      rows: [
        ...labelled.map((g) => ({
          label: g.label,
          observedExpected: estimateText(g.metrics.observed_expected_ratio),
          slope: estimateText(g.metrics.calibration_slope),
        })),
        ...omitted.map((label) => ({ label, observedExpected: SUPPRESSED_TEXT, slope: SUPPRESSED_TEXT })),
      ],
      omitted,
    };
  });
  const overall = report.overall.metrics;
  return {
    slices,
    notes: [
      `Whole sample: observed/expected ${estimateText(overall.observed_expected_ratio)}, calibration slope ${estimateText(overall.calibration_slope)}.`,
      'Observed/expected: the events observed divided by the sum of the scores (1 = as many events as the scores predict; above 1, the scores under-predict risk for the group). Calibration slope: from a logistic fit of the outcome on the logit of the score (1 = ideal; below 1, scores too extreme). Intervals: 95% (O/E: exp(ln(O/E) ± z/√O); slope: Wald).',
      `A bin is plotted only when it holds at least ${MIN_CELL} people and its events and non-events are each 0 or at least ${MIN_CELL}; groups whose size or outcome rate is suppressed (small-cell rules, as in the tables) are left out.`,
    ],
  };
}
