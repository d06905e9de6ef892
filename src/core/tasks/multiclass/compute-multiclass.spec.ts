import REFERENCE from '../../../../test/fixtures/multiclass/reference.json';
import { DomainError } from '../../errors';
import type { AttributeColumn, ColumnarBatch } from '../../ingest/batch';
import type { FairnessOptions } from '../../fairness/types';
import type { MulticlassResult } from '../types';
import { compareNatural, orderClasses } from '../../ingest/class-order';
import { computeMulticlass } from './compute-multiclass';

/**
 * Every number is checked against test/fixtures/multiclass/reference.py (numpy and scipy, row by row, no code
 * shared with Fairwatch): every metric, interval, disparity, test, Holm adjustment, summary and flag.
 */
const { rows, classes } = REFERENCE as unknown as {
  rows: Record<'race' | 'sex' | 'label' | 'prediction', string[]> & { weight: number[] };
  classes: string[];
};
const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};
const TOLERANCE = 1e-9;

function attribute(name: string, values: readonly string[]): AttributeColumn {
  const levels = [...new Set(values)];
  return { name, levels, codes: Uint16Array.from(values, (v) => levels.indexOf(v)) };
}

function batchOf(options: { labels?: boolean; weights?: boolean } = {}): ColumnarBatch {
  const index = (c: string): number => classes.indexOf(c);
  return {
    rowCount: rows.label.length,
    classes,
    ...(options.labels !== false && { labels: Uint8Array.from(rows.label, index) }),
    predictions: Uint8Array.from(rows.prediction, index),
    ...(options.weights && { weights: Float64Array.from(rows.weight) }),
    attributes: [attribute('race', rows.race), attribute('sex', rows.sex)],
  };
}

/** The same rows as one row per distinct (race, sex, label, prediction) with its frequency. */
function countedBatch(): ColumnarBatch {
  const cells = new Map<string, number>();
  rows.label.forEach((_, i) => {
    const key = [rows.race[i], rows.sex[i], rows.label[i], rows.prediction[i]].join('|');
    cells.set(key, (cells.get(key) ?? 0) + 1);
  });
  const keys = [...cells.keys()].reverse(); // another order than the rows'
  const part = (j: number): string[] => keys.map((k) => k.split('|')[j]!);
  return {
    rowCount: keys.length,
    classes,
    labels: Uint8Array.from(part(2), (c) => classes.indexOf(c)),
    predictions: Uint8Array.from(part(3), (c) => classes.indexOf(c)),
    counts: Float64Array.from(keys, (k) => cells.get(k)!),
    attributes: [attribute('race', part(0)), attribute('sex', part(1))],
  };
}

/** Every key of `expected` is in `actual` with the same value (numbers within TOLERANCE) and no other key. */
function expectMatches(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') throw new Error(`${path}: expected ${expected}, got ${String(actual)}`);
    const scale = Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= TOLERANCE * scale))
      throw new Error(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected) throw new Error(`${path}: expected ${String(expected)}, got ${String(actual)}`);
    return;
  }
  if (typeof actual !== 'object' || actual === null) throw new Error(`${path}: expected an object`);
  const [a, e] = [actual as Record<string, unknown>, expected as Record<string, unknown>];
  const missing = Object.keys(e).filter((k) => !(k in a));
  const extra = Object.keys(a).filter((k) => !(k in e));
  if (missing.length > 0 || extra.length > 0)
    throw new Error(`${path}: missing keys [${missing.join(', ')}], extra keys [${extra.join(', ')}]`);
  for (const k of Object.keys(e)) expectMatches(a[k], e[k], `${path}.${k}`);
}

/** The result without the fields the reference does not compute (conventions, the class list). */
function comparable(result: MulticlassResult): unknown {
  return { overall: result.overall, slices: result.slices };
}

