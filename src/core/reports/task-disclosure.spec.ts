/**
 * An attacker on the published regression and multiclass report content: it reads which counts are printed
 * (group n, decile n, the rows analysed) and which figures are shown, grants itself the exact counts behind
 * every shown figure (worst case: a shown rate or mean gives its counts away), and solves every line of known
 * sum with a single unknown, again and again. It must find no true count from 1 to 10. The same attacker on
 * the tables with only the small cells themselves hidden (no partners) finds one: the attack works.
 */
import type { MulticlassResult, RegressionResult } from '../tasks/types';
import { buildReportViewModel } from './view-model';
import { classCells } from './task-suppression';
import { isSmallCount } from './format';
import type { MulticlassReportView, RegressionReportView } from './task-types';
import { sampleMulticlassInput, sampleRegressionInput } from '../../../test/support/task-report-fixture';

/** Values (null = unknown) and lines of known sum; returns the unknowns it could work out. */
function solve(
  values: (number | null)[],
  lines: { cells: number[]; sum: number | null }[],
): Map<number, number> {
  const found = new Map<number, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const l of lines) {
      if (l.sum === null) continue;
      const unknown = l.cells.filter((i) => values[i] === null);
      if (unknown.length !== 1) continue;
      const i = unknown[0] as number;
      const v = l.sum - l.cells.reduce((a, j) => a + (j === i ? 0 : (values[j] ?? 0)), 0);
      values[i] = v;
      found.set(i, v);
      changed = true;
    }
  }
  return found;
}

const printed = (s: string | undefined): boolean => s !== undefined && /^[\d,]+$/.test(s);

// ---------------------------------------------------------------- regression

/** Group sizes and decile counts of the sample's one slice: the truth the attacker is after. */
function regressionTruth(r: RegressionResult) {
  const slice = r.slices[0];
  if (!slice) throw new Error('no slice');
  return {
    total: r.overall.count,
    groups: slice.groups.map((g) => g.count),
    cells: slice.groups.map((g) => (g.predictionDeciles ?? []).map((d) => d.count)),
    all: (r.overall.predictionDeciles ?? []).map((d) => d.count),
  };
}

/** What is printed: from the view model (shown ⇔ a number is printed). */
function regressionShown(view: RegressionReportView) {
  const s = view.slices[0];
  const rows = s?.deciles?.rows ?? [];
  return {
    groups: (s?.metrics.rows ?? []).map((r) => printed(r.count)),
    cells: rows.filter((r) => r.label !== 'All').map((r) => r.counts.map(printed)),
    all: rows.find((r) => r.label === 'All')?.counts.map(printed) ?? [],
  };
}

function attackRegression(
  truth: ReturnType<typeof regressionTruth>,
  shown: ReturnType<typeof regressionShown>,
): number[] {
  // unknowns: group sizes (G), then the G × 10 cells, then the 10 overall decile counts
  const G = truth.groups.length;
  const values: (number | null)[] = [
    ...truth.groups.map((n, g) => (shown.groups[g] ? n : null)),
    ...truth.cells.flatMap((row, g) => row.map((n, d) => (shown.cells[g]?.[d] ? n : null))),
    ...truth.all.map((n, d) => (shown.all[d] ? n : null)),
  ];
  const cell = (g: number, d: number): number => G + g * 10 + d;
  const all = (d: number): number => G + G * 10 + d;
  const lines = [
    { cells: truth.groups.map((_, g) => g), sum: truth.total },
    { cells: truth.all.map((_, d) => all(d)), sum: truth.total },
    // a group's deciles add up to its size; a decile's groups to the whole sample's decile
    ...truth.groups.map((_, g) => ({
      cells: [...Array(10).keys()].map((d) => cell(g, d)),
      sum: null as number | null,
      group: g,
    })),
    ...[...Array(10).keys()].map((d) => ({
      cells: [...truth.groups.keys()].map((g) => cell(g, d)),
      sum: null as number | null,
      decile: d,
    })),
  ];
  // sums that are themselves unknowns: modelled by moving them into the line (x − Σ = 0)
  const withUnknownSums = lines.map((l) =>
    'group' in l
      ? { cells: [...l.cells], sum: 0, neg: l.group }
      : 'decile' in l
        ? { cells: [...l.cells], sum: 0, neg: all(l.decile) }
        : { ...l, neg: undefined },
  );
  const found = new Map<number, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const l of withUnknownSums) {
      const members = l.neg === undefined ? l.cells : [...l.cells, l.neg];
      const unknown = members.filter((i) => values[i] === null);
      if (unknown.length !== 1) continue;
      const i = unknown[0] as number;
      const known = (j: number): number => values[j] ?? 0;
      let v: number;
      if (l.neg === undefined) v = (l.sum ?? 0) - l.cells.reduce((a, j) => a + (j === i ? 0 : known(j)), 0);
      else if (i === l.neg) v = l.cells.reduce((a, j) => a + known(j), 0);
      else v = known(l.neg) - l.cells.reduce((a, j) => a + (j === i ? 0 : known(j)), 0);
      values[i] = v;
      found.set(i, v);
      changed = true;
    }
  }
  return [...found.values()].filter(isSmallCount);
}

