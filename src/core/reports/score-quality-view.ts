/**
 * What the console shows of an audit's score quality: the calibration table and reliability curves, and the
 * threshold what-if (one row per group at each threshold of the grid, the equal-opportunity thresholds, the
 * net benefit and alert curves). Everything passes ./score-quality-disclosure.ts first: a figure that could
 * give away 1 to 10 people reads "suppressed" and is left out of the charts. Pure and browser-safe.
 */
import {
  equalOpportunityPublishable,
  publishedCurveGrid,
  publishedOverallCurve,
  publishedThresholdGrid,
  type CurvePointInput,
  type ThresholdGroupInput,
  type ThresholdPointInput,
} from './score-quality-disclosure';
import { reliabilityChart, thresholdChart, type ThresholdCurvePoint } from './score-quality-charts';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  formatNumber,
  formatSafeCount,
  formatValueWithInterval,
  groupLabel,
  isSmallCount,
} from './format';
import { published } from './disclosure';
import type { ChartModel } from './charts/model';

/** The audit's table suppression (SuppressionIndex): which groups and figures its tables hide. */
export interface TableDisclosure {
  readonly slices: readonly { slice: { attributes: readonly string[]; reference: Record<string, string> } }[];
  groupHidden(key: Record<string, string>): boolean;
  valueHidden(key: Record<string, string>, metric: string): boolean;
  /** The audit's row count is not printed (a single hidden group with no partner). */
  readonly totalSuppressed?: boolean;
}

const sliceTitle = (attributes: readonly string[]): string => attributes.join(' × ');

/** A group's size as printed: "≤10" for 1 to 10, "suppressed" for a partner hidden with a smaller group. */
function countText(count: number, hidden: boolean): string {
  if (isSmallCount(count)) return SMALL_COUNT_TEXT;
  return hidden ? SUPPRESSED_TEXT : formatSafeCount(count);
}

// ---------------------------------------------------------------- thresholds

/** The figures of one group at one threshold, as printed. */
export interface ThresholdFigures {
  selection_rate: string;
  true_positive_rate: string;
  false_positive_rate: string;
  positive_predictive_value: string;
  alerts_per_1000: string;
  net_benefit: string;
}

export const THRESHOLD_COLUMNS: readonly { key: keyof ThresholdFigures; header: string }[] = [
  { key: 'selection_rate', header: 'Selection rate' },
  { key: 'true_positive_rate', header: 'TPR' },
  { key: 'false_positive_rate', header: 'FPR' },
  { key: 'positive_predictive_value', header: 'PPV' },
  { key: 'alerts_per_1000', header: 'Alerts per 1,000' },
  { key: 'net_benefit', header: 'Net benefit' },
];

function figures(p: Omit<ThresholdPointInput, 'threshold'>): ThresholdFigures {
  return {
    selection_rate: formatNumber(p.selection_rate),
    true_positive_rate: formatNumber(p.true_positive_rate),
    false_positive_rate: formatNumber(p.false_positive_rate),
    positive_predictive_value: formatNumber(p.positive_predictive_value),
    alerts_per_1000: formatNumber(p.alerts_per_1000, 0),
    net_benefit: formatNumber(p.net_benefit, 3),
  };
}

export interface EqualOpportunityView {
  threshold: string;
  true_positive_rate: string;
  alerts_per_1000: string;
  net_benefit: string;
  /** Words: "within 0.02 of the target", "no threshold reaches the target", "suppressed". */
  note: string;
}

export interface ThresholdGroupView {
  key: Record<string, string>;
  label: string;
  count: string;
  /** Left out of the view entirely (the audit's table hides the group). */
  hidden: boolean;
  /** Per threshold of the grid: the figures, or null where they are suppressed. */
  points: (ThresholdFigures | null)[];
  equalOpportunity: EqualOpportunityView;
}

export interface ThresholdSliceView {
  title: string;
  /** The reference group's TPR at the audit's threshold, as printed ("suppressed" when the table hides it). */
  target: string;
  groups: ThresholdGroupView[];
  netBenefitChart: ChartModel;
  alertsChart: ChartModel;
}

export interface ThresholdsView {
  thresholds: number[];
  auditThreshold: number;
  /** Index of the grid threshold nearest the audit's own (where the slider starts). */
  startIndex: number;
  slices: ThresholdSliceView[];
}

export interface ThresholdsInput {
  thresholds: number[];
  auditThreshold: number;
  slices: {
    attributes: string[];
    equalOpportunityTarget: number | null;
    groups: (ThresholdGroupInput & {
      equalOpportunity: NonNullable<ThresholdGroupInput['equalOpportunity']>;
    })[];
  }[];
}

