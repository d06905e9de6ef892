import { mulberry32 } from '../stats';
import {
  addPartners,
  cellsOf,
  equalOpportunityPublishable,
  publishedCurveGrid,
  publishedThresholdGrid,
  type Cells,
  type CurvePointInput,
  type ThresholdGroupInput,
  type ThresholdPointInput,
} from './score-quality-disclosure';
import { calibrationView, thresholdsView, type TableDisclosure } from './score-quality-view';

interface Row {
  key: Record<string, string>;
  score: number;
  label: 0 | 1;
}

/** The what-if point at t, counted row by row (the definition, not the engine's walk). */
function pointAt(rows: Row[], t: number): ThresholdPointInput {
  const n = rows.length;
  const tp = rows.filter((r) => r.score >= t && r.label === 1).length;
  const fp = rows.filter((r) => r.score >= t && r.label === 0).length;
  const p = rows.filter((r) => r.label === 1).length;
  return {
    threshold: t,
    selection_rate: n ? (tp + fp) / n : null,
    true_positive_rate: p ? tp / p : null,
    false_positive_rate: n - p ? fp / (n - p) : null,
    positive_predictive_value: tp + fp ? tp / (tp + fp) : null,
    net_benefit: n ? tp / n - (fp / n) * (t / (1 - t)) : null,
    alerts_per_1000: n ? (1000 * (tp + fp)) / n : null,
  };
}

const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

function group(rows: Row[], key: Record<string, string>, grid = GRID): ThresholdGroupInput {
  const mine = rows.filter((r) => JSON.stringify(r.key) === JSON.stringify(key));
  return { key, count: mine.length, points: grid.map((t) => pointAt(mine, t)) };
}

/** `n` rows of one group with `positives` label-1 rows, scores spread evenly over (0, 1). */
function spread(key: Record<string, string>, n: number, positives: number, seed: number): Row[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    key,
    score: Math.round(random() * 1000) / 1000,
    label: i < positives ? 1 : 0,
  }));
}

const NOTHING_HIDDEN: TableDisclosure = {
  slices: [],
  groupHidden: () => false,
  valueHidden: () => false,
};

describe('threshold what-if: the cells behind the rates', () => {
  it('works TP, FP, FN, TN back out of the rates (hand-checked: 40 positives of 100)', () => {
    // Scores: positives at 0.9 (30 of them) and 0.2 (10); negatives at 0.7 (15) and 0.1 (45).
    const rows: Row[] = [
      ...Array.from({ length: 30 }, (): Row => ({ key: { g: 'a' }, score: 0.9, label: 1 })),
      ...Array.from({ length: 10 }, (): Row => ({ key: { g: 'a' }, score: 0.2, label: 1 })),
      ...Array.from({ length: 15 }, (): Row => ({ key: { g: 'a' }, score: 0.7, label: 0 })),
      ...Array.from({ length: 45 }, (): Row => ({ key: { g: 'a' }, score: 0.1, label: 0 })),
    ];
    const g = group(rows, { g: 'a' }, [0.05, 0.15, 0.5, 0.8, 0.95]);
    expect(cellsOf(g)).toEqual([
      { tp: 40, fp: 60, fn: 0, tn: 0 },
      { tp: 40, fp: 15, fn: 0, tn: 45 },
      { tp: 30, fp: 15, fn: 10, tn: 45 },
      { tp: 30, fp: 0, fn: 10, tn: 60 },
      { tp: 0, fp: 0, fn: 40, tn: 60 },
    ]);
  });
});

describe('threshold what-if: rules (a) and (b) along one group', () => {
  /** A group of 100 (40 positives) whose points have these cells, at thresholds 0.1, 0.2, ... */
  function publish(cells: { tp: number; fp: number }[]): boolean[] {
    const g: ThresholdGroupInput = {
      key: { g: 'a' },
      count: 100,
      points: cells.map(({ tp, fp }, i) => ({
        threshold: (i + 1) / 10,
        selection_rate: (tp + fp) / 100,
        true_positive_rate: tp / 40,
        false_positive_rate: fp / 60,
        positive_predictive_value: tp + fp ? tp / (tp + fp) : null,
        net_benefit: null,
        alerts_per_1000: tp + fp ? (1000 * (tp + fp)) / 100 : 0,
      })),
    };
    return publishedThresholdGrid({ attributes: ['g'], groups: [g] }, NOTHING_HIDDEN)[0]!;
  }
  it('shows a threshold whose cells and step from the last shown one are 0 or at least 11', () => {
    expect(
      publish([
        { tp: 40, fp: 60 },
        { tp: 40, fp: 45 },
        { tp: 25, fp: 45 },
        { tp: 0, fp: 0 },
      ]),
    ).toEqual([true, true, true, true]);
  });
  it('hides a cell of 1 to 10, and a step of 1 to 10, then measures from the last shown threshold', () => {
    expect(
      publish([
        { tp: 40, fp: 55 }, // TN = 5
        { tp: 40, fp: 47 }, // step from everyone: FP −13: shown
        { tp: 36, fp: 47 }, // FN = 4
        { tp: 33, fp: 47 }, // FN = 7
        { tp: 29, fp: 40 }, // cells fine, step from the last shown: TP −11, FP −7
        { tp: 29, fp: 36 }, // step: TP −11, FP −11 → shown
        { tp: 20, fp: 0 }, // TP −9
        { tp: 3, fp: 0 }, // TP = 3
      ]),
    ).toEqual([false, true, false, false, false, true, false, false]);
  });
});

