/**
 * A multiclass audit as published: per slice each group's accuracy with its ratio and difference to the
 * reference, and per class the one-vs-rest selection rate, TPR, FPR and PPV with the selection and TPR ratios
 * to the reference; the gaps over the groups that carry evidence. Small cells are suppressed by
 * ./task-suppression.ts. Used by the report and by the console (through ./browser.ts).
 */
import type { Disparity, MetricValue } from '../fairness/types';
import type { ClassRateKey, MulticlassResult, MulticlassSliceResult } from '../tasks/types';
import { bandStatus } from './charts/disparity-chart';
import { evidenceMinimum } from './disclosure';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  formatNumber,
  formatSafeCount,
  formatValueWithInterval,
  groupLabel,
  isSmallCount,
  keyId,
} from './format';
import { referenceLabel, sliceTitle } from './labels';
import { SUPPRESSED_CELL, UNDEFINED_CELL, countText, taskRow } from './task-format';
import {
  classCells,
  complementCells,
  overallAccuracyShown,
  overallClassShown,
  suppressMulticlassSlice,
  type MulticlassSliceSuppression,
} from './task-suppression';
import type { MulticlassReportView, MulticlassSliceView, TaskTable } from './task-types';
import type { GroupRow, TableCell } from './types';

export const CLASS_COLUMNS: { key: ClassRateKey; header: string }[] = [
  { key: 'selection_rate', header: 'Selection rate' },
  { key: 'true_positive_rate', header: 'TPR' },
  { key: 'false_positive_rate', header: 'FPR' },
  { key: 'positive_predictive_value', header: 'PPV' },
];
/** The ratios to the reference printed per class (the table's last columns). */
export const CLASS_RATIOS: { key: ClassRateKey; header: string; words: string }[] = [
  { key: 'selection_rate', header: 'Selection ratio vs ref.', words: 'selection' },
  { key: 'true_positive_rate', header: 'TPR ratio vs ref.', words: 'TPR' },
];

export interface MulticlassViewOptions {
  band: [number, number];
  minGroupSize: number;
}

export interface SuppressedMulticlassSlice {
  slice: MulticlassSliceResult;
  sup: MulticlassSliceSuppression;
  refIndex: number;
}

export function suppressMulticlass(
  result: Pick<MulticlassResult, 'slices' | 'classes'>,
): SuppressedMulticlassSlice[] {
  return result.slices.map((slice) => ({
    slice,
    sup: suppressMulticlassSlice(slice, result.classes),
    refIndex: slice.groups.findIndex((g) => keyId(g.key) === keyId(slice.reference)),
  }));
}

/** Whether a group's accuracy (className undefined) or class figures, and their comparison, may not be printed. */
export function multiclassHidden(
  s: SuppressedMulticlassSlice,
  i: number,
  className?: string,
): { own: boolean; gap: boolean } {
  const of = (g: number): boolean =>
    className === undefined ? s.sup.accuracy[g] !== null : (s.sup.classes[g]?.[className] ?? null) !== null;
  const own = (s.sup.counts.groups[i]?.countSuppressed ?? true) || of(i);
  const ref =
    s.refIndex >= 0 && ((s.sup.counts.groups[s.refIndex]?.countSuppressed ?? true) || of(s.refIndex));
  return { own, gap: own || ref };
}

const rateCell = (m: MetricValue | undefined, hidden: boolean): TableCell =>
  hidden
    ? SUPPRESSED_CELL
    : m
      ? { ...formatValueWithInterval(m.value, m.ciLow, m.ciHigh), suppressed: false }
      : UNDEFINED_CELL;

const ratioCell = (d: Disparity | undefined, hidden: boolean): TableCell =>
  hidden
    ? SUPPRESSED_CELL
    : d
      ? { ...formatValueWithInterval(d.ratio, d.ratioCiLow, d.ratioCiHigh), suppressed: false }
      : UNDEFINED_CELL;

const differenceCell = (d: Disparity | undefined, hidden: boolean): TableCell =>
  hidden
    ? SUPPRESSED_CELL
    : d
      ? { ...formatValueWithInterval(d.difference, d.differenceCiLow, d.differenceCiHigh), suppressed: false }
      : UNDEFINED_CELL;

