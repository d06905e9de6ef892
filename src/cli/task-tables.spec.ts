/**
 * The CLI's regression and multiclass tables against hand-worked figures: the groups, gaps and disclosure of
 * small slices whose confusion cells are written out below (each value is the cell arithmetic in the comment).
 */
import type { ClassMetrics, MulticlassResult, RegressionResult } from '../core/tasks/types';
import {
  multiclassClassGaps,
  multiclassGroupRows,
  regressionGroupRows,
  renderMulticlassTables,
  renderRegressionTables,
} from './task-tables';

const CONVENTIONS = {
  referenceStrategy: 'largest',
  confidenceLevel: 0.95,
  fairnessBand: [0.8, 1.25],
  minGroupSize: 30,
  missingAttribute: 'group',
} as const;

type RegGroup = RegressionResult['slices'][number]['groups'][number];
const regGroup = (
  race: string,
  count: number,
  mae: number,
  me: number,
  r2: number,
  ref = false,
): RegGroup => ({
  key: { race },
  count,
  share: 0,
  metrics: { mean_absolute_error: { value: mae }, mean_error: { value: me }, r2: { value: r2 } },
  disparities: ref
    ? {}
    : { mean_absolute_error: { difference: mae - 2, ratio: mae / 2, pValue: 0.004, pValueAdjusted: 0.012 } },
  flags: ref ? ['reference'] : [],
});

function regression(groups: RegGroup[]): RegressionResult {
  const count = groups.reduce((n, g) => n + g.count, 0);
  return {
    task: 'regression',
    overall: {
      count,
      metrics: { mean_absolute_error: { value: 2.5 }, mean_error: { value: 0.25 }, r2: { value: 0.5 } },
    },
    slices: [{ attributes: ['race'], reference: { race: 'A' }, groups, summary: {} }],
    conventions: CONVENTIONS,
  } as unknown as RegressionResult;
}

describe('regression tables', () => {
  it('ranks the groups by |MAE − reference MAE| and gives the MAE gap over the groups', () => {
    // A is the reference (MAE 2); B is 1.5 worse, D 0.5 worse.
    const r = regression([
      regGroup('A', 100, 2, 0.5, 0.6, true),
      regGroup('B', 50, 3.5, 1, 0.4),
      regGroup('D', 40, 2.5, -0.5, 0.55),
    ]);
    const rows = regressionGroupRows(r);
    expect(rows.map((x) => [x.group, x.countText, x.mae, x.maeDifference])).toEqual([
      ['B', '50', 3.5, 1.5],
      ['D', '40', 2.5, 0.5],
      ['A', '100', 2, null],
    ]);
    const text = renderRegressionTables(r);
    expect(text).toContain('Overall: 190 people, MAE 2.5000, mean error 0.2500, RMSE -, R² 0.5000');
    // MAE gap 3.5 − 2 = 1.5; mean-error gap 1 − (−0.5) = 1.5; worst MAE 3.5.
    expect(text).toMatch(/race\s+A\s+1\.5000\s+1\.5000\s+3\.5000/);
    expect(text).toMatch(/B\s+50\s+3\.5000\s+1\.0000\s+0\.4000\s+1\.5000\s+0\.0120/);
  });

  it('shows a group of 1–10 people as "<=10", hides its partner, and leaves both out of the gaps', () => {
    // C (5 people, MAE 9) is small; D (40, the smallest group shown) is hidden with it so C's count cannot be
    // worked out from the total. The MAE gap is over A and B only: 3.5 − 2 = 1.5, not 9 − 2 = 7.
    const r = regression([
      regGroup('A', 100, 2, 0.5, 0.6, true),
      regGroup('B', 50, 3.5, 1, 0.4),
      regGroup('C', 5, 9, 4, -1),
      regGroup('D', 40, 2.5, -0.5, 0.55),
    ]);
    const rows = regressionGroupRows(r);
    const c = rows.find((x) => x.group === 'C')!;
    const d = rows.find((x) => x.group === 'D')!;
    expect([c.countText, c.mae, c.maeDifference, d.countText, d.mae]).toEqual([
      '<=10',
      null,
      null,
      'suppressed',
      null,
    ]);
    const text = renderRegressionTables(r);
    expect(text).toMatch(/C\s+<=10\s+suppressed\s+suppressed\s+suppressed\s+suppressed\s+suppressed/);
    expect(text).toMatch(/race\s+A\s+1\.5000\s+0\.5000\s+3\.5000/); // mean errors shown: 1 and 0.5
    expect(text).not.toMatch(/9\.0000|7\.0000|\b5\b people/);
    expect(text).toContain('Overall: 195 people');
  });
});

