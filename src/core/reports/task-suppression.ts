/**
 * Small-cell suppression of regression and multiclass results (docs/disclosure-control.md, "Regression and
 * multiclass audits"). The group counts go through the binary task's rules (./suppression.ts: a group of 1 to
 * 10 people, and a partner along every line of known sum); on top of that:
 * - regression: a group's decile of prediction is a cell of a groups × deciles table whose rows add up to the
 *   group's count and whose columns add up to the whole sample's decile count, both printed; a cell of 1 to 10
 *   people is hidden, with partners along its row and column (complementCells);
 * - multiclass: a group's one-vs-rest figures for a class (selection rate, TPR, FPR, PPV) all rest on the same
 *   four cells (TP, FP, FN, TN), so they are shown or hidden together: hidden when any of the four is 1 to 10.
 *   The cells of a class add up over the slice's groups (to the overall cells), and a group's cells add up over
 *   the classes (everyone is predicted one class and has one), so both are lines of known sum. Accuracy rests
 *   on the correct and wrong counts, which add up over the groups, and whose correct count is the sum of the
 *   group's true positives over the classes: a hidden accuracy needs two hidden classes in its group.
 * Pure and browser-safe.
 */
import type { GroupResult, MetricValue, SliceResult } from '../fairness/types';
import type { ClassMetrics, MulticlassResult, MulticlassSliceResult } from '../tasks/types';
import { isSmallCount, keyId } from './format';
import { sliceLines, suppressSlice, type CountSuppressionReason, type SliceSuppression } from './suppression';

/** Why a cell is hidden: its own small count, a partner of a hidden cell, or its group is hidden. */
export type CellReason = 'small' | 'complementary' | 'group';

/** What a slice of any task shares with the binary one for counting: attributes, reference, group sizes. */
export interface CountedSlice {
  attributes: string[];
  reference: Record<string, string>;
  groups: readonly { key: Record<string, string>; count: number }[];
  droppedRows?: number;
}

/**
 * The slice as a binary one with counts only, so the binary task's suppression and its SuppressionIndex (the
 * lookups the compliance and drift sections use) apply to the groups of any task.
 */
export function countOnlySlice(slice: CountedSlice): SliceResult {
  return {
    attributes: [...slice.attributes],
    reference: { ...slice.reference },
    groups: slice.groups.map((g): GroupResult => ({
      key: g.key,
      count: g.count,
      share: 0,
      metrics: {},
      disparities: {},
      flags: [],
    })),
    summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
    ...(slice.droppedRows !== undefined ? { droppedRows: slice.droppedRows } : {}),
  };
}

/** The binary task's count suppression of a slice of any task. */
export function suppressCounts(slice: CountedSlice): SliceSuppression {
  return suppressSlice(countOnlySlice(slice));
}

/**
 * Complementary suppression over cells whose lines have known sums: a line with exactly one hidden non-empty
 * cell gets a partner, its smallest shown non-empty cell (ties by `tie`), to a fixed point. `hidden` is
 * updated in place; the partners are returned. A line whose only hidden cell has no partner is returned in
 * `unprotected` (its sum must not be printed).
 */
export function complementCells(
  sizes: readonly number[],
  lines: readonly (readonly number[])[],
  hidden: boolean[],
  tie: (i: number) => string = String,
): { partners: number[]; unprotected: number[] } {
  const partners: number[] = [];
  const unprotected = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    lines.forEach((line, li) => {
      const hiddenHere = line.filter((i) => hidden[i] && (sizes[i] ?? 0) > 0);
      if (hiddenHere.length !== 1) return;
      const pick = line
        .filter((i) => !hidden[i] && (sizes[i] ?? 0) > 0)
        .sort((a, b) => (sizes[a] ?? 0) - (sizes[b] ?? 0) || tie(a).localeCompare(tie(b)))[0];
      if (pick === undefined) {
        unprotected.add(li);
        return;
      }
      hidden[pick] = true;
      partners.push(pick);
      changed = true;
    });
  }
  return { partners, unprotected: [...unprotected] };
}

// ---------------------------------------------------------------- regression

export interface RegressionSliceSuppression {
  /** The binary task's count suppression of the slice's groups (same order). */
  counts: SliceSuppression;
  /** Per group (slice order), per decile position (the group's predictionDeciles order): why hidden, or null. */
  deciles: (CellReason | null)[][];
}

/**
 * Groups and their deciles of prediction. `overallDecileCounts` are the whole sample's decile counts (by decile
 * number), which the report prints: each decile's cells add up to them.
 */