const outside = (d: Disparity | undefined, band: [number, number]): boolean =>
  typeof d?.ratio === 'number' && Number.isFinite(d.ratio) && bandStatus(d.ratio, band) === 'outside';

function flagOutside(row: GroupRow, words: string[]): GroupRow {
  if (words.length === 0) return row;
  row.flags.push('outside_band');
  row.flagLabels.push(`outside band (${words.join(', ')} ratio)`);
  return row;
}

/** Gaps over the groups with at least the evidence minimum whose figures are shown: accuracy and per class. */
function summaryLines(
  s: SuppressedMulticlassSlice,
  classes: readonly string[],
  o: MulticlassViewOptions,
): string[] {
  const min = evidenceMinimum(o.minGroupSize);
  const { slice } = s;
  const gap = (
    label: string,
    pick: (i: number) => number | null | undefined,
    hidden: (i: number) => boolean,
  ): string | null => {
    const vals = slice.groups
      .map((g, i) => ({ i, v: g.count >= min && !hidden(i) ? pick(i) : null }))
      .filter((x): x is { i: number; v: number } => typeof x.v === 'number' && Number.isFinite(x.v));
    if (vals.length < 2) return null;
    const lo = Math.min(...vals.map((x) => x.v));
    const hi = Math.max(...vals.map((x) => x.v));
    return `${label}: difference ${formatNumber(hi - lo)}${hi > 0 ? `, ratio ${formatNumber(lo / hi)}` : ''} (highest minus lowest; lowest over highest)`;
  };
  const lines = [
    gap(
      'Accuracy',
      (i) => slice.groups[i]?.metrics.accuracy?.value,
      (i) => multiclassHidden(s, i).own,
    ),
    ...classes.flatMap((c) => [
      gap(
        `"${c}" selection rate (demographic parity)`,
        (i) => slice.groups[i]?.classes[c]?.selection_rate?.value,
        (i) => multiclassHidden(s, i, c).own,
      ),
      gap(
        `"${c}" TPR (equal opportunity)`,
        (i) => slice.groups[i]?.classes[c]?.true_positive_rate?.value,
        (i) => multiclassHidden(s, i, c).own,
      ),
    ]),
  ].filter((l): l is string => l !== null);
  const left = slice.groups
    .filter((g, i) => g.count < min || multiclassHidden(s, i).own)
    .map((g) => groupLabel(g.key, slice.attributes));
  if (lines.length === 0)
    return [
      `Gaps between groups: not published (fewer than two groups with at least ${min} people whose figures are shown).`,
    ];
  lines.push(
    `Fairness band for ratios: ${o.band[0]}–${o.band[1]} (inclusive). Gaps are over the groups with at least ${min} people whose figures are shown${left.length > 0 ? `; left out of the accuracy gap: ${left.join(', ')}` : ''}.`,
  );
  return lines;
}