describe('complementary partners along a line', () => {
  it('hides the next-smallest non-empty group when exactly one is hidden, and nothing more when two are', () => {
    const shown = [false, true, true, true];
    addPartners([[0, 1, 2, 3]], shown, [50, 80, 0, 30], String);
    expect(shown).toEqual([false, true, true, false]); // group 2 is empty, group 3 the smallest
    const two = [false, false, true, true];
    addPartners([[0, 1, 2, 3]], two, [50, 80, 40, 30], String);
    expect(two).toEqual([false, false, true, true]);
  });
});

describe('the published threshold grid never gives away 1 to 10 people', () => {
  // Three groups: a large one, a middling one, and one of 40 people with 6 positives.
  const rows = [
    ...spread({ race: 'A' }, 3000, 900, 1),
    ...spread({ race: 'B' }, 150, 60, 2),
    ...spread({ race: 'C' }, 40, 6, 3),
  ];
  const slice = {
    attributes: ['race'],
    groups: [group(rows, { race: 'A' }), group(rows, { race: 'B' }), group(rows, { race: 'C' })],
  };
  const truth = slice.groups.map((g) => cellsOf(g)!);
  const smallCount = (x: number) => x >= 1 && x <= 10;

  /**
   * Every count an attacker gets from shown figures: cells, steps between shown thresholds, single hidden.
   * `known` is a threshold whose figures the attacker has from elsewhere (the audit's tables).
   */
  function leaks(shown: boolean[][], known = -1): string[] {
    const found: string[] = [];
    truth.forEach((cells, i) => {
      // The tables print a group's figures only when no cell is 1 to 10 (their rule 2).
      const printed = (c: Cells) => !Object.values(c).some(smallCount);
      const at = cells
        .map((c, t) => ({ c, t }))
        .filter(({ c, t }) => shown[i]![t] || (t === known && printed(c)));
      for (const { c, t } of at)
        for (const [name, v] of Object.entries(c)) if (smallCount(v)) found.push(`${i}@${t} ${name}=${v}`);
      for (let a = 0; a < at.length; a++)
        for (let b = a + 1; b < at.length; b++) {
          const d = at[a]!.c.tp - at[b]!.c.tp;
          const e = at[a]!.c.fp - at[b]!.c.fp;
          if (smallCount(d) || smallCount(e)) found.push(`${i} ${at[a]!.t}→${at[b]!.t}`);
        }
    });
    GRID.forEach((_, t) => {
      const hidden = slice.groups.filter((g, i) => g.count > 0 && !shown[i]![t]);
      if (hidden.length === 1) found.push(`single hidden @${t}`);
    });
    return found;
  }

  it('finds leaks when everything is shown (the attack works)', () => {
    expect(leaks(slice.groups.map((g) => g.points.map(() => true))).length).toBeGreaterThan(0);
  });

  it('finds none in the published grid, which still shows most thresholds of the large groups', () => {
    const grid = publishedThresholdGrid(slice, NOTHING_HIDDEN);
    expect(leaks(grid)).toEqual([]);
    expect(grid[0]!.filter(Boolean).length).toBeGreaterThan(40);
    // The group of 40 with 6 positives: FN or TP is 1 to 10 at every threshold, so nothing of it is shown.
    expect(grid[2]!.some(Boolean)).toBe(false);
  });

  it("measures steps from the audit's own threshold, whose figures the audit's tables print", () => {
    const anchor = GRID.indexOf(0.3);
    // Walking from the bottom of the grid, some shown threshold is 1 to 10 people away from the table's.
    expect(leaks(publishedThresholdGrid(slice, NOTHING_HIDDEN), anchor).length).toBeGreaterThan(0);
    const grid = publishedThresholdGrid(slice, NOTHING_HIDDEN, 0.3);
    expect(leaks(grid, anchor)).toEqual([]);
    expect(grid[0]![anchor]).toBe(true);
    expect(grid[0]!.filter(Boolean).length).toBeGreaterThan(40);
    // At the anchor a group is shown only when the table shows its four rates.
    const tprHidden = {
      ...NOTHING_HIDDEN,
      valueHidden: (k: Record<string, string>, m: string) => k.race === 'A' && m === 'true_positive_rate',
    };
    expect(publishedThresholdGrid(slice, tprHidden, 0.3)[0]![anchor]).toBe(false);
  });

  it('hides a group the table hides at every threshold', () => {
    const grid = publishedThresholdGrid(slice, { ...NOTHING_HIDDEN, groupHidden: (k) => k.race === 'B' });
    expect(grid[1]!.some(Boolean)).toBe(false);
    expect(leaks(grid)).toEqual([]);
  });

  it('shows an equal-opportunity point only when its steps to the shown neighbours are safe', () => {
    const g = slice.groups[0]!;
    const grid = publishedThresholdGrid(slice, NOTHING_HIDDEN)[0]!;
    const mine = rows.filter((r) => r.key.race === 'A');
    const at = (t: number) => pointAt(mine, t);
    // Exactly on a shown grid point: the same cells, steps of 0.
    const t0 = GRID[grid.indexOf(true, 20)]!;
    const p0 = at(t0);
    const eo = (p: ThresholdPointInput) => ({
      threshold: p.threshold,
      true_positive_rate: p.true_positive_rate,
      withinTolerance: true,
      alerts_per_1000: p.alerts_per_1000,
      net_benefit: p.net_benefit,
    });
    expect(equalOpportunityPublishable({ ...g, equalOpportunity: eo(p0) }, grid)).toBe(true);
    // Just above a shown grid point: one or two people fewer flagged, a step of 1 to 10.
    const above = [...new Set(mine.map((r) => r.score))].sort((a, b) => a - b).find((s) => s > t0)!;
    const p1 = { ...at(above + 1e-9), threshold: above + 1e-9 };
    expect(Math.round(p0.alerts_per_1000! - p1.alerts_per_1000!)).toBeGreaterThan(0);
    expect(equalOpportunityPublishable({ ...g, equalOpportunity: eo(p1) }, grid)).toBe(false);
  });
});

