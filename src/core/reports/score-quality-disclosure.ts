/**
 * Disclosure control for the score-quality views (calibration curves and the threshold what-if), the same
 * rule as every shareable output (docs/disclosure-control.md): no count from 1 to 10 is printed, nor anything
 * from which one can be worked out.
 *
 * Threshold what-if. At threshold t a group's figures (selection rate, TPR, FPR, PPV, alerts per 1,000, net
 * benefit) all rest on its four confusion cells TP, FP, FN, TN, so they are shown or hidden together:
 *  (a) hidden when any of the four cells is 1 to 10;
 *  (b) hidden when, since the previous threshold shown for the group, TP or FP changed by 1 to 10: two
 *      thresholds of the slider must never give away the few people whose scores lie between them;
 *  (c) complementary: along every line of groups whose totals add up (the slice, and each row and column of
 *      an intersection), a single hidden non-empty group gets a partner, the next-smallest group.
 * Thresholds are walked in order for all groups of the slice at once, (c) before a group's last shown
 * threshold moves, so a step is always measured between two thresholds that are both shown. Every count that
 * the shown figures pin down is then a sum of cells and of steps that are each 0 or at least 11, so any
 * precision is safe.
 *
 * Calibration curve. A bin's count n, its positives O and n − O must each be 0 or at least 11; the bins of a
 * group add up to the group's count, and each bin adds up over the groups of a slice, so a single hidden
 * non-empty bin on either line gets a partner, to a fixed point.
 *
 * Pure and browser-safe (the console imports it through ./browser.ts).
 */
import { isSmallCount, keyId } from './format';
import type { CurvePoint, ThresholdPoint } from '../score-quality';
import { sliceLines } from './suppression';

/** The threshold what-if as GET /v1/audits/{id}/thresholds returns it. */
export type ThresholdPointInput = ThresholdPoint;

export interface EqualOpportunityInput {
  threshold: number | null;
  true_positive_rate: number | null;
  withinTolerance: boolean;
  alerts_per_1000: number | null;
  net_benefit: number | null;
}

export interface ThresholdGroupInput {
  key: Record<string, string>;
  count: number;
  points: ThresholdPointInput[];
  equalOpportunity?: EqualOpportunityInput;
}

export interface ThresholdSliceInput {
  attributes: string[];
  groups: ThresholdGroupInput[];
}

/** Confusion cells at one threshold (weighted sums when the audit has weights). */
export interface Cells {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Rounds away the float noise of rate × count (weighted counts keep 6 decimals). */
function clean(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const small = isSmallCount;

/** Flagged positives and negatives at one point, from its rates and the group size. */
function flaggedAt(p: Pick<ThresholdPointInput, 'selection_rate' | 'positive_predictive_value'>, n: number) {
  const flagged = clean((p.selection_rate ?? 0) * n);
  const tp = clean((p.positive_predictive_value ?? 0) * flagged);
  return { tp, fp: clean(flagged - tp) };
}

/**
 * The group's positives and negatives, worked out from its points (the API gives rates only): P = TP / TPR
 * at a point with TPR > 0, else N = FP / FPR; null when no point tells (nobody is ever flagged).
 */
export function groupTotals(g: ThresholdGroupInput): { positives: number; negatives: number } | null {
  const n = g.count;
  for (const p of g.points) {
    const { tp, fp } = flaggedAt(p, n);
    if (p.true_positive_rate !== null && p.true_positive_rate > 0) {
      const positives = clean(tp / p.true_positive_rate);
      return { positives, negatives: clean(n - positives) };
    }
    if (p.false_positive_rate !== null && p.false_positive_rate > 0) {
      const negatives = clean(fp / p.false_positive_rate);
      return { positives: clean(n - negatives), negatives };
    }
  }
  const anyPoint = g.points[0];
  if (anyPoint === undefined) return null;
  if (anyPoint.true_positive_rate === null) return { positives: 0, negatives: n };
  if (anyPoint.false_positive_rate === null) return { positives: n, negatives: 0 };
  return null;
}

/** The four cells of a group at each of its points (null when the group's totals cannot be told). */
export function cellsOf(g: ThresholdGroupInput): Cells[] | null {
  const totals = groupTotals(g);
  if (totals === null) return null;
  return g.points.map((p) => {
    const { tp, fp } = flaggedAt(p, g.count);
    return { tp, fp, fn: clean(totals.positives - tp), tn: clean(totals.negatives - fp) };
  });
}

function cellsSmall(c: Cells): boolean {
  return small(c.tp) || small(c.fp) || small(c.fn) || small(c.tn);
}

function stepSmall(from: Cells, to: Cells): boolean {
  return small(clean(Math.abs(from.tp - to.tp))) || small(clean(Math.abs(from.fp - to.fp)));
}

/**
 * Rule (c) on one column (a threshold, or a calibration bin) of one slice: `shown[i]` for group i is
 * cleared for a partner wherever a line holds exactly one hidden non-empty group. `size[i]` orders the
 * partners (smallest first); groups of size 0 are empty and never partners.
 */
export function addPartners(
  lines: readonly (readonly number[])[],
  shown: boolean[],
  size: readonly number[],
  label: (i: number) => string,
): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const nonEmpty = line.filter((i) => (size[i] ?? 0) > 0);
      if (nonEmpty.filter((i) => !shown[i]).length !== 1) continue;
      const partner = nonEmpty
        .filter((i) => shown[i])
        .sort((a, b) => (size[a] ?? 0) - (size[b] ?? 0) || label(a).localeCompare(label(b)))[0];
      if (partner !== undefined) {
        shown[partner] = false;
        changed = true;
      }
    }
  }
}