export function suppressRegressionSlice(
  slice: Omit<CountedSlice, 'groups'> & {
    groups: readonly {
      key: Record<string, string>;
      count: number;
      predictionDeciles?: readonly { decile: number; count: number }[];
    }[];
  },
): RegressionSliceSuppression {
  const counts = suppressCounts(slice);
  const cells: { group: number; pos: number; decile: number; count: number }[] = [];
  slice.groups.forEach((g, gi) =>
    (g.predictionDeciles ?? []).forEach((d, pos) =>
      cells.push({ group: gi, pos, decile: d.decile, count: d.count }),
    ),
  );
  const reasons: (CellReason | null)[] = cells.map((c) =>
    counts.groups[c.group]?.countSuppressed ? 'group' : isSmallCount(c.count) ? 'small' : null,
  );
  const hidden = reasons.map((r) => r !== null);
  const lines: number[][] = [];
  const byKey = (key: (c: (typeof cells)[number]) => string): void => {
    const m = new Map<string, number[]>();
    cells.forEach((c, i) => m.set(key(c), [...(m.get(key(c)) ?? []), i]));
    lines.push(...m.values());
  };
  byKey((c) => `g${c.group}`);
  byKey((c) => `d${c.decile}`);
  const label = (i: number): string => {
    const c = cells[i];
    return c ? `${keyId(slice.groups[c.group]?.key ?? {})}\u0001${c.decile}` : '';
  };
  const { partners } = complementCells(
    cells.map((c) => c.count),
    lines,
    hidden,
    label,
  );
  for (const p of partners) reasons[p] = 'complementary';
  const deciles = slice.groups.map((g) => (g.predictionDeciles ?? []).map(() => null as CellReason | null));
  cells.forEach((c, i) => {
    const row = deciles[c.group];
    if (row) row[c.pos] = reasons[i] ?? null;
  });
  return { counts, deciles };
}

// ---------------------------------------------------------------- multiclass