describe('the published threshold grid of an intersection', () => {
  it('leaves no row or column of race × sex with exactly one hidden group at any threshold', () => {
    const cells = [
      ['A', 'F', 1500, 450],
      ['A', 'M', 1400, 420],
      ['B', 'F', 300, 90],
      ['B', 'M', 35, 12],
      ['C', 'F', 700, 210],
      ['C', 'M', 600, 180],
    ] as const;
    const rows = cells.flatMap(([race, sex, n, p], i) => spread({ race, sex }, n, p, 10 + i));
    const slice = {
      attributes: ['race', 'sex'],
      groups: cells.map(([race, sex]) => group(rows, { race, sex })),
    };
    const grid = publishedThresholdGrid(slice, NOTHING_HIDDEN);
    // The whole slice, the rows A, B, C and the columns F, M.
    const lines = [
      [0, 1, 2, 3, 4, 5],
      [0, 1],
      [2, 3],
      [4, 5],
      [0, 2, 4],
      [1, 3, 5],
    ];
    const single = GRID.flatMap((_, t) =>
      lines
        .filter((line) => line.filter((i) => !grid[i]![t]).length === 1)
        .map((line) => `${t}:${line.join()}`),
    );
    expect(single).toEqual([]);
    // B × M (35 people, 12 positives: a cell of 1 to 10 at every threshold) is never shown; row B's other cell
    // is its partner wherever nothing else in row B is hidden, i.e. always. A's cells stay shown at many thresholds.
    expect(grid[3]!.some(Boolean)).toBe(false);
    expect(grid[2]!.some(Boolean)).toBe(false);
    expect(grid[0]!.filter(Boolean).length).toBeGreaterThan(20);
    expect(grid[1]!.filter(Boolean).length).toBeGreaterThan(20);
  });
});

