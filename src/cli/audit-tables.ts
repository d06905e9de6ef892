/**
 * The tables the CLI prints about an audit: groups worst disparity first, slice summaries as a report
 * publishes them, and controls; every figure passes the reports' disclosure rules (no count 1 to 10 printed
 * or derivable). Not to be confused with the API's audit headline (src/modules/audits/audit-headline.ts).
 */
import type { ControlOutcome, GroupResult, Metrics } from '../client';
import { rankDisparities, worstPerGroup, type RankedDisparity } from '../core/fairness/rank-disparities';
import type { RateKey, SliceResult, SliceSummary } from '../core/fairness/types';
import { suppressSlice, type GroupSuppression } from '../core/reports/suppression';
import { publishedSummary } from '../core/reports/slice-view';
import { SuppressionIndex } from '../core/reports/suppression-index';
import { groupLabel, num, pValue, renderTable, safeCount } from './table';

/** The rates whose ratio to the reference group ranks a group's disparity. */
export const RANKED_RATES = [
  'selection_rate',
  'false_positive_rate',
  'false_negative_rate',
  'true_positive_rate',
  'positive_predictive_value',
] as const;

export interface DisparityRow {
  attributes: string[];
  group: string;
  count: number;
  /** The count as printed: "<=10" for 1 to 10, "suppressed" for a complementary cell (disclosure control). */
  countText: string;
  /** Rates not printed (they could reveal a count of 1 to 10). */
  hidden: string[];
  reference: boolean;
  selectionRate: number | null;
  falsePositiveRate: number | null;
  truePositiveRate: number | null;
  /** The rate whose ratio to the reference is farthest from 1 (null for the reference and undefined ratios). */
  worstMetric: string | null;
  worstRatio: number | null;
  worstPValueAdjusted: number | null;
  /** |ln ratio| of the worst rate: 0 = parity, Infinity = a rate of 0 against a positive reference. */
  severity: number;
  flags: string[];
}

function rowOf(
  attributes: string[],
  group: GroupResult,
  sup: GroupSuppression | undefined,
  worst: RankedDisparity | undefined,
): DisparityRow {
  const hiddenRate = (k: string): boolean =>
    (sup?.countSuppressed ?? false) || sup?.suppressedMetrics[k as RateKey] !== undefined;
  const m = group.metrics;
  return {
    attributes,
    group: groupLabel(group.key),
    count: group.count,
    countText: sup?.countSuppressed
      ? sup.countReason === 'small_count'
        ? '<=10'
        : 'suppressed'
      : String(group.count),
    hidden: ['selection_rate', 'false_positive_rate', 'true_positive_rate'].filter(hiddenRate),
    reference: group.flags.includes('reference'),
    selectionRate: hiddenRate('selection_rate') ? null : (m.selection_rate?.value ?? null),
    falsePositiveRate: hiddenRate('false_positive_rate') ? null : (m.false_positive_rate?.value ?? null),
    truePositiveRate: hiddenRate('true_positive_rate') ? null : (m.true_positive_rate?.value ?? null),
    worstMetric: worst?.rate ?? null,
    worstRatio: worst?.ratio ?? null,
    worstPValueAdjusted: worst?.disparity.pValueAdjusted ?? null,
    severity: worst?.distance ?? -1,
    flags: group.flags,
  };
}

/**
 * One row per group of every slice (attributes, then intersections), worst disparity first: the groups in
 * the order of core's rankDisparities (each by its rate whose published ratio to the reference is farthest
 * from 1, |ln ratio|), then the groups without a comparable rate, then the reference groups, each in the
 * server's order.
 */
export function disparityRows(metrics: Metrics): DisparityRow[] {
  const idx = new SuppressionIndex(metrics.slices);
  const worst = worstPerGroup(
    rankDisparities(metrics.slices, {
      rates: RANKED_RATES,
      hidden: (slice, group, rate, comparator) => idx.ratioHidden(slice, group, rate, comparator),
    }),
  );
  const rowAt = (slice: number, group: number, w?: RankedDisparity): DisparityRow => {
    const s = metrics.slices[slice]!;
    return rowOf(s.attributes, s.groups[group]!, idx.slices[slice]?.sup.groups[group], w);
  };
  const ranked = new Set(worst.map((w) => `${w.slice}:${w.group}`));
  const rest = metrics.slices.flatMap((s, si) =>
    s.groups.flatMap((_, gi) => (ranked.has(`${si}:${gi}`) ? [] : [rowAt(si, gi)])),
  );
  return [
    ...worst.map((w) => rowAt(w.slice, w.group, w)),
    ...rest.filter((r) => !r.reference),
    ...rest.filter((r) => r.reference),
  ];
}

