/**
 * A regression audit as published: per slice the groups' error measures with intervals, their differences and
 * ratios to the reference, the largest gaps over the groups that carry evidence, and the Obermeyer check (mean
 * target by decile of prediction, ./decile-view.ts). Small cells are suppressed by ./task-suppression.ts.
 * Used by the report and by the console (through ./browser.ts).
 */
import type { Disparity } from '../fairness/types';
import type { RegressionDisparityKey, RegressionResult, RegressionSliceResult } from '../tasks/types';
import { bandStatus } from './charts/disparity-chart';
import { buildDecileView } from './decile-view';
import { evidenceMinimum } from './disclosure';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  formatNumber,
  formatSafeCount,
  groupLabel,
  isSmallCount,
  keyId,
} from './format';
import { referenceLabel, sliceTitle } from './labels';
import {
  SUPPRESSED_CELL,
  UNDEFINED_CELL,
  countText,
  formatMeasure,
  measureCell,
  measureDigits,
  metricValueCell,
  taskRow,
} from './task-format';
import { suppressRegressionSlice, type RegressionSliceSuppression } from './task-suppression';
import type { RegressionReportView, RegressionSliceView } from './task-types';
import type { GroupRow } from './types';

/** The table's columns, in order; `measure`: on the target's scale (R² is a share). */
export const REGRESSION_COLUMNS: { key: RegressionDisparityKey; header: string; measure: boolean }[] = [
  { key: 'mean_target', header: 'Mean target', measure: true },
  { key: 'mean_prediction', header: 'Mean prediction', measure: true },
  { key: 'mean_error', header: 'Mean error', measure: true },
  { key: 'mean_absolute_error', header: 'MAE', measure: true },
  { key: 'root_mean_squared_error', header: 'RMSE', measure: true },
  { key: 'r2', header: 'R²', measure: false },
];

/** Ratios whose distance from 1 says one group is served worse: the error measures. */
const BAND_RATIOS: RegressionDisparityKey[] = ['mean_absolute_error', 'root_mean_squared_error'];

export interface RegressionViewOptions {
  band: [number, number];
  minGroupSize: number;
  /** The outcome in words (the target column's name), e.g. "cost". */
  target: string;
}

export interface SuppressedRegressionSlice {
  slice: RegressionSliceResult;
  sup: RegressionSliceSuppression;
  refIndex: number;
}

/** Decimals of the target's scale: from the size of the whole sample's mean target and prediction. */
export function regressionDigits(result: Pick<RegressionResult, 'overall'>): number {
  const m = result.overall.metrics;
  return measureDigits(
    Math.max(Math.abs(m.mean_target?.value ?? 0), Math.abs(m.mean_prediction?.value ?? 0)),
  );
}

export function suppressRegression(result: Pick<RegressionResult, 'slices'>): SuppressedRegressionSlice[] {
  return result.slices.map((slice) => ({
    slice,
    sup: suppressRegressionSlice(slice),
    refIndex: slice.groups.findIndex((g) => keyId(g.key) === keyId(slice.reference)),
  }));
}

/** Whether a group's figures (i) or its comparison with the reference may not be printed. */
export function regressionHidden(s: SuppressedRegressionSlice, i: number): { own: boolean; gap: boolean } {
  const own = s.sup.counts.groups[i]?.countSuppressed ?? true;
  const ref = s.refIndex >= 0 && (s.sup.counts.groups[s.refIndex]?.countSuppressed ?? true);
  return { own, gap: own || ref };
}

function gapCell(d: Disparity | undefined, part: 'difference' | 'ratio', digits: number, hidden: boolean) {
  if (hidden) return SUPPRESSED_CELL;
  if (!d) return UNDEFINED_CELL;
  return part === 'difference'
    ? measureCell(d.difference, d.differenceCiLow, d.differenceCiHigh, digits)
    : measureCell(d.ratio, d.ratioCiLow, d.ratioCiHigh, 2);
}

function summaryLines(s: SuppressedRegressionSlice, digits: number, o: RegressionViewOptions): string[] {
  const min = evidenceMinimum(o.minGroupSize);
  const eligible = s.slice.groups.filter((g, i) => g.count >= min && !regressionHidden(s, i).own);
  const left = s.slice.groups
    .filter((g) => !eligible.includes(g))
    .map((g) => groupLabel(g.key, s.slice.attributes));
  if (eligible.length < 2)
    return [
      `Gaps between groups: not published (fewer than two groups with at least ${min} people whose figures are shown).`,
    ];
  const lines: string[] = [];
  for (const c of REGRESSION_COLUMNS) {
    const vals = eligible
      .map((g) => ({ g, v: g.metrics[c.key]?.value }))
      .filter(
        (x): x is { g: (typeof eligible)[number]; v: number } =>
          typeof x.v === 'number' && Number.isFinite(x.v),
      );
    if (vals.length < 2) continue;
    const lo = vals.reduce((a, b) => (b.v < a.v ? b : a));
    const hi = vals.reduce((a, b) => (b.v > a.v ? b : a));
    const d = c.measure ? digits : 2;
    const name = (x: { g: (typeof eligible)[number] }): string => groupLabel(x.g.key, s.slice.attributes);
    const ratio = hi.v > 0 && lo.v >= 0 ? `; lowest / highest ${formatNumber(lo.v / hi.v)}` : '';
    lines.push(
      `${c.header}: largest gap ${formatMeasure(hi.v - lo.v, d)} (${name(hi)} ${formatMeasure(hi.v, d)}, ${name(lo)} ${formatMeasure(lo.v, d)})${ratio}`,
    );
  }
  lines.push(
    `Gaps are over the groups with at least ${min} people whose figures are shown${left.length > 0 ? `; left out: ${left.join(', ')}` : ''}.`,
  );
  return lines;
}

