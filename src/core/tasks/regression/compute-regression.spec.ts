import REFERENCE from '../../../../test/fixtures/regression/reference.json';
import type { ColumnarBatch } from '../../ingest/batch';
import { computeRegression, type RegressionOptions } from './compute-regression';

/**
 * Every number of a regression result against test/fixtures/regression/reference.py (numpy/scipy, row by
 * row, with scipy's Welch test as a cross-check): the whole result is walked, every key compared.
 */
interface Fixture {
  level: number;
  minGroupSize: number;
  rows: { race: string[]; sex: string[]; y: number[]; p: number[]; w: number[]; counts: number[] };
  unweighted: unknown;
  weighted: unknown;
  counted: unknown;
}

const fixture = REFERENCE as unknown as Fixture;

const options: RegressionOptions = {
  reference: { strategy: 'largest' },
  intersections: [['sex', 'race']],
  minGroupSize: fixture.minGroupSize,
  missingAttribute: 'group',
  confidenceLevel: fixture.level,
};

function attribute(name: string, values: readonly string[]): ColumnarBatch['attributes'][number] {
  const levels = [...new Set(values)];
  return { name, levels, codes: Uint16Array.from(values, (v) => levels.indexOf(v)) };
}

function batchOf(rows: Fixture['rows'], extra: Partial<ColumnarBatch> = {}): ColumnarBatch {
  return {
    rowCount: rows.y.length,
    predictions: new Uint8Array(rows.y.length),
    targets: Float64Array.from(rows.y),
    predictedValues: Float64Array.from(rows.p),
    attributes: [attribute('race', rows.race), attribute('sex', rows.sex)],
    ...extra,
  };
}

/** The rows with each repeated counts[i] times (the expansion the counts stand for). */
function expanded(rows: Fixture['rows']): Fixture['rows'] {
  const pick = <T>(values: readonly T[]): T[] => values.flatMap((v, i) => Array<T>(rows.counts[i]!).fill(v));
  return { race: pick(rows.race), sex: pick(rows.sex), y: pick(rows.y), p: pick(rows.p), w: [], counts: [] };
}

/** Walks expected and actual together: the same keys, numbers within 1e-12 + 1e-8 relative, the rest equal. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') throw new Error(`${path}: expected ${expected}, got ${String(actual)}`);
    if (!(Math.abs(actual - expected) <= 1e-12 + 1e-8 * Math.abs(expected)))
      throw new Error(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected)
      throw new Error(`${path}: expected ${String(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (actual === null || typeof actual !== 'object') throw new Error(`${path}: expected an object`);
  const [a, e] = [actual as Record<string, unknown>, expected as Record<string, unknown>];
  expect(`${path}: ${Object.keys(a).sort().join(',')}`).toBe(`${path}: ${Object.keys(e).sort().join(',')}`);
  for (const key of Object.keys(e)) expectClose(a[key], e[key], `${path}.${key}`);
}

function withoutConventions(result: ReturnType<typeof computeRegression>): unknown {
  const { conventions, ...rest } = result;
  expect(conventions.intervals.mean).toBe('t');
  return rest;
}

describe('computeRegression against the numpy reference', () => {
  it('matches every metric, interval, disparity, test, summary and decile (unweighted)', () => {
    expectClose(withoutConventions(computeRegression(batchOf(fixture.rows), options)), fixture.unweighted);
  });

  it('matches with sampling weights (weighted means, Kish effective sizes)', () => {
    const batch = batchOf(fixture.rows, { weights: Float64Array.from(fixture.rows.w) });
    expectClose(withoutConventions(computeRegression(batch, options)), fixture.weighted);
  });

  it('treats counts[i] as that many identical rows: equal to the expanded rows, and to numpy on them', () => {
    const counted = computeRegression(
      batchOf(fixture.rows, { counts: Float64Array.from(fixture.rows.counts) }),
      options,
    );
    expectClose(withoutConventions(counted), fixture.counted);
    const rows = expanded(fixture.rows);
    expect(rows.y.length).toBe(fixture.rows.counts.reduce((a, b) => a + b, 0));
    expectClose(withoutConventions(counted), withoutConventions(computeRegression(batchOf(rows), options)));
  });

  it('gives a constant-target group a null R² and zero-width target interval, and the null a disparity', () => {
    const result = computeRegression(batchOf(fixture.rows), options);
    const c = result.slices[0]!.groups.find((g) => g.key.race === 'C')!;
    expect(c.metrics.r2).toEqual({ value: null, ciLow: null, ciHigh: null });
    expect(c.metrics.mean_target).toEqual({ value: 5, ciLow: 5, ciHigh: 5 });
    expect(c.disparities.r2).toEqual({ difference: null, ratio: null, pValueAdjusted: null });
    // A group with a varying target has one.
    expect(result.slices[0]!.groups[0]!.metrics.r2?.value).not.toBeNull();
  });
});