describe('computeMulticlass against the numpy reference', () => {
  const cases = REFERENCE.cases as Record<string, unknown>;

  it('unweighted rows: every metric, interval, disparity, test, summary and flag', () => {
    const result = computeMulticlass(batchOf(), OPTIONS);
    expectMatches(comparable(result), cases.counts, 'result');
    expect(result.classes).toEqual(['A', 'B', 'C', 'D']);
    expect(result.labelFree).toBe(false);
  });

  it('sampling weights: weighted shares with Kish effective sizes', () => {
    expectMatches(
      comparable(computeMulticlass(batchOf({ weights: true }), OPTIONS)),
      cases.weighted,
      'result',
    );
  });

  it('label-free: selection rates only', () => {
    const result = computeMulticlass(batchOf({ labels: false }), OPTIONS);
    expectMatches(comparable(result), cases.labelFree, 'result');
    expect(result.labelFree).toBe(true);
    expect(result.overall.metrics.accuracy).toBeUndefined();
  });

  it('frequencies: a row with count c equals c identical rows exactly (n = sum of counts)', () => {
    const counted = computeMulticlass(countedBatch(), OPTIONS);
    expect(counted).toEqual(computeMulticlass(batchOf(), OPTIONS));
    expect(counted.overall.count).toBe(rows.label.length);
    expectMatches(comparable(counted), cases.counts, 'result');
  });

  it('a class never predicted has selection rate 0 and PPV null; a class absent from a group has TPR null', () => {
    const result = computeMulticlass(batchOf(), OPTIONS);
    expect(rows.prediction).not.toContain('D');
    expect(result.overall.classes.D?.selection_rate?.value).toBe(0);
    expect(result.overall.classes.D?.positive_predictive_value?.value).toBeNull();
    const z = result.slices[0]!.groups.find((g) => g.key.race === 'Z')!;
    expect(rows.label.filter((l, i) => l === 'C' && rows.race[i] === 'Z')).toHaveLength(0);
    expect(z.classes.C?.true_positive_rate).toMatchObject({ value: null, ciLow: null, ciHigh: null });
    expect(z.disparities.classes?.C?.true_positive_rate).toMatchObject({ difference: null, ratio: null });
  });
});

describe('computeMulticlass refuses what it cannot count', () => {
  const catchError = (batch: ColumnarBatch, options = OPTIONS): DomainError => {
    try {
      computeMulticlass(batch, options);
    } catch (err) {
      return err as DomainError;
    }
    throw new Error('no error');
  };

  it('a label outside the classes names its row and column', () => {
    const good = batchOf();
    expect(() => computeMulticlass(good, OPTIONS)).not.toThrow();
    const labels = Uint8Array.from(good.labels!);
    labels[6] = 4;
    const err = catchError({ ...good, labels });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.errors[0]).toMatchObject({ row: 7, column: 'label' });
  });

  it('a fractional frequency is refused; a whole one is counted', () => {
    const good = countedBatch();
    expect(computeMulticlass(good, OPTIONS).overall.count).toBe(240);
    const counts = Float64Array.from(good.counts!);
    counts[2] = 1.5;
    expect(catchError({ ...good, counts }).errors[0]).toMatchObject({ row: 3, column: 'count' });
  });

  it('reference "most_favorable" has no meaning without a favorable outcome', () => {
    expect(() =>
      computeMulticlass(batchOf(), { ...OPTIONS, reference: { strategy: 'overall' } }),
    ).not.toThrow();
    const err = catchError(batchOf(), { ...OPTIONS, reference: { strategy: 'most_favorable' } });
    expect(err.errors[0]).toMatchObject({ field: 'config.reference.strategy' });
  });
});

describe('class order without config.classes', () => {
  it('is natural: numbers by value, text by code unit, whatever the order seen', () => {
    expect(orderClasses(['10', '2', '1', '02'])).toEqual(['1', '2', '02', '10']);
    expect(orderClasses(['Level 10', 'Level 2', 'Home', 'SNF', 'AMA'])).toEqual([
      'AMA',
      'Home',
      'Level 2',
      'Level 10',
      'SNF',
    ]);
    expect(compareNatural('b', 'a')).toBeGreaterThan(0);
    expect(compareNatural('a', 'a')).toBe(0);
  });
});
