/**
 * The CLI's tables of a regression or a multiclass audit, under the reports' disclosure rules
 * (docs/disclosure-control.md, "Regression and multiclass audits", core's task-suppression.ts): a group of 1 to
 * 10 people shows "<=10" and a partner hidden with it "suppressed", and none of their figures is printed. A
 * multiclass group's accuracy and its one-vs-rest figures of a class are hidden on their own cells' rules. The
 * gaps printed (largest − smallest over a slice's groups) are taken over the figures shown, so no hidden figure
 * can be worked back from them. The binary tables are in ./audit-tables.ts.
 */
import type { MulticlassResult, RegressionResult } from '../core/tasks/types';
import {
  suppressCounts,
  suppressMulticlassSlice,
  overallAccuracyShown,
  overallClassShown,
} from '../core/reports/task-suppression';
import type { GroupSuppression } from '../core/reports/suppression';
import { groupLabel, num, pValue, renderTable, safeCount } from './table';

const SUPPRESSED = 'suppressed';

/** A group's count as printed: "<=10" for 1 to 10, "suppressed" for a partner hidden with one. */
function countText(count: number, sup: GroupSuppression | undefined): string {
  if (!sup?.countSuppressed) return String(count);
  return sup.countReason === 'small_count' ? '<=10' : SUPPRESSED;
}

/** Largest minus smallest of the figures shown, or null with fewer than two. */
function spread(values: readonly (number | null)[]): number | null {
  const shown = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return shown.length < 2 ? null : Math.max(...shown) - Math.min(...shown);
}

/** Whether any slice's total must not be shown (one hidden group with no partner): then no count is. */
function totalHidden(slices: readonly Parameters<typeof suppressCounts>[0][]): boolean {
  return slices.some((s) => suppressCounts(s).totalSuppressed);
}

// ---------------------------------------------------------------- regression

export interface RegressionGroupRow {
  attributes: string[];
  group: string;
  countText: string;
  /** Figures of a group whose count is hidden are not printed. */
  hidden: boolean;
  reference: boolean;
  mae: number | null;
  meanError: number | null;
  r2: number | null;
  /** The group's MAE minus the reference's, and its Holm-adjusted p-value (Welch). */
  maeDifference: number | null;
  maePValueAdjusted: number | null;
  flags: string[];
}

/**
 * One row per group of every slice: the groups whose MAE differs most from their reference's first (largest
 * |difference|), then those without a difference, then the reference groups.
 */
export function regressionGroupRows(result: RegressionResult): RegressionGroupRow[] {
  const rows = result.slices.flatMap((slice) => {
    const sup = suppressCounts(slice);
    return slice.groups.map((g, i): RegressionGroupRow => {
      const s = sup.groups[i];
      const hidden = s?.countSuppressed ?? false;
      const figure = (v: number | null | undefined): number | null => (hidden ? null : (v ?? null));
      const d = g.disparities.mean_absolute_error;
      return {
        attributes: slice.attributes,
        group: groupLabel(g.key),
        countText: countText(g.count, s),
        hidden,
        reference: g.flags.includes('reference'),
        mae: figure(g.metrics.mean_absolute_error?.value),
        meanError: figure(g.metrics.mean_error?.value),
        r2: figure(g.metrics.r2?.value),
        maeDifference: figure(d?.difference),
        maePValueAdjusted: figure(d?.pValueAdjusted),
        flags: g.flags,
      };
    });
  });
  const gap = (r: RegressionGroupRow): number => (r.maeDifference === null ? -1 : Math.abs(r.maeDifference));
  const compared = rows
    .filter((r) => !r.reference && r.maeDifference !== null)
    .sort((a, b) => gap(b) - gap(a));
  return [
    ...compared,
    ...rows.filter((r) => !r.reference && r.maeDifference === null),
    ...rows.filter((r) => r.reference),
  ];
}

const shownFigure = (r: { hidden: boolean }, text: string): string => (r.hidden ? SUPPRESSED : text);

