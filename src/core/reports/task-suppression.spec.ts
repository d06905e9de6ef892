import {
  classCells,
  complementCells,
  suppressMulticlassSlice,
  suppressRegressionSlice,
} from './task-suppression';
import type { MulticlassGroupResult } from '../tasks/types';

describe('complementCells: a partner for a lone hidden cell along every line of known sum', () => {
  it('hides the smallest other non-empty cell of the line, to a fixed point', () => {
    // a 2 × 2 table: rows {0, 1}, {2, 3}; columns {0, 2}, {1, 3}; cell 3 (size 5) is small
    const sizes = [20, 25, 20, 5];
    const hidden = [false, false, false, true];
    const { partners } = complementCells(
      sizes,
      [
        [0, 1],
        [2, 3],
        [0, 2],
        [1, 3],
      ],
      hidden,
    );
    // row {2, 3}: partner 2 (20); column {0, 2} then holds 2 alone: partner 0; column {1, 3}: partner 1.
    // With both margins known, one hidden cell of a 2 × 2 table hides all four.
    expect(partners).toEqual([2, 0, 1]);
    expect(hidden).toEqual([true, true, true, true]);
  });

  it('leaves a line alone with no hidden cell or two, and never picks an empty cell', () => {
    const hidden = [true, false, false];
    complementCells([4, 0, 30], [[0, 1, 2]], hidden);
    expect(hidden).toEqual([true, false, true]); // the empty cell 1 is skipped
    const two = [true, true, false];
    expect(complementCells([4, 3, 30], [[0, 1, 2]], two).partners).toEqual([]);
  });

  it('reports a line whose lone hidden cell has no partner', () => {
    expect(complementCells([4, 0], [[0, 1]], [true, false]).unprotected).toEqual([0]);
  });
});

describe('suppressRegressionSlice: groups and their deciles of prediction', () => {
  const dec = (counts: number[]) => counts.map((count, i) => ({ decile: i + 1, count }));
  it('hides a decile of 1 to 10 people with partners in its group and its decile', () => {
    // A: 20 + 20 + 0; B: 25 + 5 + 30. B's decile 2 (5) is small; its row partner is B's decile 1 (25, the
    // smaller of 25 and 30); decile 2's partner is A's (20); then A's row has one hidden cell: A's decile 1
    // (the only other non-empty one); decile 1 then has two hidden cells, decile 3 none.
    const s = suppressRegressionSlice({
      attributes: ['g'],
      reference: { g: 'A' },
      groups: [
        { key: { g: 'A' }, count: 40, predictionDeciles: dec([20, 20, 0]) },
        { key: { g: 'B' }, count: 60, predictionDeciles: dec([25, 5, 30]) },
      ],
    });
    expect(s.deciles).toEqual([
      ['complementary', 'complementary', null],
      ['complementary', 'small', null],
    ]);
    expect(s.counts.groups.map((g) => g.countSuppressed)).toEqual([false, false]);
  });

  it('hides every decile of a hidden group, and partners in each decile where it is alone', () => {
    // C has 4 people (hidden, ≤10) with B (30, the smallest other) as its partner group: all their deciles are
    // hidden. Decile 1 then has two hidden non-empty cells (B's 15, C's 4), but decile 2 only one (B's 15; C's
    // is empty), so A's decile 2 is its partner, and A's row then needs A's decile 1 too.
    const s = suppressRegressionSlice({
      attributes: ['g'],
      reference: { g: 'A' },
      groups: [
        { key: { g: 'A' }, count: 100, predictionDeciles: dec([50, 50]) },
        { key: { g: 'B' }, count: 30, predictionDeciles: dec([15, 15]) },
        { key: { g: 'C' }, count: 4, predictionDeciles: dec([4, 0]) },
      ],
    });
    expect(s.counts.groups.map((g) => g.countReason)).toEqual([null, 'complementary', 'small_count']);
    expect(s.deciles).toEqual([
      ['complementary', 'complementary'],
      ['group', 'group'],
      ['group', 'group'],
    ]);
  });
});