describe('disclosure of a regression report: an attacker on the groups × deciles table', () => {
  const input = sampleRegressionInput();
  const vm = buildReportViewModel(input);
  const truth = regressionTruth(input.result);
  if (vm.task?.task !== 'regression') throw new Error('expected a regression section');
  const shown = regressionShown(vm.task);

  it('the fixture has counts from 1 to 10 to protect', () => {
    expect(truth.groups.some(isSmallCount)).toBe(true);
    expect(truth.cells.flat().some(isSmallCount)).toBe(true);
  });

  it('prints no count from 1 to 10', () => {
    const counts = [
      ...(vm.task?.task === 'regression' ? (vm.task.slices[0]?.deciles?.rows ?? []) : []),
    ].flatMap((r) => r.counts);
    expect(counts.filter((c) => printed(c) && isSmallCount(Number(c.replace(/,/g, ''))))).toEqual([]);
  });

  it('finds no count from 1 to 10 in the published tables', () => {
    expect(attackRegression(truth, shown)).toEqual([]);
  });

  it('finds one when only the small cells themselves are hidden (no partners)', () => {
    const naive = {
      groups: truth.groups.map((n) => !isSmallCount(n)),
      cells: truth.cells.map((row, g) => row.map((n) => !isSmallCount(n) && !isSmallCount(truth.groups[g]))),
      all: truth.all.map((n) => !isSmallCount(n)),
    };
    expect(attackRegression(truth, naive).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- multiclass

interface McShown {
  n: boolean[];
  accuracy: boolean[];
  /** [group][class] */
  cells: boolean[][];
  overall: boolean[];
}

function multiclassShown(view: MulticlassReportView): McShown {
  const s = view.slices[0];
  if (!s) throw new Error('no slice');
  return {
    n: s.accuracy.rows.map((r) => printed(r.count)),
    accuracy: s.accuracy.rows.map((r) => !(r.cells[0]?.suppressed ?? true)),
    cells: s.accuracy.rows.map((_, g) => s.classes.map((c) => !(c.rows[g]?.cells[0]?.suppressed ?? true))),
    overall: view.overall.rows.map((r) => !(r.cells[0]?.suppressed ?? true)),
  };
}

/**
 * Per (group, class): predicted, actual and TP counts, known where the figures are shown. Lines: per class
 * over the groups (sums: the overall class's, when shown), per group over the classes (predicted and actual
 * add up to n when printed; TP to the correct count when the accuracy is shown). Leaks: a worked-out count,
 * FP, FN or TN of 1 to 10, or a hidden group's n.
 */
function attackMulticlass(r: MulticlassResult, shown: McShown): number[] {
  const slice = r.slices[0];
  if (!slice) throw new Error('no slice');
  const C = r.classes.length;
  const cells = slice.groups.map((g) => r.classes.map((c) => classCells(g.classes[c] ?? {}, g.count)));
  const overall = r.classes.map((c) => classCells(r.overall.classes[c] ?? {}, r.overall.count));
  const leaks: number[] = [];
  const n = slice.groups.map((g, i) => (shown.n[i] ? g.count : null));
  for (const v of solve(n, [{ cells: n.map((_, i) => i), sum: r.overall.count }]).values())
    if (isSmallCount(v)) leaks.push(v);
  const quantities = {
    predicted: (x: { tp: number; fp: number }) => x.tp + x.fp,
    actual: (x: { tp: number; fn: number }) => x.tp + x.fn,
    tp: (x: { tp: number }) => x.tp,
  };
  const solved: Record<string, (number | null)[]> = {};
  for (const [q, of] of Object.entries(quantities)) {
    const values = cells.flatMap((row, g) => row.map((x, c) => (shown.cells[g]?.[c] && x ? of(x) : null)));
    const lines = [
      ...r.classes.map((_, c) => {
        const o = overall[c];
        return { cells: slice.groups.map((_g, g) => g * C + c), sum: shown.overall[c] && o ? of(o) : null };
      }),
      ...slice.groups.map((g, gi) => {
        const correct = Math.round((g.metrics.accuracy?.value ?? 0) * g.count);
        const sum = q === 'tp' ? (shown.accuracy[gi] ? correct : null) : (n[gi] ?? null);
        return { cells: r.classes.map((_c, c) => gi * C + c), sum };
      }),
    ];
    for (const v of solve(values, lines).values()) if (isSmallCount(v)) leaks.push(v);
    solved[q] = values;
  }
  // FP, FN, TN of every cell whose parts are now known
  cells.forEach((row, g) =>
    row.forEach((_x, c) => {
      const i = g * C + c;
      const p = solved.predicted?.[i];
      const a = solved.actual?.[i];
      const tp = solved.tp?.[i];
      const size = n[g];
      if (typeof tp === 'number' && typeof p === 'number' && isSmallCount(p - tp)) leaks.push(p - tp);
      if (typeof tp === 'number' && typeof a === 'number' && isSmallCount(a - tp)) leaks.push(a - tp);
      if (
        typeof tp === 'number' &&
        typeof p === 'number' &&
        typeof a === 'number' &&
        typeof size === 'number' &&
        isSmallCount(size - a - (p - tp))
      )
        leaks.push(size - a - (p - tp));
    }),
  );
  return leaks;
}

describe('disclosure of a multiclass report: an attacker on the groups × classes tables', () => {
  const input = sampleMulticlassInput();
  const vm = buildReportViewModel(input);
  if (vm.task?.task !== 'multiclass') throw new Error('expected a multiclass section');
  const shown = multiclassShown(vm.task);

  it('finds no count from 1 to 10 in the published tables', () => {
    expect(attackMulticlass(input.result, shown)).toEqual([]);
  });

  it('finds one when only the small cells themselves are hidden (no partners)', () => {
    const slice = input.result.slices[0];
    if (!slice) throw new Error('no slice');
    const small = (g: (typeof slice.groups)[number], c: string): boolean => {
      const x = classCells(g.classes[c] ?? {}, g.count);
      return x === null || [x.tp, x.fp, x.fn, x.tn].some(isSmallCount);
    };
    const naive: McShown = {
      n: slice.groups.map((g) => !isSmallCount(g.count)),
      accuracy: slice.groups.map((g) => !isSmallCount(g.count)),
      cells: slice.groups.map((g) => input.result.classes.map((c) => !isSmallCount(g.count) && !small(g, c))),
      overall: input.result.classes.map(() => true),
    };
    expect(attackMulticlass(input.result, naive).length).toBeGreaterThan(0);
  });
});