/** The audit's overall line, the slices' MAE gaps over the groups shown, and the groups, worst gap first. */
export function renderRegressionTables(result: RegressionResult): string {
  const m = result.overall.metrics;
  const count = totalHidden(result.slices) ? SUPPRESSED : safeCount(result.overall.count);
  const rows = regressionGroupRows(result);
  const slices = result.slices.map((s) => {
    const mine = rows.filter((r) => r.attributes === s.attributes);
    return {
      attributes: s.attributes,
      reference: groupLabel(s.reference),
      maeGap: spread(mine.map((r) => r.mae)),
      meanErrorGap: spread(mine.map((r) => r.meanError)),
      worstMae: Math.max(...mine.map((r) => r.mae ?? -Infinity)),
    };
  });
  return (
    `Overall: ${count} people, MAE ${num(m.mean_absolute_error?.value)}, mean error ` +
    `${num(m.mean_error?.value)}, RMSE ${num(m.root_mean_squared_error?.value)}, R² ${num(m.r2?.value)}\n` +
    '\nSlices (gaps over the groups shown: largest − smallest)\n' +
    renderTable(slices, [
      { header: 'ATTRIBUTE', value: (s) => s.attributes.join(' × ') },
      { header: 'REFERENCE', value: (s) => s.reference },
      { header: 'MAE_GAP', value: (s) => num(s.maeGap), align: 'right' },
      { header: 'MEAN_ERROR_GAP', value: (s) => num(s.meanErrorGap), align: 'right' },
      { header: 'WORST_MAE', value: (s) => num(s.worstMae), align: 'right' },
    ]) +
    '\nGroups, largest MAE gap to the reference group first (error = prediction − target)\n' +
    renderTable(rows, [
      { header: 'ATTRIBUTE', value: (r) => r.attributes.join(' × ') },
      { header: 'GROUP', value: (r) => r.group },
      { header: 'N', value: (r) => r.countText, align: 'right' },
      { header: 'MAE', value: (r) => shownFigure(r, num(r.mae)), align: 'right' },
      { header: 'MEAN_ERROR', value: (r) => shownFigure(r, num(r.meanError)), align: 'right' },
      { header: 'R2', value: (r) => shownFigure(r, num(r.r2)), align: 'right' },
      { header: 'MAE_DIFF', value: (r) => shownFigure(r, num(r.maeDifference)), align: 'right' },
      { header: 'P_ADJ', value: (r) => shownFigure(r, pValue(r.maePValueAdjusted)), align: 'right' },
      { header: 'FLAGS', value: (r) => r.flags.join(',') },
    ])
  );
}

// ---------------------------------------------------------------- multiclass

export interface MulticlassGroupRow {
  attributes: string[];
  group: string;
  countText: string;
  reference: boolean;
  /** Null when hidden (or label-free). */
  accuracy: number | null;
  accuracyHidden: boolean;
  /** Per class: the selection rate and TPR shown, null when hidden or undefined. */
  selection: Record<string, number | null>;
  tpr: Record<string, number | null>;
  /** Classes whose figures are hidden for this group. */
  hiddenClasses: string[];
  flags: string[];
}

export function multiclassGroupRows(result: MulticlassResult): MulticlassGroupRow[] {
  return result.slices.flatMap((slice) => {
    const sup = suppressMulticlassSlice(slice, result.classes);
    return slice.groups.map((g, i): MulticlassGroupRow => {
      const classSup = sup.classes[i] ?? {};
      const hiddenClasses = result.classes.filter((c) => (classSup[c] ?? null) !== null);
      const perClass = (key: 'selection_rate' | 'true_positive_rate'): Record<string, number | null> =>
        Object.fromEntries(
          result.classes.map((c) => [
            c,
            hiddenClasses.includes(c) ? null : (g.classes[c]?.[key]?.value ?? null),
          ]),
        );
      const accuracyHidden = (sup.accuracy[i] ?? null) !== null;
      return {
        attributes: slice.attributes,
        group: groupLabel(g.key),
        countText: countText(g.count, sup.counts.groups[i]),
        reference: g.flags.includes('reference'),
        accuracy: accuracyHidden ? null : (g.metrics.accuracy?.value ?? null),
        accuracyHidden,
        selection: perClass('selection_rate'),
        tpr: perClass('true_positive_rate'),
        hiddenClasses,
        flags: g.flags,
      };
    });
  });
}