describe('the published calibration curve', () => {
  const bin = (i: number, count: number, positives: number): CurvePointInput => ({
    binLow: i / 10,
    binHigh: (i + 1) / 10,
    count,
    meanScore: count ? i / 10 + 0.05 : null,
    observedRate: count ? positives / count : null,
    ciLow: null,
    ciHigh: null,
  });
  const curve = (spec: [number, number][]) => spec.map(([n, p], i) => bin(i, n, p));

  it('hides a bin of 1 to 10 people, positives or negatives, with partners within the group and across groups', () => {
    const slice = {
      attributes: ['sex'],
      groups: [
        // bin 1 has 5 positives: hidden; its within-group partner is the smallest other non-empty bin (bin 2).
        {
          key: { sex: 'F' },
          count: 200,
          curve: curve([
            [50, 20],
            [60, 5],
            [40, 20],
            [50, 25],
          ]),
        },
        {
          key: { sex: 'M' },
          count: 200,
          curve: curve([
            [50, 20],
            [60, 30],
            [45, 20],
            [45, 25],
          ]),
        },
      ],
    };
    const grid = publishedCurveGrid(slice, NOTHING_HIDDEN);
    // Across groups, bins 1 and 2 have one hidden group each: M's bins 1 and 2 go too.
    expect(grid).toEqual([
      [true, false, false, true],
      [true, false, false, true],
    ]);
  });

  it('shows every bin whose counts are 0 or at least 11', () => {
    const slice = {
      attributes: ['sex'],
      groups: [
        {
          key: { sex: 'F' },
          count: 150,
          curve: curve([
            [50, 20],
            [0, 0],
            [100, 50],
          ]),
        },
        {
          key: { sex: 'M' },
          count: 150,
          curve: curve([
            [50, 11],
            [60, 49],
            [40, 20],
          ]),
        },
      ],
    };
    expect(publishedCurveGrid(slice, NOTHING_HIDDEN)).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
  });
});

describe('score-quality views', () => {
  it('prints shown figures at the printed precision and "suppressed" elsewhere', () => {
    const rows = [...spread({ race: 'A' }, 600, 180, 1), ...spread({ race: 'B' }, 300, 90, 2)];
    const slice = {
      attributes: ['race'],
      equalOpportunityTarget: 0.5,
      groups: [group(rows, { race: 'A' }), group(rows, { race: 'B' })].map((g) => ({
        ...g,
        equalOpportunity: {
          threshold: null,
          true_positive_rate: null,
          withinTolerance: false,
          alerts_per_1000: null,
          net_benefit: null,
        },
      })),
    };
    const view = thresholdsView({ thresholds: GRID, auditThreshold: 0.5, slices: [slice] }, NOTHING_HIDDEN);
    expect(view.startIndex).toBe(49);
    const a = view.slices[0]!.groups[0]!;
    const shownAt = a.points.findIndex((p, i) => p !== null && i > 20);
    const at = a.points[shownAt]!;
    const truth = pointAt(
      rows.filter((r) => r.key.race === 'A'),
      GRID[shownAt]!,
    );
    expect(at.selection_rate).toBe(truth.selection_rate!.toFixed(2));
    expect(at.alerts_per_1000).toBe(truth.alerts_per_1000!.toFixed(0));
    expect(at.net_benefit).toBe(truth.net_benefit!.toFixed(3));
    expect(a.count).toBe('600');
    expect(a.equalOpportunity.note).toBe('No threshold reaches the target');
    const hiddenB = thresholdsView(
      { thresholds: GRID, auditThreshold: 0.5, slices: [slice] },
      {
        ...NOTHING_HIDDEN,
        groupHidden: (k) => k.race === 'B',
      },
    ).slices[0]!.groups[1]!;
    expect([hiddenB.count, hiddenB.hidden, hiddenB.points.every((p) => p === null)]).toEqual([
      'suppressed',
      true,
      true,
    ]);
  });

  it('hides the O/E ratio of a group whose positives are 1 to 10 (O/E × expected gives them back)', () => {
    const metrics = {
      brier_score: 0.1,
      expected_calibration_error: 0.02,
      observed_expected_ratio: { value: 0.9, ciLow: 0.5, ciHigh: 1.6 },
      calibration_intercept: { value: -0.1, ciLow: -0.8, ciHigh: 0.6 },
      calibration_slope: { value: 1.1, ciLow: 0.4, ciHigh: 1.8 },
      flags: [],
    };
    const few = {
      count: 100,
      metrics,
      curve: [
        {
          binLow: 0,
          binHigh: 0.1,
          count: 100,
          meanScore: 0.08,
          observedRate: 0.07,
          ciLow: 0.03,
          ciHigh: 0.14,
        },
      ],
    };
    const many = { ...few, curve: [{ ...few.curve[0]!, observedRate: 0.2 }] };
    const view = calibrationView(
      {
        overall: many,
        slices: [
          {
            attributes: ['g'],
            groups: [
              { ...few, key: { g: 'x' } },
              { ...many, key: { g: 'y' } },
            ],
          },
        ],
      },
      NOTHING_HIDDEN,
    );
    expect(view.slices[0]!.groups.map((g) => g.observedExpected)).toEqual(['suppressed', '0.90 (0.50–1.60)']);
    expect(view.slices[0]!.groups[0]!.slope).toBe('1.10 (0.40–1.80)');
    expect(view.overall.count).toBe('100');
    const noTotal = calibrationView(
      { overall: many, slices: [] },
      { ...NOTHING_HIDDEN, totalSuppressed: true },
    );
    expect(noTotal.overall.count).toBe('suppressed');
  });
});