function sliceView(
  s: SuppressedMulticlassSlice,
  classes: readonly string[],
  o: MulticlassViewOptions,
): MulticlassSliceView {
  const { slice, sup } = s;
  const title = sliceTitle(slice.attributes);
  const accRows: GroupRow[] = [];
  const classRows: GroupRow[][] = classes.map(() => []);
  slice.groups.forEach((g, i) => {
    const label = groupLabel(g.key, slice.attributes);
    const n = countText(g.count, sup.counts.groups[i]?.countReason ?? null);
    const reference = g.flags.includes('reference') || i === s.refIndex;
    const insufficient = g.flags.includes('insufficient_sample');
    const acc = multiclassHidden(s, i);
    const accD = g.disparities.accuracy;
    accRows.push(
      flagOutside(
        taskRow(
          label,
          n,
          [
            rateCell(g.metrics.accuracy, acc.own),
            reference ? UNDEFINED_CELL : ratioCell(accD, acc.gap),
            reference ? UNDEFINED_CELL : differenceCell(accD, acc.gap),
          ],
          { reference, insufficient },
        ),
        !reference && !acc.gap && outside(accD, o.band) ? ['accuracy'] : [],
      ),
    );
    classes.forEach((c, ci) => {
      const h = multiclassHidden(s, i, c);
      const m = g.classes[c] ?? {};
      const ds = g.disparities.classes?.[c] ?? {};
      const cells = [
        ...CLASS_COLUMNS.map((k) => rateCell(m[k.key], h.own)),
        ...CLASS_RATIOS.map((k) => (reference ? UNDEFINED_CELL : ratioCell(ds[k.key], h.gap))),
      ];
      const words =
        reference || h.gap ? [] : CLASS_RATIOS.filter((k) => outside(ds[k.key], o.band)).map((k) => k.words);
      classRows[ci]?.push(flagOutside(taskRow(label, n, cells, { reference, insufficient }), words));
    });
  });
  const notes: string[] = [];
  const anyHidden =
    sup.counts.applied ||
    sup.accuracy.some((r) => r !== null) ||
    sup.classes.some((c) => Object.values(c).some((r) => r !== null));
  if (anyHidden)
    notes.push(
      `Small-cell suppression applied: groups of 1 to 10 people show n as "${SMALL_COUNT_TEXT}"; a class's four figures for a group rest on the same people (predicted that class or having it) and read "${SUPPRESSED_TEXT}" together when any of them rests on 1 to 10 people, with a second group or class withheld where the totals would give a hidden one away.`,
    );
  if (slice.droppedRows !== undefined && slice.droppedRows > 0)
    notes.push(
      `${formatSafeCount(slice.droppedRows)} rows were left out of this slice because an attribute was missing.`,
    );
  notes.push(
    `One-vs-rest: for class "${classes[0] ?? ''}", the selection rate is the share predicted "${classes[0] ?? ''}", TPR the share of those with it predicted it, FPR the share of those without it predicted it, PPV the share of those predicted it who have it. Ratios: the group's figure over the reference's (${referenceLabel(slice)}).`,
  );
  const classColumns = [...CLASS_COLUMNS.map((k) => k.header), ...CLASS_RATIOS.map((k) => k.header)];
  return {
    title,
    attributes: [...slice.attributes],
    referenceLabel: referenceLabel(slice),
    accuracy: {
      title: `Accuracy by ${title}`,
      columns: ['Accuracy', 'Ratio vs ref.', 'Difference vs ref.'],
      rows: accRows,
    },
    classes: classes.map((c, ci) => ({
      className: c,
      title: `Class "${c}" (one-vs-rest) by ${title}`,
      columns: classColumns,
      rows: classRows[ci] ?? [],
    })),
    summaryLines: summaryLines(s, classes, o),
    notes,
  };
}

/** The multiclass section of the report and the console's audit page. */
export function buildMulticlassView(
  result: MulticlassResult,
  o: MulticlassViewOptions,
  totalSuppressed: boolean,
): MulticlassReportView {
  const N = result.overall.count;
  const whole = totalSuppressed || isSmallCount(N);
  // The classes' counts add up to the whole sample: one hidden class gets a partner.
  const hiddenOverall = result.classes.map((c) => whole || !overallClassShown(result, c));
  complementCells(
    result.classes.map((c) => {
      const x = classCells(result.overall.classes[c] ?? {}, N);
      return x ? x.tp + x.fp + x.fn : 1;
    }),
    [result.classes.map((_, i) => i)],
    hiddenOverall,
    (i) => result.classes[i] ?? '',
  );
  const overallRows = result.classes.map((c, ci) => {
    const m = result.overall.classes[c] ?? {};
    const cells = classCells(m, N);
    const hidden = hiddenOverall[ci] ?? true;
    const actual = cells ? cells.tp + cells.fn : null;
    return taskRow(
      c,
      hidden || actual === null ? SUPPRESSED_TEXT : formatSafeCount(actual),
      CLASS_COLUMNS.map((k) => rateCell(m[k.key], hidden)),
      { reference: false },
    );
  });
  const overall: TaskTable = {
    title: 'Whole sample, per class (one-vs-rest)',
    columns: CLASS_COLUMNS.map((k) => k.header),
    rows: overallRows,
  };
  const acc = result.overall.metrics.accuracy;
  return {
    task: 'multiclass',
    classes: [...result.classes],
    overallAccuracy: whole || !overallAccuracyShown(result) ? SUPPRESSED_TEXT : rateCell(acc, false).text,
    overall,
    slices: suppressMulticlass(result).map((s) => sliceView(s, result.classes, o)),
  };
}
