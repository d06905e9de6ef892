import { argsortFloat64, logitInterval, normalCdf, zCritical } from '../stats';
import { aucByGroup, rankRows, sliceMedian } from './ranking';
import { mulberry32 } from '../stats';

/** One group's AUC from positive and negative scores (weights optional, all in one group). */
function auc(positives: number[], negatives: number[]): ReturnType<typeof aucByGroup>[number] {
  const scores = Float64Array.from([...positives, ...negatives]);
  const labels = Uint8Array.from([...positives.map(() => 1), ...negatives.map(() => 0)]);
  const ranked = rankRows(scores, labels, undefined, [new Uint16Array(scores.length)]);
  const classes = [
    {
      positive: positives.length,
      negative: negatives.length,
      positiveEffective: positives.length,
      negativeEffective: negatives.length,
    },
  ];
  return aucByGroup(ranked, ranked.codes[0]!, classes)[0] ?? null;
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

describe('sliceMedian', () => {
  it('takes the mean of the two middle analysed scores', () => {
    const scores = Float64Array.from([5, 1, 4, 2, 3, 6]);
    const allRows = new Uint16Array(6);
    const withMissing = Uint16Array.from([0xffff, 0, 0, 0, 0, 0xffff]); // the rows scored 5 and 6
    const ranked = rankRows(scores, new Uint8Array(6), undefined, [allRows, withMissing]);
    expect(sliceMedian(ranked, ranked.codes[0]!, 6)).toBe(3.5);
    expect(sliceMedian(ranked, ranked.codes[1]!, 4)).toBe(2.5); // 1 2 3 4
  });
});

/** Standard normal draws by Box–Muller over a mulberry32 stream (1 − u keeps the logarithm finite). */
function seededNormal(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('rankRows on more rows than the packed-gather threshold', () => {
  it('gathers labels and codes (missing ones too) in score order, packed or not', () => {
    const n = (1 << 21) + 7;
    const scores = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
    const labels = Uint8Array.from({ length: n }, (_, i) => ((i * 31) % 3 === 0 ? 1 : 0));
    const codes = [5, 15].map((g) =>
      Uint16Array.from({ length: n }, (_, i) => ((i * 13) % 17 === 0 ? 65535 : (i * 7) % g)),
    );
    const packed = rankRows(scores, labels, undefined, codes, [5, 15]);
    const wide = rankRows(scores, labels, undefined, [...codes, new Uint16Array(n).fill(40000)]);
    const { order } = argsortFloat64(scores);
    for (const k of [0, 1, 2, 1000, n >> 1, n - 1]) {
      const row = order[k]!;
      expect([packed.labels[k], packed.codes[0]![k], packed.codes[1]![k]]).toEqual([
        labels[row],
        codes[0]![row],
        codes[1]![row],
      ]);
      expect([wide.labels[k], wide.codes[0]![k], wide.codes[2]![k]]).toEqual([
        labels[row],
        codes[0]![row],
        40000,
      ]);
    }
  });
});