function equalOpportunityView(
  g: ThresholdGroupInput,
  shown: boolean[],
  tolerance: string,
): EqualOpportunityView {
  const eo = g.equalOpportunity;
  const blank = {
    threshold: UNDEFINED_TEXT,
    true_positive_rate: UNDEFINED_TEXT,
    alerts_per_1000: UNDEFINED_TEXT,
    net_benefit: UNDEFINED_TEXT,
  };
  if (!eo || eo.threshold === null) return { ...blank, note: 'No threshold reaches the target' };
  if (!equalOpportunityPublishable(g, shown))
    return {
      threshold: SUPPRESSED_TEXT,
      true_positive_rate: SUPPRESSED_TEXT,
      alerts_per_1000: SUPPRESSED_TEXT,
      net_benefit: SUPPRESSED_TEXT,
      note: 'Suppressed: the figures there rest on 1 to 10 people',
    };
  return {
    threshold: formatNumber(eo.threshold, 3),
    true_positive_rate: formatNumber(eo.true_positive_rate),
    alerts_per_1000: formatNumber(eo.alerts_per_1000, 0),
    net_benefit: formatNumber(eo.net_benefit, 3),
    note: eo.withinTolerance ? `Within ${tolerance} of the target` : `Not within ${tolerance} of the target`,
  };
}

/** Index of the grid value nearest `t` (the first of two equally near). */
export function nearestIndex(grid: readonly number[], t: number): number {
  let best = 0;
  grid.forEach((g, i) => {
    if (Math.abs(g - t) < Math.abs((grid[best] ?? Infinity) - t) - 1e-12) best = i;
  });
  return best;
}

export function thresholdsView(
  input: ThresholdsInput,
  table: TableDisclosure,
  tolerance = 0.02,
): ThresholdsView {
  const slices = input.slices.map((slice): ThresholdSliceView => {
    // The audit's own threshold anchors the walk when the grid holds it (its figures are in the audit's tables).
    const anchor = input.thresholds.includes(input.auditThreshold) ? input.auditThreshold : undefined;
    const grid = publishedThresholdGrid(slice, table, anchor);
    const groups = slice.groups.map((g, i): ThresholdGroupView => {
      const hidden = table.groupHidden(g.key) || isSmallCount(g.count);
      const shown = grid[i] ?? [];
      return {
        key: g.key,
        label: groupLabel(g.key, slice.attributes),
        count: countText(g.count, hidden),
        hidden,
        points: g.points.map((p, t) => (shown[t] ? figures(p) : null)),
        equalOpportunity: hidden
          ? {
              threshold: SUPPRESSED_TEXT,
              true_positive_rate: SUPPRESSED_TEXT,
              alerts_per_1000: SUPPRESSED_TEXT,
              net_benefit: SUPPRESSED_TEXT,
              note: 'Suppressed',
            }
          : // The anchor's figures are in the audit's tables: the point must keep its distance from them too.
            equalOpportunityView(
              g,
              shown.map((s, t) => s || g.points[t]?.threshold === anchor),
              String(tolerance),
            ),
      };
    });
    const reference = table.slices.find(
      (s) => sliceTitle(s.slice.attributes) === sliceTitle(slice.attributes),
    )?.slice.reference;
    const targetHidden =
      reference === undefined || Object.keys(reference).length === 0
        ? false
        : table.valueHidden(reference, 'true_positive_rate');
    const curve = (pick: (p: ThresholdPointInput) => number | null, round: (v: number) => number) =>
      slice.groups.flatMap((g, i) =>
        g.points.flatMap((p, t): ThresholdCurvePoint[] => {
          const v = pick(p);
          if (!grid[i]?.[t] || v === null || !Number.isFinite(v)) return [];
          return [{ group: groupLabel(g.key, slice.attributes), threshold: p.threshold, value: round(v) }];
        }),
      );
    const leftOut = groups.filter((g) => g.hidden).map((g) => g.label);
    const title = sliceTitle(slice.attributes);
    return {
      title,
      target: targetHidden ? SUPPRESSED_TEXT : formatNumber(slice.equalOpportunityTarget),
      groups,
      netBenefitChart: thresholdChart(
        `Net benefit by threshold: ${title}`,
        'Net benefit',
        curve(
          (p) => p.net_benefit,
          (v) => Math.round(v * 1000) / 1000,
        ),
        input.auditThreshold,
        leftOut,
      ),
      alertsChart: thresholdChart(
        `Alerts per 1,000 by threshold: ${title}`,
        'Alerts per 1,000',
        curve((p) => p.alerts_per_1000, Math.round),
        input.auditThreshold,
        leftOut,
      ),
    };
  });
  return {
    thresholds: input.thresholds,
    auditThreshold: input.auditThreshold,
    startIndex: nearestIndex(input.thresholds, input.auditThreshold),
    slices,
  };
}

// ---------------------------------------------------------------- calibration