/** Which groups the audit's tables hide outright, and which of their figures they hide. */
export interface GroupVisibility {
  groupHidden(key: Record<string, string>): boolean;
  valueHidden?(key: Record<string, string>, metric: string): boolean;
}

const TABLE_RATES = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
] as const;

/**
 * Per group of the slice, per threshold: may the figures be shown? Groups the table hides, and groups whose
 * totals cannot be told, are hidden at every threshold.
 *
 * `anchor` is the audit's own threshold when the grid holds it: the audit's tables print the figures there,
 * so steps are measured from it, walking up and down the grid (a slider position next to it must not
 * differ from the table by 1 to 10 people), and a group is shown there only when the table shows all four
 * of its rates. Without an anchor the walk starts from "everyone flagged" at the bottom of the grid.
 *
 * All groups of the slice walk together: at each threshold rule (c) runs before a group's last shown
 * threshold moves on, so every step is between two shown thresholds and the groups' shown thresholds line up.
 */
export function publishedThresholdGrid(
  slice: ThresholdSliceInput,
  table: GroupVisibility,
  anchor?: number,
): boolean[][] {
  const cells = slice.groups.map((g) => (table.groupHidden(g.key) || small(g.count) ? null : cellsOf(g)));
  const lines = sliceLines(slice);
  const label = (i: number) => keyId(slice.groups[i]?.key ?? {});
  const size = slice.groups.map((g) => g.count);
  const grid = slice.groups.map((g) => g.points.map(() => false));
  const k = Math.max(0, ...slice.groups.map((g) => g.points.length));
  const a =
    anchor === undefined ? -1 : (slice.groups[0]?.points.findIndex((p) => p.threshold === anchor) ?? -1);

  /** One threshold for all groups: rules (a), (b) from `last`, then (c); moves `last` for the shown. */
  const step = (t: number, last: (Cells | null)[], extra: (i: number) => boolean = () => true): void => {
    const shown = slice.groups.map((_, i) => {
      const c = cells[i]?.[t];
      const from = last[i];
      return (
        c !== undefined &&
        from !== null &&
        from !== undefined &&
        !cellsSmall(c) &&
        !stepSmall(from, c) &&
        extra(i)
      );
    });
    addPartners(lines, shown, size, label);
    shown.forEach((s, i) => {
      const c = cells[i]?.[t];
      if (!s || c === undefined || !grid[i]) return;
      grid[i][t] = true;
      last[i] = c;
    });
  };

  if (a < 0) {
    const last = slice.groups.map((g, i): Cells | null => {
      const totals = cells[i] ? groupTotals(g) : null;
      return totals ? { tp: totals.positives, fp: totals.negatives, fn: 0, tn: 0 } : null;
    });
    for (let t = 0; t < k; t++) step(t, last);
    return grid;
  }
  // The anchor: the table's figures. Steps from it are measured whether or not it is shown here (an
  // unknown anchor only makes the check stricter; two sides' steps add up).
  const tableShows = (i: number): boolean => {
    const key = slice.groups[i]?.key ?? {};
    return !TABLE_RATES.some((m) => table.valueHidden?.(key, m) ?? false);
  };
  const atAnchor = cells.map((c) => c?.[a] ?? null);
  step(
    a,
    atAnchor.map((c) => c),
    tableShows,
  );
  const up = [...atAnchor];
  for (let t = a + 1; t < k; t++) step(t, up);
  const down = [...atAnchor];
  for (let t = a - 1; t >= 0; t--) step(t, down);
  return grid;
}

