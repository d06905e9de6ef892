import { argsortFloat64, logitInterval, mulberry32, normalCdf, zCritical } from '../stats';
import { addAboveMedian, aucByGroup, rankCells, rankRows, sliceMedian } from './ranking';
import { SLOT, STRIDE } from './tally';

/** One group's AUC from positive and negative scores (weights optional, all in one group). */
function auc(positives: number[], negatives: number[]): ReturnType<typeof aucByGroup>[number] {
  const scores = Float64Array.from([...positives, ...negatives]);
  const labels = Uint8Array.from([...positives.map(() => 1), ...negatives.map(() => 0)]);
  const order = argsortFloat64(scores);
  const partition = {
    cellLabels: rankCells(order, new Uint16Array(scores.length), labels),
    groupOf: Int32Array.of(0),
    members: 1,
  };
  const classes = [
    {
      positive: positives.length,
      negative: negatives.length,
      positiveEffective: positives.length,
      negativeEffective: negatives.length,
    },
  ];
  return aucByGroup(rankRows(order, undefined), [partition], classes)[0] ?? null;
}

function repeat(counts: number[]): number[] {
  return counts.flatMap((count, rating) => Array<number>(count).fill(rating + 1));
}

describe('aucByGroup', () => {
  it('reproduces Hanley & McNeil (1982) CT ratings: area 0.893', () => {
    // Radiology 143:29, Table 1: ratings 1–5 of 58 normal (33, 6, 6, 11, 2) and 51 abnormal (3, 2, 2, 11, 33).
    const estimate = auc(repeat([3, 2, 2, 11, 33]), repeat([33, 6, 6, 11, 2]));
    expect(estimate?.value).toBeCloseTo(0.893, 3);
  });

  it("gives DeLong's variance by hand", () => {
    // positives 3, 2, 0.5 and negatives 2.5, 1, 0: V10 = 1, 2/3, 1/3 (ties none); V01 = 1/3, 2/3, 1;
    // AUC = 2/3; S10 = S01 = ((1/3)² + 0 + (1/3)²)/2 = 1/9; var = (1/9)/3 + (1/9)/3 = 2/27.
    const estimate = auc([3, 2, 0.5], [2.5, 1, 0]);
    expect(estimate?.value).toBeCloseTo(2 / 3, 12);
    expect(estimate?.variance).toBeCloseTo(2 / 27, 12);
  });

  it('covers the true AUC Φ(1/√2) with the logit interval in 93–97% of 2,000 seeded draws', () => {
    // positives ~ N(1, 1), negatives ~ N(0, 1): AUC = P(X > Y) = Φ(1/√2) = 0.760250.
    const random = seededNormal(7);
    const truth = normalCdf(Math.SQRT1_2);
    const z = zCritical(0.95);
    let covered = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const positives = Array.from({ length: 40 }, () => 1 + random());
      const negatives = Array.from({ length: 50 }, () => random());
      const estimate = auc(positives, negatives);
      const interval = estimate && logitInterval(estimate.value, Math.sqrt(estimate.variance ?? NaN), z);
      if (interval && interval.low <= truth && truth <= interval.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 2000).toBeLessThanOrEqual(0.97);
  });
});

/*
 * Six rows scored 5 1 4 2 3 6 in two cells: cell 1 holds the rows scored 5 and 6. Two slices cover the
 * partition: slice 0 puts both cells in group 0, slice 1 puts cell 0 in its group 1 and leaves cell 1 out.
 */
const SIX = Float64Array.from([5, 1, 4, 2, 3, 6]);
const SIX_ORDER = argsortFloat64(SIX);
const SIX_PARTITION = {
  cellLabels: rankCells(SIX_ORDER, Uint16Array.from([1, 0, 0, 0, 0, 1]), Uint8Array.from([1, 0, 0, 1, 0, 0])),
  groupOf: Int32Array.from([0, 1, 0, -1]),
  members: 2,
};

describe('rankCells', () => {
  it('gathers cell·2 + label in ascending score order', () => {
    // score order 1 2 3 4 5 6 = rows 1 3 4 2 0 5: cells 0 0 0 0 1 1, labels 0 1 0 0 1 0.
    expect([...SIX_PARTITION.cellLabels]).toEqual([0, 1, 0, 0, 3, 2]);
  });
});

describe('sliceMedian', () => {
  it('takes the mean of the two middle analysed scores', () => {
    const ranked = rankRows(SIX_ORDER, undefined);
    expect(sliceMedian(ranked, SIX_PARTITION, 0, 6)).toBe(3.5);
    expect(sliceMedian(ranked, SIX_PARTITION, 1, 4)).toBe(2.5); // 1 2 3 4
  });
});

describe('addAboveMedian', () => {
  it("adds the (weighted) rows above each slice's median to their groups", () => {
    const sums = new Float64Array(2 * STRIDE);
    addAboveMedian(rankRows(SIX_ORDER, undefined), SIX_PARTITION, 2, [0], 3.5, sums);
    addAboveMedian(rankRows(SIX_ORDER, undefined), SIX_PARTITION, 2, [1], 2.5, sums);
    expect(sums[SLOT.aboveMedian]).toBe(3); // 4 5 6
    expect(sums[STRIDE + SLOT.aboveMedian]).toBe(2); // 3 4; 5 and 6 are left out of slice 1
    const weights = Float64Array.from([0.5, 1, 2, 1, 1, 3]); // rows scored 4, 5, 6 weigh 2, 0.5, 3
    const weighted = new Float64Array(2 * STRIDE);
    addAboveMedian(rankRows(SIX_ORDER, weights), SIX_PARTITION, 2, [0], 3.5, weighted);
    expect(weighted[SLOT.aboveMedian]).toBe(5.5);
  });
});

/** Standard normal draws by Box–Muller over a mulberry32 stream (1 − u keeps the logarithm finite). */
function seededNormal(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