/** Per slice and class: the spread of the selection rate (and TPR) over the groups whose figures are shown. */
export function multiclassClassGaps(
  result: MulticlassResult,
  rows: readonly MulticlassGroupRow[] = multiclassGroupRows(result),
): { attributes: string[]; class: string; selectionGap: number | null; tprGap: number | null }[] {
  return result.slices.flatMap((s) => {
    const mine = rows.filter((r) => r.attributes === s.attributes);
    return result.classes.map((c) => ({
      attributes: s.attributes,
      class: c,
      selectionGap: spread(mine.map((r) => r.selection[c] ?? null)),
      tprGap: spread(mine.map((r) => r.tpr[c] ?? null)),
    }));
  });
}

export function renderMulticlassTables(result: MulticlassResult): string {
  const rows = multiclassGroupRows(result);
  const count = totalHidden(result.slices) ? SUPPRESSED : safeCount(result.overall.count);
  const accuracy = result.labelFree
    ? ''
    : `, accuracy ${overallAccuracyShown(result) ? num(result.overall.metrics.accuracy?.value) : SUPPRESSED}`;
  const overallSelection = result.classes
    .map((c) => {
      const v = result.overall.classes[c]?.selection_rate?.value;
      return `${c} ${overallClassShown(result, c) ? num(v) : SUPPRESSED}`;
    })
    .join(', ');
  const hiddenText = (r: MulticlassGroupRow, c: string, v: number | null): string =>
    r.hiddenClasses.includes(c) ? SUPPRESSED : num(v);
  return (
    `Overall: ${count} people, classes ${result.classes.join(', ')}${accuracy}\n` +
    `Selection rate (share predicted each class): ${overallSelection}\n` +
    '\nClass gaps per slice (largest − smallest over the groups shown)\n' +
    renderTable(multiclassClassGaps(result, rows), [
      { header: 'ATTRIBUTE', value: (g) => g.attributes.join(' × ') },
      { header: 'CLASS', value: (g) => g.class },
      { header: 'SELECTION_GAP', value: (g) => num(g.selectionGap), align: 'right' },
      ...(result.labelFree
        ? []
        : [
            {
              header: 'TPR_GAP',
              value: (g: { tprGap: number | null }) => num(g.tprGap),
              align: 'right' as const,
            },
          ]),
    ]) +
    '\nGroups (selection rate per class' +
    (result.labelFree ? ')\n' : '; accuracy = share whose predicted class is their own)\n') +
    renderTable(rows, [
      { header: 'ATTRIBUTE', value: (r) => r.attributes.join(' × ') },
      { header: 'GROUP', value: (r) => r.group },
      { header: 'N', value: (r) => r.countText, align: 'right' },
      ...(result.labelFree
        ? []
        : [
            {
              header: 'ACCURACY',
              value: (r: MulticlassGroupRow) => (r.accuracyHidden ? SUPPRESSED : num(r.accuracy)),
              align: 'right' as const,
            },
          ]),
      ...result.classes.map((c) => ({
        header: `SEL:${c}`,
        value: (r: MulticlassGroupRow) => hiddenText(r, c, r.selection[c] ?? null),
        align: 'right' as const,
      })),
      { header: 'FLAGS', value: (r) => r.flags.join(',') },
    ])
  );
}

/** The tables of a regression or multiclass audit's metrics (GET /v1/audits/{id}/metrics). */
export function renderTaskTables(metrics: { task: string }): string {
  return metrics.task === 'regression'
    ? renderRegressionTables(metrics as unknown as RegressionResult)
    : renderMulticlassTables(metrics as unknown as MulticlassResult);
}