/**
 * The equal-opportunity point of a group lies between grid thresholds: it may be shown when its cells pass
 * rule (a) and its steps from the nearest shown grid points below and above pass rule (b).
 */
export function equalOpportunityPublishable(g: ThresholdGroupInput, shown: readonly boolean[]): boolean {
  const eo = g.equalOpportunity;
  const totals = groupTotals(g);
  const cells = cellsOf(g);
  if (!eo || eo.threshold === null || totals === null || cells === null) return false;
  if (eo.true_positive_rate === null || eo.alerts_per_1000 === null) return false;
  const flagged = clean((eo.alerts_per_1000 / 1000) * g.count);
  const tp = clean(eo.true_positive_rate * totals.positives);
  const at: Cells = {
    tp,
    fp: clean(flagged - tp),
    fn: clean(totals.positives - tp),
    tn: clean(totals.negatives - (flagged - tp)),
  };
  if (cellsSmall(at)) return false;
  let below: Cells = { tp: totals.positives, fp: totals.negatives, fn: 0, tn: 0 };
  let above: Cells | null = null;
  g.points.forEach((p, i) => {
    const c = cells[i];
    if (!shown[i] || c === undefined) return;
    if (p.threshold <= eo.threshold!) below = c;
    else above ??= c;
  });
  above ??= { tp: 0, fp: 0, fn: totals.positives, tn: totals.negatives };
  return !stepSmall(below, at) && !stepSmall(at, above);
}

/** One bin of a reliability curve as GET /v1/audits/{id}/calibration returns it. */
export type CurvePointInput = CurvePoint;

function binSmall(b: CurvePointInput): boolean {
  const positives = clean((b.observedRate ?? 0) * b.count);
  return small(b.count) || small(positives) || small(clean(b.count - positives));
}

/**
 * Per group of the slice, per bin: may the bin be shown? Groups the table hides are hidden in every bin; a
 * bin of 1 to 10 people, positives or negatives is hidden, then partners on both kinds of line.
 */
export function publishedCurveGrid(
  slice: {
    attributes: string[];
    groups: { key: Record<string, string>; count: number; curve: CurvePointInput[] }[];
  },
  table: GroupVisibility,
): boolean[][] {
  const grid = slice.groups.map((g) => g.curve.map((b) => !table.groupHidden(g.key) && !binSmall(b)));
  const lines = sliceLines(slice);
  const label = (i: number) => keyId(slice.groups[i]?.key ?? {});
  const bins = Math.max(0, ...slice.groups.map((g) => g.curve.length));
  for (let changed = true; changed;) {
    changed = false;
    const before = JSON.stringify(grid);
    // Across the groups of each bin.
    for (let b = 0; b < bins; b++) {
      const shown = grid.map((row) => row[b] ?? false);
      const size = slice.groups.map((g) => g.curve[b]?.count ?? 0);
      addPartners(lines, shown, size, label);
      shown.forEach((s, i) => {
        if (!s && grid[i]) grid[i][b] = false;
      });
    }
    // Within each group: its bins add up to its count.
    slice.groups.forEach((g, i) => {
      const row = grid[i];
      if (!row || table.groupHidden(g.key)) return;
      addPartners(
        [g.curve.map((_, b) => b)],
        row,
        g.curve.map((b) => b.count),
        (b) => String(b),
      );
    });
    changed = JSON.stringify(grid) !== before;
  }
  return grid;
}

/** The overall curve: its own bins, with the within-curve partner rule. */
export function publishedOverallCurve(curve: readonly CurvePointInput[]): boolean[] {
  const shown = curve.map((b) => !binSmall(b));
  addPartners(
    [curve.map((_, b) => b)],
    shown,
    curve.map((b) => b.count),
    (b) => String(b),
  );
  return shown;
}