/** The one-vs-rest confusion cells of a group for a class. */
export interface ClassCells {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const round = (v: number): number => Math.round(v);

/**
 * A group's one-vs-rest cells for a class: from the rates' numerators and denominators when the result carries
 * them, else worked back from the rates (predicted = selection rate × n, TP = PPV × predicted, actual = TP /
 * TPR, or n − FP / FPR). Null when they cannot be known: the figures are then hidden.
 */
export function classCells(m: ClassMetrics, n: number): ClassCells | null {
  const sel = m.selection_rate;
  const tpr = m.true_positive_rate;
  const fpr = m.false_positive_rate;
  const ppv = m.positive_predictive_value;
  const num = (v: MetricValue | undefined): number | undefined => v?.numerator;
  const den = (v: MetricValue | undefined): number | undefined => v?.denominator;
  let predicted =
    num(sel) ??
    den(ppv) ??
    (sel?.value !== null && sel?.value !== undefined ? round(sel.value * n) : undefined);
  if (predicted === undefined) return null;
  // Label-free (no labels: selection rates only): the predicted count and the rest are the only cells.
  if (tpr === undefined && fpr === undefined && ppv === undefined)
    return { tp: 0, fp: predicted, fn: 0, tn: n - predicted };
  let tp = num(tpr) ?? num(ppv);
  if (tp === undefined) {
    if (predicted === 0) tp = 0;
    else if (ppv?.value !== null && ppv?.value !== undefined) tp = round(ppv.value * predicted);
    else return null;
  }
  const fp = num(fpr) ?? predicted - tp;
  predicted = tp + fp;
  let actual = den(tpr);
  if (actual === undefined && den(fpr) !== undefined) actual = n - (den(fpr) ?? 0);
  if (actual === undefined) {
    if (tpr?.value !== null && tpr?.value !== undefined && tpr.value > 0) actual = round(tp / tpr.value);
    else if (fpr?.value !== null && fpr?.value !== undefined && fpr.value > 0)
      actual = n - round(fp / fpr.value);
    else if (fpr?.value === 0 && fp === 0 && tpr?.value === null) actual = 0;
    else return null;
  }
  const fn = actual - tp;
  const tn = n - actual - fp;
  if (fn < 0 || tn < 0) return null;
  return { tp, fp, fn, tn };
}

/** The correct and wrong counts behind a group's accuracy. */
function accuracyCells(acc: MetricValue | undefined, n: number): { correct: number; wrong: number } | null {
  // label-free: no accuracy to print, nothing to hide
  if (acc === undefined) return { correct: 0, wrong: 0 };
  if (acc?.numerator !== undefined)
    return { correct: acc.numerator, wrong: (acc.denominator ?? n) - acc.numerator };
  if (acc?.value === null || acc?.value === undefined) return n === 0 ? { correct: 0, wrong: 0 } : null;
  const correct = round(acc.value * n);
  return { correct, wrong: n - correct };
}

const smallCells = (c: ClassCells): boolean =>
  isSmallCount(c.tp) || isSmallCount(c.fp) || isSmallCount(c.fn) || isSmallCount(c.tn);

export interface MulticlassSliceSuppression {
  counts: SliceSuppression;
  /** Per group: why its accuracy is hidden, or null. */
  accuracy: (CellReason | null)[];
  /** Per group, per class name: why that class's one-vs-rest figures are hidden, or null. */
  classes: Record<string, CellReason | null>[];
}

/** Groups, their accuracy and their one-vs-rest figures per class. */
export function suppressMulticlassSlice(
  slice: Pick<MulticlassSliceResult, 'attributes' | 'reference' | 'groups'>,
  classNames: readonly string[],
): MulticlassSliceSuppression {
  const counts = suppressCounts(slice);
  const G = slice.groups.length;
  const C = classNames.length;
  const groupHidden = (g: number): boolean => counts.groups[g]?.countSuppressed ?? false;
  // cells: index g * C + c
  const cellOf = slice.groups.flatMap((g) =>
    classNames.map((name) => classCells(g.classes[name] ?? {}, g.count)),
  );
  const size = (i: number): number => {
    const c = cellOf[i];
    // the people a class's figures are about: predicted it or have it (unknown cells count as non-empty)
    return c ? c.tp + c.fp + c.fn : 1;
  };
  const cellReason: (CellReason | null)[] = cellOf.map((c, i) =>
    groupHidden(Math.floor(i / C)) ? 'group' : c === null || smallCells(c) ? 'small' : null,
  );
  const accCells = slice.groups.map((g) => accuracyCells(g.metrics.accuracy, g.count));
  const accReason: (CellReason | null)[] = accCells.map((a, g) =>
    groupHidden(g)
      ? 'group'
      : a === null || isSmallCount(a.correct) || isSmallCount(a.wrong)
        ? 'small'
        : null,
  );
  const cellHidden = cellReason.map((r) => r !== null);
  const accHidden = accReason.map((r) => r !== null);
  const sliceLineList = sliceLines(slice);
  const classLines: number[][] = [];
  for (let c = 0; c < C; c++) for (const line of sliceLineList) classLines.push(line.map((g) => g * C + c));
  for (let g = 0; g < G; g++) classLines.push(classNames.map((_, c) => g * C + c));
  const cellLabel = (i: number): string =>
    `${keyId(slice.groups[Math.floor(i / C)]?.key ?? {})}\u0001${classNames[i % C] ?? ''}`;
  for (let changed = true; changed;) {
    changed = false;
    // a hidden accuracy: at least two hidden non-empty classes in its group (one, and the line rule adds more)
    for (let g = 0; g < G; g++) {
      if (!accHidden[g]) continue;
      const idx = classNames.map((_, c) => g * C + c).filter((i) => size(i) > 0);
      if (idx.some((i) => cellHidden[i])) continue;
      const pick = idx.sort((a, b) => size(a) - size(b) || cellLabel(a).localeCompare(cellLabel(b)))[0];
      if (pick !== undefined) {
        cellHidden[pick] = true;
        cellReason[pick] = 'complementary';
        changed = true;
      }
    }
    const cells = complementCells(
      cellOf.map((_, i) => size(i)),
      classLines,
      cellHidden,
      cellLabel,
    );
    for (const p of cells.partners) cellReason[p] = 'complementary';
    const acc = complementCells(
      accCells.map((a, g) => (a === null ? 1 : (slice.groups[g]?.count ?? 0))),
      sliceLineList,
      accHidden,
      (g) => keyId(slice.groups[g]?.key ?? {}),
    );
    for (const p of acc.partners) accReason[p] = 'complementary';
    if (cells.partners.length > 0 || acc.partners.length > 0) changed = true;
  }
  const classes = slice.groups.map((_, g) => {
    const out: Record<string, CellReason | null> = {};
    classNames.forEach((name, c) => (out[name] = cellReason[g * C + c] ?? null));
    return out;
  });
  return { counts, accuracy: accReason, classes };
}

/** Whether the overall (whole audit) figures of a class may be printed: none of its four cells is 1 to 10. */
export function overallClassShown(result: Pick<MulticlassResult, 'overall'>, name: string): boolean {
  const c = classCells(result.overall.classes[name] ?? {}, result.overall.count);
  return c !== null && !smallCells(c);
}

/** Whether the overall accuracy may be printed (correct and wrong counts 0 or above 10). */
export function overallAccuracyShown(result: Pick<MulticlassResult, 'overall'>): boolean {
  const a = accuracyCells(result.overall.metrics.accuracy, result.overall.count);
  return a !== null && !isSmallCount(a.correct) && !isSmallCount(a.wrong);
}

export type { CountSuppressionReason };