/** The audit's counts and overall rates as the CLI may print them (publishedOverall). */
export interface PublishedOverall {
  /** A count of rows or people: "<=10" for 1 to 10, "suppressed" when a slice's total must not be shown. */
  count: (n: number) => string;
  /** An overall rate with four decimals, "suppressed" when it rests on 1 to 10 people, "-" when undefined. */
  rate: (key: RateKey) => string;
}

/**
 * The audit's overall figures under the reports' disclosure rules: the whole audit is one group for
 * suppressSlice, so an overall rate whose numerator, denominator or their difference is 1 to 10 is not
 * printed (with a count shown, it would give that number back), and a count of 1 to 10 is "<=10". When a
 * slice's total must not be shown (one hidden group and no partner to hide with it), no row count is, as in
 * the report's "Rows" line.
 */
export function publishedOverall(metrics: Metrics): PublishedOverall {
  const { overall } = metrics;
  const whole = {
    key: {},
    count: overall.count,
    share: 1,
    metrics: overall.metrics,
    disparities: {},
    flags: [],
  };
  const sup = suppressSlice({ attributes: [], reference: {}, groups: [whole] }).groups[0];
  const totalHidden = new SuppressionIndex(metrics.slices).totalSuppressed;
  return {
    count: (n) => (totalHidden ? 'suppressed' : safeCount(n)),
    rate: (key) =>
      sup === undefined || sup.countSuppressed || sup.suppressedMetrics[key] !== undefined
        ? 'suppressed'
        : num(overall.metrics[key]?.value),
  };
}

const SHORT: Record<string, string> = {
  selection_rate: 'selection rate',
  false_positive_rate: 'FPR',
  false_negative_rate: 'FNR',
  true_positive_rate: 'TPR',
  positive_predictive_value: 'PPV',
};

const shown = (r: DisparityRow, key: string, v: number | null): string =>
  r.hidden.includes(key) ? 'suppressed' : num(v);

export interface PublishedSliceRow {
  attributes: string[];
  reference: Record<string, string>;
  summary: SliceSummary;
}

/**
 * Each slice's summary as a report prints it (core's publishedSummary): over the groups with at least
 * minGroupSize people whose rates are shown, so no figure is driven by, or reveals, a count of 1 to 10.
 */
export function publishedSliceRows(metrics: Metrics): PublishedSliceRow[] {
  const c = metrics.conventions;
  return new SuppressionIndex(metrics.slices as unknown as SliceResult[]).slices.map((s) => ({
    attributes: s.slice.attributes,
    reference: s.slice.reference,
    summary: publishedSummary(s, c.minGroupSize, c.favorableOutcome).summary,
  }));
}

export function renderDisparityTable(rows: readonly DisparityRow[]): string {
  return renderTable(rows, [
    { header: 'ATTRIBUTE', value: (r) => r.attributes.join(' × ') },
    { header: 'GROUP', value: (r) => r.group },
    { header: 'N', value: (r) => r.countText, align: 'right' },
    { header: 'SELECTION', value: (r) => shown(r, 'selection_rate', r.selectionRate), align: 'right' },
    { header: 'FPR', value: (r) => shown(r, 'false_positive_rate', r.falsePositiveRate), align: 'right' },
    { header: 'TPR', value: (r) => shown(r, 'true_positive_rate', r.truePositiveRate), align: 'right' },
    { header: 'WORST', value: (r) => (r.worstMetric ? (SHORT[r.worstMetric] ?? r.worstMetric) : '-') },
    { header: 'RATIO', value: (r) => num(r.worstRatio, 3), align: 'right' },
    { header: 'P_ADJ', value: (r) => pValue(r.worstPValueAdjusted), align: 'right' },
    { header: 'FLAGS', value: (r) => r.flags.join(',') },
  ]);
}

/** One line per control; with `rationale`, the verdict's one-sentence reason as the last column. */
export function renderControlsTable(
  outcomes: readonly ControlOutcome[],
  options: { rationale?: boolean } = {},
): string {
  return renderTable(outcomes, [
    { header: 'FRAMEWORK', value: (o) => o.framework },
    { header: 'CONTROL', value: (o) => o.controlId },
    { header: 'STATUS', value: (o) => o.status.toUpperCase() },
    { header: 'TITLE', value: (o) => o.title },
    ...(options.rationale ? [{ header: 'RATIONALE', value: (o: ControlOutcome) => o.rationale }] : []),
  ]);
}