interface EstimateInput {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface CalibrationGroupInput {
  key?: Record<string, string>;
  count: number;
  metrics: {
    brier_score: number | null;
    expected_calibration_error: number | null;
    observed_expected_ratio: EstimateInput;
    calibration_intercept: EstimateInput;
    calibration_slope: EstimateInput;
    flags: string[];
  };
  curve: CurvePointInput[];
}

export interface CalibrationInput {
  overall: CalibrationGroupInput;
  slices: { attributes: string[]; groups: (CalibrationGroupInput & { key: Record<string, string> })[] }[];
}

export interface BinView {
  range: string;
  count: string;
  meanScore: string;
  observedRate: string;
  interval: string | null;
}

export interface CalibrationGroupView {
  label: string;
  count: string;
  hidden: boolean;
  brier: string;
  ece: string;
  observedExpected: string;
  intercept: string;
  slope: string;
  /** Why a figure is missing, in words. */
  notes: string[];
  bins: BinView[];
}

export interface CalibrationSliceView {
  title: string;
  groups: CalibrationGroupView[];
  chart: ChartModel;
}

export interface CalibrationView {
  overall: CalibrationGroupView;
  slices: CalibrationSliceView[];
}

const FLAG_TEXT: Record<string, string> = {
  single_class: 'only one outcome in the group: no calibration fit',
  constant_score: 'one score for everyone: no calibration slope',
  intercept_not_converged: 'the intercept fit did not converge',
  slope_not_converged: 'the slope fit did not converge (the outcome is separated by the score)',
  scores_outside_unit_interval: 'scores outside [0, 1]: calibration is not defined',
  no_scores_or_labels: 'no scores or labels',
};

const estimate = (e: EstimateInput): string => {
  const v = formatValueWithInterval(e.value, e.ciLow, e.ciHigh);
  return v.interval ? `${v.value} ${v.interval}` : v.value;
};

function binView(b: CurvePointInput, shown: boolean): BinView {
  const range = `${formatNumber(b.binLow, 1)}–${formatNumber(b.binHigh, 1)}`;
  if (b.count === 0)
    return { range, count: '0', meanScore: UNDEFINED_TEXT, observedRate: UNDEFINED_TEXT, interval: null };
  if (!shown)
    return {
      range,
      count: SUPPRESSED_TEXT,
      meanScore: SUPPRESSED_TEXT,
      observedRate: SUPPRESSED_TEXT,
      interval: null,
    };
  const v = formatValueWithInterval(b.observedRate, b.ciLow, b.ciHigh);
  return {
    range,
    count: formatSafeCount(b.count),
    meanScore: formatNumber(b.meanScore),
    observedRate: v.value,
    interval: v.interval,
  };
}

function calibrationGroupView(
  g: CalibrationGroupInput,
  label: string,
  hidden: boolean,
  bins: boolean[],
  baseRateHidden: boolean,
): CalibrationGroupView {
  if (hidden) {
    const s = SUPPRESSED_TEXT;
    return {
      label,
      count: countText(g.count, true),
      hidden,
      brier: s,
      ece: s,
      observedExpected: s,
      intercept: s,
      slope: s,
      notes: [],
      bins: [],
    };
  }
  // O/E times the expected count gives the observed count back: hidden with the group's positives.
  const positives = g.curve.reduce((sum, b) => sum + (b.observedRate ?? 0) * b.count, 0);
  const oeHidden =
    baseRateHidden ||
    isSmallCount(Math.round(positives * 1e6) / 1e6) ||
    isSmallCount(Math.round((g.count - positives) * 1e6) / 1e6);
  return {
    label,
    count: formatSafeCount(g.count),
    hidden,
    brier: formatNumber(g.metrics.brier_score, 3),
    ece: formatNumber(g.metrics.expected_calibration_error, 3),
    observedExpected: oeHidden ? SUPPRESSED_TEXT : estimate(g.metrics.observed_expected_ratio),
    intercept: estimate(g.metrics.calibration_intercept),
    slope: estimate(g.metrics.calibration_slope),
    notes: g.metrics.flags.map((f) => FLAG_TEXT[f] ?? f),
    bins: g.curve.map((b, i) => binView(b, bins[i] ?? false)),
  };
}

export function calibrationView(input: CalibrationInput, table: TableDisclosure): CalibrationView {
  const overallBins = publishedOverallCurve(input.overall.curve);
  const overall = calibrationGroupView(input.overall, 'Everyone', false, overallBins, false);
  if (table.totalSuppressed) overall.count = SUPPRESSED_TEXT;
  const slices = input.slices.map((slice): CalibrationSliceView => {
    const grid = publishedCurveGrid(slice, table);
    const groups = slice.groups.map((g, i) =>
      calibrationGroupView(
        g,
        groupLabel(g.key, slice.attributes),
        table.groupHidden(g.key) || isSmallCount(g.count),
        grid[i] ?? [],
        table.valueHidden(g.key, 'base_rate'),
      ),
    );
    const points = slice.groups.flatMap((g, i) =>
      g.curve.flatMap((b, j) => {
        if (!grid[i]?.[j] || b.count === 0 || b.meanScore === null || b.observedRate === null) return [];
        return [
          {
            group: groupLabel(g.key, slice.attributes),
            meanScore: published(b.meanScore) ?? 0,
            observedRate: published(b.observedRate) ?? 0,
            ciLow: published(b.ciLow ?? b.observedRate) ?? 0,
            ciHigh: published(b.ciHigh ?? b.observedRate) ?? 0,
          },
        ];
      }),
    );
    const title = sliceTitle(slice.attributes);
    const leftOut = groups.filter((g) => g.hidden).map((g) => g.label);
    return { title, groups, chart: reliabilityChart(title, points, leftOut) };
  });
  return { overall, slices };
}