function sliceView(
  s: SuppressedRegressionSlice,
  result: RegressionResult,
  digits: number,
  o: RegressionViewOptions,
): RegressionSliceView {
  const { slice, sup } = s;
  const metricsRows: GroupRow[] = [];
  const diffRows: GroupRow[] = [];
  const ratioRows: GroupRow[] = [];
  slice.groups.forEach((g, i) => {
    const label = groupLabel(g.key, slice.attributes);
    const gs = sup.counts.groups[i];
    const n = countText(g.count, gs?.countReason ?? null);
    const { own, gap } = regressionHidden(s, i);
    const reference = g.flags.includes('reference') || i === s.refIndex;
    const insufficient = g.flags.includes('insufficient_sample');
    const d = (c: (typeof REGRESSION_COLUMNS)[number]): number => (c.measure ? digits : 2);
    metricsRows.push(
      taskRow(
        label,
        n,
        REGRESSION_COLUMNS.map((c) => metricValueCell(g.metrics[c.key], d(c), own)),
        {
          reference,
          insufficient,
        },
      ),
    );
    const gaps = (part: 'difference' | 'ratio') =>
      REGRESSION_COLUMNS.map((c) =>
        reference ? UNDEFINED_CELL : gapCell(g.disparities[c.key], part, d(c), gap),
      );
    diffRows.push(taskRow(label, n, gaps('difference'), { reference }));
    const ratioRow = taskRow(label, n, gaps('ratio'), { reference });
    const outside =
      reference || gap
        ? []
        : BAND_RATIOS.filter((k) => {
            const r = g.disparities[k]?.ratio;
            return typeof r === 'number' && Number.isFinite(r) && bandStatus(r, o.band) === 'outside';
          });
    if (outside.length > 0) {
      ratioRow.flags.push('outside_band');
      ratioRow.flagLabels.push(
        `outside band (${outside.map((k) => REGRESSION_COLUMNS.find((c) => c.key === k)?.header).join(', ')} ratio)`,
      );
    }
    ratioRows.push(ratioRow);
  });
  const notes: string[] = [];
  if (sup.counts.applied || sup.deciles.some((row) => row.some((r) => r !== null)))
    notes.push(
      `Small-cell suppression applied: groups of 1 to 10 people show n as "${SMALL_COUNT_TEXT}" and their figures as "${SUPPRESSED_TEXT}"; a second group (or decile) is withheld where the totals would give a hidden one away.`,
    );
  if (slice.droppedRows !== undefined && slice.droppedRows > 0)
    notes.push(
      `${formatSafeCount(slice.droppedRows)} rows were left out of this slice because an attribute was missing.`,
    );
  notes.push(
    `Mean error is the mean of prediction − ${o.target}: below 0 the model under-predicts, above 0 it over-predicts. Differences are the group's figure minus the reference's (${referenceLabel(slice)}); ratios the group's over the reference's. "${UNDEFINED_TEXT}" marks a figure that is not defined (R² when every ${o.target} of a group is the same).`,
  );
  const cols = REGRESSION_COLUMNS.map((c) => c.header);
  const title = sliceTitle(slice.attributes);
  return {
    title,
    attributes: [...slice.attributes],
    referenceLabel: referenceLabel(slice),
    metrics: { title: `Error measures by ${title}`, columns: cols, rows: metricsRows },
    differences: { title: `Difference vs reference by ${title}`, columns: cols, rows: diffRows },
    ratios: { title: `Ratio vs reference by ${title}`, columns: cols, rows: ratioRows },
    summaryLines: summaryLines(s, digits, o),
    deciles: buildDecileView(s, result, digits, o.target),
    notes,
  };
}

/** The regression section of the report and the console's audit page. */
export function buildRegressionView(
  result: RegressionResult,
  o: RegressionViewOptions,
  totalSuppressed: boolean,
): RegressionReportView {
  const digits = regressionDigits(result);
  const slices = suppressRegression(result);
  const m = result.overall.metrics;
  const overall =
    totalSuppressed || isSmallCount(result.overall.count)
      ? ['Whole sample: suppressed (its figures would give a hidden group away).']
      : [
          `Rows analysed: ${formatSafeCount(result.overall.count)}`,
          ...REGRESSION_COLUMNS.map(
            (c) => `${c.header}: ${metricValueCell(m[c.key], c.measure ? digits : 2, false).text}`,
          ),
        ];
  return {
    task: 'regression',
    target: o.target,
    overall,
    slices: slices.map((s) => sliceView(s, result, digits, o)),
  };
}
