import REFERENCE from '../../../test/fixtures/privacy/reference.json';
import { computeFairness, type FairnessOptions } from '../fairness';
import type { ColumnarBatch } from '../ingest/batch';
import { wilsonInterval, zCritical } from '../stats';
import { cellNoiseVariance } from './mechanisms';
import { computeNoisedFairness } from './noised-fairness';
import { rateNoiseVariance, widenForNoise, widenInterval } from './noised-intervals';

const Z = zCritical(0.95);

describe('a rate interval widened for noised counts (reference.py)', () => {
  it.each(REFERENCE.widened)('x = $x, n = $n, k = $kNum/$kDen, v = $cellVariance', (row) => {
    const wilson = wilsonInterval(row.x, row.n, Z)!;
    expect(wilson.low).toBeCloseTo(row.wilson[0]!, 12);
    expect(wilson.high).toBeCloseTo(row.wilson[1]!, 12);
    const p = row.x / row.n;
    const noise = rateNoiseVariance(
      { value: p, denominator: row.n },
      { numerator: row.kNum, denominator: row.kDen },
      row.cellVariance,
    )!;
    const wide = widenInterval(p, wilson.low, wilson.high, noise, Z);
    expect(Math.max(0, wide.low)).toBeCloseTo(row.widened[0]!, 12);
    expect(Math.min(1, wide.high)).toBeCloseTo(row.widened[1]!, 12);
  });

  it('has no noise variance without a value or a denominator', () => {
    expect(
      rateNoiseVariance({ value: null, denominator: 4 }, { numerator: 1, denominator: 2 }, 2),
    ).toBeNull();
    expect(rateNoiseVariance({ value: 0.5, denominator: 0 }, { numerator: 1, denominator: 2 }, 2)).toBeNull();
  });
});

/** Group a: TP 30, FN 20, FP 10, TN 40; group b: TP 20, FN 30, FP 5, TN 45 (one row each). */
function batch(): ColumnarBatch {
  const labels: number[] = [];
  const predictions: number[] = [];
  const codes: number[] = [];
  const add = (group: number, label: number, prediction: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      labels.push(label);
      predictions.push(prediction);
      codes.push(group);
    }
  };
  add(0, 1, 1, 30);
  add(0, 1, 0, 20);
  add(0, 0, 1, 10);
  add(0, 0, 0, 40);
  add(1, 1, 1, 20);
  add(1, 1, 0, 30);
  add(1, 0, 1, 5);
  add(1, 0, 0, 45);
  return {
    rowCount: labels.length,
    labels: Uint8Array.from(labels),
    predictions: Uint8Array.from(predictions),
    attributes: [{ name: 'site', levels: ['a', 'b'], codes: Uint16Array.from(codes) }],
  };
}

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [],
  minGroupSize: 1,
  missingAttribute: 'group',
};

describe('computeNoisedFairness', () => {
  const privacy = { mechanism: 'laplace', epsilon: 0.5 } as const;
  const plain = computeFairness(batch(), OPTIONS);
  const noised = computeNoisedFairness(batch(), OPTIONS, privacy);
  const v = cellNoiseVariance(privacy);

  it('widens a group rate by the reference formula (TPR of a: x = 30, n = 50, one table row per person)', () => {
    const row = REFERENCE.widened[3]!;
    expect(v).toBeCloseTo(row.cellVariance, 14);
    const tpr = noised.slices[0]!.groups.find((g) => g.key.site === 'a')!.metrics.true_positive_rate!;
    expect(tpr.value).toBe(0.6);
    expect(tpr.ciLow).toBeCloseTo(row.widened[0]!, 12);
    expect(tpr.ciHigh).toBeCloseTo(row.widened[1]!, 12);
  });

  it('keeps every value and widens every rate interval and the difference interval of each disparity', () => {
    const [before, after] = [plain.slices[0]!.groups[1]!, noised.slices[0]!.groups[1]!];
    expect(after.metrics.selection_rate!.value).toBe(before.metrics.selection_rate!.value);
    for (const key of ['selection_rate', 'true_positive_rate', 'false_positive_rate'] as const) {
      expect(after.metrics[key]!.ciLow!).toBeLessThan(before.metrics[key]!.ciLow!);
      expect(after.metrics[key]!.ciHigh!).toBeGreaterThan(before.metrics[key]!.ciHigh!);
    }
    // Difference of b's TPR (20/50) from a's (30/50): each side widened by z²(V_b + V_a) in quadrature.
    const vb = (v * (20 * 0.6 ** 2 + 30 * 0.4 ** 2)) / 50 ** 2;
    const va = (v * (30 * 0.4 ** 2 + 20 * 0.6 ** 2)) / 50 ** 2;
    const d0 = before.disparities.true_positive_rate!;
    const d1 = after.disparities.true_positive_rate!;
    expect(d1.difference).toBeCloseTo(-0.2, 12);
    expect(d1.differenceCiLow).toBeCloseTo(
      -0.2 - Math.sqrt((-0.2 - d0.differenceCiLow!) ** 2 + Z * Z * (va + vb)),
      12,
    );
    expect(d1.differenceCiHigh).toBeCloseTo(
      -0.2 + Math.sqrt((d0.differenceCiHigh! + 0.2) ** 2 + Z * Z * (va + vb)),
      12,
    );
    // The ratio on the log scale: V_b/p_b² + V_a/p_a².
    const logVar = vb / 0.4 ** 2 + va / 0.6 ** 2;
    const r = 0.4 / 0.6;
    expect(Math.log(r / d1.ratioCiLow!)).toBeCloseTo(
      Math.sqrt(Math.log(r / d0.ratioCiLow!) ** 2 + Z * Z * logVar),
      12,
    );
  });

  it('widens nothing when the noise variance is 0 (same counts, no privacy)', () => {
    expect(widenForNoise(plain, plain, 0, Z)).toEqual(plain);
  });

  it('widens more when a count sums more noised cells (k = 1 table row per person here)', () => {
    const manyCells = widenForNoise(plain, plain, v, Z).overall.metrics.true_positive_rate!;
    // The same counts from a table of 2 cells (TP and FN): far fewer noised cells, a narrower interval.
    const cells = structuredClone(plain);
    cells.overall.metrics.true_positive_rate = { value: 0.5, numerator: 1, denominator: 2 };
    const twoCells = widenForNoise(plain, cells, v, Z).overall.metrics.true_positive_rate!;
    expect(twoCells.ciLow!).toBeGreaterThan(manyCells.ciLow!);
    expect(twoCells.ciLow!).toBeLessThan(plain.overall.metrics.true_positive_rate!.ciLow!);
  });
});