describe('classCells: a group’s one-vs-rest cells for a class', () => {
  it('works them back from the rates when the result has no numerators', () => {
    // n = 100: predicted 0.30 × 100 = 30; TP = 0.5 × 30 = 15; actual = 15 / 0.6 = 25; FP = 15; FN = 10; TN = 60
    const rate = (value: number) => ({ value, ciLow: null, ciHigh: null });
    expect(
      classCells(
        {
          selection_rate: rate(0.3),
          positive_predictive_value: rate(0.5),
          true_positive_rate: rate(0.6),
          false_positive_rate: rate(0.2),
        },
        100,
      ),
    ).toEqual({ tp: 15, fp: 15, fn: 10, tn: 60 });
  });

  it('reads the numerators and denominators when the result has them', () => {
    const nd = (numerator: number, denominator: number) => ({
      value: numerator / denominator,
      numerator,
      denominator,
    });
    expect(
      classCells(
        {
          selection_rate: nd(40, 200),
          true_positive_rate: nd(30, 50),
          false_positive_rate: nd(10, 150),
          positive_predictive_value: nd(30, 40),
        },
        200,
      ),
    ).toEqual({ tp: 30, fp: 10, fn: 20, tn: 140 });
  });

  it('is null when nothing gives the true positives (every figure is then hidden)', () => {
    expect(
      classCells({ selection_rate: { value: 0.5 }, true_positive_rate: { value: null } }, 100),
    ).toBeNull();
  });

  it('has the predicted count and the rest only for a label-free audit (selection rates only)', () => {
    expect(classCells({ selection_rate: { value: 0.3 } }, 100)).toEqual({ tp: 0, fp: 30, fn: 0, tn: 70 });
  });
});

describe('suppressMulticlassSlice', () => {
  /** A group from its confusion matrix cm[actual][predicted] over classes x, y. */
  function group(name: string, cm: number[][]): MulticlassGroupResult {
    const classes = ['x', 'y'];
    const n = cm.flat().reduce((a, b) => a + b, 0);
    const nd = (k: number, d: number) => ({ value: d === 0 ? null : k / d, numerator: k, denominator: d });
    const out: MulticlassGroupResult['classes'] = {};
    classes.forEach((c, i) => {
      const tp = cm[i]?.[i] ?? 0;
      const actual = (cm[i] ?? []).reduce((a, b) => a + b, 0);
      const predicted = cm.reduce((a, row) => a + (row[i] ?? 0), 0);
      out[c] = {
        selection_rate: nd(predicted, n),
        true_positive_rate: nd(tp, actual),
        false_positive_rate: nd(predicted - tp, n - actual),
        positive_predictive_value: nd(tp, predicted),
      };
    });
    const correct = classes.reduce((a, _c, i) => a + (cm[i]?.[i] ?? 0), 0);
    return {
      key: { g: name },
      count: n,
      share: 0,
      metrics: { accuracy: nd(correct, n) },
      classes: out,
      disparities: {},
      flags: [],
    };
  }

  it('hides a class whose cells hold 1 to 10 people, with partners across the classes and the groups', () => {
    // A: x→x 40, x→y 20, y→x 20, y→y 40: every cell ≥ 11. B: x→x 50, x→y 5 (FN of x, FP of y: small), y→x 15,
    // y→y 30: B's class x and class y both hold the 5, so both are hidden (two in B's line: no partner needed);
    // in each class's line over the groups B is the only hidden one: A's x and A's y are partners. B's accuracy
    // (80 correct, 20 wrong) is shown; A's (80, 40) too.
    const s = suppressMulticlassSlice(
      {
        attributes: ['g'],
        reference: { g: 'A' },
        groups: [
          group('A', [
            [40, 20],
            [20, 40],
          ]),
          group('B', [
            [50, 5],
            [15, 30],
          ]),
        ],
      },
      ['x', 'y'],
    );
    expect(s.classes).toEqual([
      { x: 'complementary', y: 'complementary' },
      { x: 'small', y: 'small' },
    ]);
    expect(s.accuracy).toEqual([null, null]);
  });

  it('gives a hidden accuracy two hidden classes in its group', () => {
    // C: 95 correct and 5 wrong (the 5 are C's FN of x and FP of y): its accuracy and both its classes are
    // hidden for their own small counts. Its accuracy is the only hidden one of the slice: a partner group.
    const s = suppressMulticlassSlice(
      {
        attributes: ['g'],
        reference: { g: 'A' },
        groups: [
          group('A', [
            [40, 20],
            [20, 40],
          ]),
          group('C', [
            [50, 5],
            [0, 45],
          ]),
          group('D', [
            [60, 15],
            [15, 60],
          ]),
        ],
      },
      ['x', 'y'],
    );
    // C: wrong = 5 → accuracy hidden (small); its partner along the slice: A (120 people, the smaller of A
    // and D's 150). C's classes are hidden for its own 5.
    expect(s.accuracy).toEqual(['complementary', 'small', null]);
    expect(s.classes[1]).toEqual({ x: 'small', y: 'small' });
  });
});