/** One-vs-rest metrics of a class from its cells (TP, FP, FN, TN). */
function cls(tp: number, fp: number, fn: number, tn: number): ClassMetrics {
  const n = tp + fp + fn + tn;
  return {
    selection_rate: { value: (tp + fp) / n, numerator: tp + fp, denominator: n },
    true_positive_rate: { value: tp / (tp + fn), numerator: tp, denominator: tp + fn },
    false_positive_rate: { value: fp / (fp + tn), numerator: fp, denominator: fp + tn },
    positive_predictive_value: { value: tp / (tp + fp), numerator: tp, denominator: tp + fp },
  };
}

/** A two-class group: class a's cells; class b's are the same people seen from b (tp_b = tn_a, …). */
function mcGroup(group: string, tp: number, fp: number, fn: number, tn: number, ref = false) {
  const n = tp + fp + fn + tn;
  const correct = tp + tn;
  return {
    key: { group },
    count: n,
    share: 0,
    metrics: { accuracy: { value: correct / n, numerator: correct, denominator: n } },
    classes: { a: cls(tp, fp, fn, tn), b: cls(tn, fn, fp, tp) },
    disparities: {},
    flags: ref ? ['reference'] : [],
  };
}

function multiclass(groups: ReturnType<typeof mcGroup>[]): MulticlassResult {
  const count = groups.reduce((n, g) => n + g.count, 0);
  return {
    task: 'multiclass',
    classes: ['a', 'b'],
    labelFree: false,
    overall: { count, metrics: {}, classes: {} },
    slices: [{ attributes: ['group'], reference: { group: 'X' }, groups, summary: { classes: {} } }],
    conventions: CONVENTIONS,
  } as unknown as MulticlassResult;
}

describe('multiclass tables', () => {
  // X: class a TP 40, FP 15, FN 12, TN 33 (n 100): accuracy (40+33)/100 = 0.73, selection a 55/100, b 45/100,
  //    TPR a 40/52, b 33/48. Y: TP 18, FP 12, FN 12, TN 18 (n 60): accuracy 36/60 = 0.6, selection 0.5 and
  //    0.5, TPR 18/30 = 0.6 for both.
  const X = mcGroup('X', 40, 15, 12, 33, true);
  const Y = mcGroup('Y', 18, 12, 12, 18);

  it('prints accuracy and selection rates per group, and the class gaps over the groups', () => {
    const r = multiclass([X, Y]);
    const rows = multiclassGroupRows(r);
    expect(rows.map((x) => [x.group, x.countText, x.accuracy, x.selection])).toEqual([
      ['X', '100', 0.73, { a: 0.55, b: 0.45 }],
      ['Y', '60', 0.6, { a: 0.5, b: 0.5 }],
    ]);
    const gaps = multiclassClassGaps(r);
    expect(gaps[0]!.class).toBe('a');
    expect(gaps[0]!.selectionGap).toBeCloseTo(0.05, 12);
    expect(gaps[0]!.tprGap).toBeCloseTo(40 / 52 - 0.6, 12);
    expect(gaps[1]!.selectionGap).toBeCloseTo(0.05, 12);
    expect(gaps[1]!.tprGap).toBeCloseTo(33 / 48 - 0.6, 12);
    const text = renderMulticlassTables(r);
    expect(text).toMatch(/group\s+a\s+0\.0500\s+0\.1692/);
    expect(text).toMatch(/group\s+b\s+0\.0500\s+0\.0875/);
    expect(text).toMatch(/X\s+100\s+0\.7300\s+0\.5500\s+0\.4500\s+reference/);
  });

  it('hides a group of 1–10 people and its partner, and leaves them out of the gaps', () => {
    // Z: 8 people, all predicted a (TP 5, FP 3): selection a = 1, which would make a's gap 0.5. Its partner is
    // the smallest group shown: Y or V (60 each, same figures), so the gaps stay X against one of them.
    const Z = mcGroup('Z', 5, 3, 0, 0);
    const V = mcGroup('V', 18, 12, 12, 18);
    const r = multiclass([X, Y, V, Z]);
    const rows = multiclassGroupRows(r);
    const z = rows.find((x) => x.group === 'Z')!;
    expect([z.countText, z.accuracy, z.accuracyHidden, z.hiddenClasses]).toEqual([
      '<=10',
      null,
      true,
      ['a', 'b'],
    ]);
    expect(rows.filter((x) => x.countText === 'suppressed')).toHaveLength(1);
    const gaps = multiclassClassGaps(r);
    expect(gaps[0]!.selectionGap).toBeCloseTo(0.05, 12);
    const text = renderMulticlassTables(r);
    expect(text).toMatch(/Z\s+<=10\s+suppressed\s+suppressed\s+suppressed/);
    expect(text).not.toMatch(/1\.0000/);
  });
});
