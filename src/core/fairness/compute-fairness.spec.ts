import { DomainError } from '../errors';
import { AttributeColumn, ColumnarBatch, MISSING_CODE } from '../ingest/batch';
import { mulberry32 } from '../stats';
import { computeFairness, scoreOrderOf } from './compute-fairness';
import { FairnessOptions, FairnessResult, GroupResult, LABEL_FREE_KEYS, SliceResult } from './types';

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [],
  minGroupSize: 30,
  missingAttribute: 'group',
};

/**
 * Limits of Newcombe's (2006) method-5 interval for an AUC A with class sizes m, n: the θ in [0, 1] with
 * (A − θ)² ≤ z²·θ(1 − θ)/(mn)·[1 + (N/2 − 1)((1 − θ)/(2 − θ) + θ/(1 + θ))], scanned on a grid of 10⁵.
 */
function newcombeScoreLimitsByScan(a: number, m: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const inside = (t: number): boolean =>
    (a - t) ** 2 <=
    ((z * z * t * (1 - t)) / (m * n)) * (1 + ((m + n) / 2 - 1) * ((1 - t) / (2 - t) + t / (1 + t)));
  let [low, high] = [1, 0];
  for (let i = 0; i <= 1e5; i++) {
    const t = i / 1e5;
    if (inside(t)) [low, high] = [Math.min(low, t), Math.max(high, t)];
  }
  return [low, high];
}

/** An attribute from one value per row; null is a missing value (MISSING_CODE); `extra` adds empty levels. */
function attribute(name: string, values: (string | null)[], extra: string[] = []): AttributeColumn {
  const levels = [...new Set(values.filter((v): v is string => v !== null)), ...extra];
  return {
    name,
    levels,
    codes: Uint16Array.from(values, (v) => (v === null ? MISSING_CODE : levels.indexOf(v))),
  };
}

function batchOf(columns: {
  labels?: number[];
  predictions: number[];
  scores?: number[];
  weights?: number[];
  attributes: AttributeColumn[];
}): ColumnarBatch {
  return {
    rowCount: columns.predictions.length,
    labels: columns.labels && Uint8Array.from(columns.labels),
    predictions: Uint8Array.from(columns.predictions),
    scores: columns.scores && Float64Array.from(columns.scores),
    weights: columns.weights && Float64Array.from(columns.weights),
    attributes: columns.attributes,
  };
}

function groupOf(slice: SliceResult | undefined, name: string): GroupResult {
  return slice?.groups.find((g) => Object.values(g.key).join('|') === name) as GroupResult;
}

/*
 * The small audit used below (group A: 6 rows, B: 4 rows, C: a level without rows):
 *   A  labels 1 1 1 0 0 0  predictions 1 1 0 1 0 0  scores .9 .8 .3 .7 .2 .1  → TP 2, FN 1, FP 1, TN 2
 *   B  labels 1 0 0 0      predictions 1 1 0 0      scores .6 .6 .4 .5        → TP 1, FN 0, FP 1, TN 2
 */
const SMALL = {
  labels: [1, 1, 1, 0, 0, 0, 1, 0, 0, 0],
  predictions: [1, 1, 0, 1, 0, 0, 1, 1, 0, 0],
  scores: [0.9, 0.8, 0.3, 0.7, 0.2, 0.1, 0.6, 0.6, 0.4, 0.5],
  attributes: [attribute('g', ['A', 'A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B'], ['C'])],
};

describe('computeFairness on a hand-checkable audit', () => {
  const result = computeFairness(batchOf(SMALL), OPTIONS);
  const slice = result.slices[0];
  const a = groupOf(slice, 'A');
  const b = groupOf(slice, 'B');

  it('computes every rate of group A from its confusion counts', () => {
    const m = a.metrics;
    expect(a.count).toBe(6);
    expect(a.share).toBeCloseTo(6 / 10, 12);
    expect(m.selection_rate).toMatchObject({ value: 3 / 6, numerator: 3, denominator: 6 });
    expect(m.base_rate?.value).toBeCloseTo(3 / 6, 12);
    expect(m.true_positive_rate?.value).toBeCloseTo(2 / 3, 12);
    expect(m.false_positive_rate?.value).toBeCloseTo(1 / 3, 12);
    expect(m.true_negative_rate?.value).toBeCloseTo(2 / 3, 12);
    expect(m.false_negative_rate?.value).toBeCloseTo(1 / 3, 12);
    expect(m.positive_predictive_value?.value).toBeCloseTo(2 / 3, 12);
    expect(m.negative_predictive_value?.value).toBeCloseTo(2 / 3, 12);
    expect(m.accuracy?.value).toBeCloseTo(4 / 6, 12);
    expect(m.balanced_accuracy?.value).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12);
    expect(m.f1?.value).toBeCloseTo((2 * 2) / (2 * 2 + 1 + 1), 12);
    // mean (.9+.8+.3+.7+.2+.1)/6 = .5; Brier (.01+.04+.49+.49+.04+.01)/6 = .18
    expect(m.mean_score?.value).toBeCloseTo(0.5, 12);
    expect(m.brier_score?.value).toBeCloseTo(0.18, 12);
  });

  it('gives the Wilson interval of A selection rate 3/6', () => {
    // centre .5 + z²/12 = .820122; spread z·√(.25/6 + z²/144) = .512385; scale 1 + z²/6 = 1.640243
    // → (.187616, .812384).
    expect(a.metrics.selection_rate?.ciLow).toBeCloseTo(0.187616, 5);
    expect(a.metrics.selection_rate?.ciHigh).toBeCloseTo(0.812384, 5);
  });

  it('computes the AUC with DeLong interval and ties counted ½', () => {
    // A: positives .9 .8 .3 over negatives .7 .2 .1: 3 + 3 + 2 = 8 of 9 pairs. V10 = 1, 1, 2/3; V01 = 2/3, 1, 1;
    // S10 = S01 = (1/81 + 1/81 + 4/81)/2 = 1/27; var = (1/27)/3 + (1/27)/3 = 2/81; se = .157135;
    // logit(8/9) = ln 8 = 2.079442 ± 1.959964·.157135/(8/81) = ±3.118284 → (.261373, .994501).
    expect(a.metrics.roc_auc?.value).toBeCloseTo(8 / 9, 12);
    expect(a.metrics.roc_auc?.ciLow).toBeCloseTo(0.261373, 5);
    expect(a.metrics.roc_auc?.ciHigh).toBeCloseTo(0.994501, 5);
    // B: positive .6 vs negatives .6 (tie, ½), .4, .5 → 2.5/3; one positive → no DeLong variance, so
    // Newcombe's score-type interval (method 5) with m = 1, n = 3, found here by scanning θ.
    const [low, high] = newcombeScoreLimitsByScan(2.5 / 3, 1, 3);
    expect(b.metrics.roc_auc?.value).toBe(2.5 / 3);
    expect(b.metrics.roc_auc?.ciLow).toBeCloseTo(low, 4);
    expect(b.metrics.roc_auc?.ciHigh).toBeCloseTo(high, 4);
  });

  it('computes the scoring rate against the median of all 10 scores, (.5 + .6)/2 = .55', () => {
    expect(a.metrics.scoring_rate).toMatchObject({ value: 3 / 6, numerator: 3, denominator: 6 }); // .9 .8 .7
    expect(b.metrics.scoring_rate).toMatchObject({ value: 2 / 4, numerator: 2, denominator: 4 }); // .6 .6
    expect(result.overall.metrics.scoring_rate?.value).toBeCloseTo(5 / 10, 12);
  });

  it('keeps an empty level with null metrics', () => {
    const c = groupOf(slice, 'C');
    expect(c.count).toBe(0);
    expect(c.metrics.selection_rate).toMatchObject({ value: null, ciLow: null, ciHigh: null });
    expect(c.metrics.roc_auc?.value).toBeNull();
    expect(c.metrics.mean_score?.value).toBeNull();
    expect(c.disparities.selection_rate).toMatchObject({ difference: null, ratio: null, pValue: null });
    expect(c.flags).toContain('insufficient_sample');
  });

  it('compares B with the largest group A', () => {
    expect(slice?.reference).toEqual({ g: 'A' });
    expect(a.flags).toEqual(['insufficient_sample', 'reference']);
    // TPR: B 1/1 vs A 2/3 → difference 1/3, ratio 1.5 (outside [0.8, 1.25]).
    expect(b.disparities.true_positive_rate).toMatchObject({ withinBand: false, test: 'fisher' });
    expect(b.disparities.true_positive_rate?.difference).toBeCloseTo(1 / 3, 12);
    expect(b.disparities.true_positive_rate?.ratio).toBeCloseTo(1.5, 12);
    // Fisher on [[1, 0], [2, 1]]: P(a = 1) = 3/4, P(a = 0) = 1/4, both ≤ 3/4 → p = 1.
    expect(b.disparities.true_positive_rate?.pValue).toBeCloseTo(1, 12);
    expect(b.flags).toEqual(['insufficient_sample', 'outside_band']);
  });

  it('summarises the slice (Fairlearn, AIF360)', () => {
    const s = slice?.summary;
    expect(s?.demographic_parity_difference).toBeCloseTo(0, 12); // both select 1/2
    expect(s?.demographic_parity_ratio).toBeCloseTo(1, 12);
    expect(s?.equal_opportunity_difference).toBeCloseTo(1 / 3, 12); // TPR 1 − 2/3
    expect(s?.equal_opportunity_ratio).toBeCloseTo(2 / 3, 12);
    expect(s?.equalized_odds_difference).toBeCloseTo(1 / 3, 12); // FPR 1/3 both
    expect(s?.equalized_odds_ratio).toBeCloseTo(2 / 3, 12);
    expect(s?.average_odds_difference).toBeCloseTo(1 / 6, 12); // B: ½[(1/3 − 1/3) + (1 − 2/3)]
    expect(b.averageOddsDifference).toBeCloseTo(1 / 6, 12);
    expect(s?.impact_ratio).toBeCloseTo(1, 12);
    // b = ŷ − y + 1: 1 FN → 0, 2 FP → 2, 7 others → 1; μ = 11/10.
    // GE(2) = [1·(0 − 1) + 7·(1/1.21 − 1) + 2·(4/1.21 − 1)]/(2·10) = 2.396694/20 = .1198347
    // Theil = [7·(1/1.1)·ln(1/1.1) + 2·(2/1.1)·ln(2/1.1)]/10 = (−.6065192 + 2.1739527)/10 = .1567434
    expect(s?.generalized_entropy_index).toBeCloseTo(0.1198347, 6);
    expect(s?.theil_index).toBeCloseTo(0.1567434, 6);
  });

  it('never produces NaN', () => {
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });
});

describe('computeFairness edge cases', () => {
  it('label-free mode reports only the label-free keys, absent (not null) label metrics', () => {
    const { labels: _labels, ...withoutLabels } = SMALL;
    const result = computeFairness(batchOf(withoutLabels), OPTIONS);
    const b = groupOf(result.slices[0], 'B');
    expect(result.labelFree).toBe(true);
    expect(Object.keys(b.metrics).sort()).toEqual([...LABEL_FREE_KEYS].sort());
    expect(Object.keys(result.overall.metrics).sort()).toEqual([...LABEL_FREE_KEYS].sort());
    expect(Object.keys(b.disparities).sort()).toEqual(['scoring_rate', 'selection_rate']);
    expect(Object.keys(result.slices[0]?.summary ?? {}).sort()).toEqual([
      'demographic_parity_difference',
      'demographic_parity_ratio',
      'impact_ratio',
    ]);
    expect(b.averageOddsDifference).toBeUndefined();
    expect(b.metrics.mean_score?.value).toBeCloseTo((0.6 + 0.6 + 0.4 + 0.5) / 4, 12);
  });

  it('without scores, the score metrics are null', () => {
    const { scores: _scores, ...withoutScores } = SMALL;
    const a = groupOf(computeFairness(batchOf(withoutScores), OPTIONS).slices[0], 'A');
    for (const key of ['roc_auc', 'brier_score', 'mean_score', 'scoring_rate'] as const) {
      expect(a.metrics[key]?.value).toBeNull();
    }
    expect(a.metrics.selection_rate?.value).toBeCloseTo(0.5, 12);
  });

  it('a single-class group has null TPR and AUC and is flagged', () => {
    const result = computeFairness(
      batchOf({
        labels: [0, 0, 0, 1, 0],
        predictions: [1, 0, 0, 1, 0],
        scores: [0.7, 0.2, 0.1, 0.9, 0.3],
        attributes: [attribute('g', ['X', 'X', 'X', 'Y', 'Y'])],
      }),
      { ...OPTIONS, minGroupSize: 1 },
    );
    const x = groupOf(result.slices[0], 'X');
    expect(x.metrics.true_positive_rate?.value).toBeNull();
    expect(x.metrics.roc_auc?.value).toBeNull();
    expect(x.metrics.false_positive_rate?.value).toBeCloseTo(1 / 3, 12);
    expect(x.flags).toContain('single_class');
    // FPR denominator 3 < 5: a reported rate too thin even with minGroupSize 1.
    expect(x.flags).toContain('insufficient_sample');
  });

  it('all-tied scores give an AUC of ½', () => {
    const result = computeFairness(
      batchOf({
        labels: [1, 1, 0, 0],
        predictions: [1, 1, 1, 1],
        scores: [0.4, 0.4, 0.4, 0.4],
        attributes: [attribute('g', ['X', 'X', 'X', 'X'])],
      }),
      OPTIONS,
    );
    // every pair tied → ½; all placements ½ → DeLong's variance is 0, so the interval is Newcombe's
    // score-type one for A = ½, m = n = 2 (found here by scanning θ), not the point ½.
    const [low, high] = newcombeScoreLimitsByScan(0.5, 2, 2);
    expect(result.overall.metrics.roc_auc?.value).toBe(0.5);
    expect(result.overall.metrics.roc_auc?.ciLow).toBeCloseTo(low, 4);
    expect(result.overall.metrics.roc_auc?.ciHigh).toBeCloseTo(high, 4);
    expect(low).toBeLessThan(0.2);
    // median .4: nothing strictly above it.
    expect(result.overall.metrics.scoring_rate?.value).toBe(0);
  });

  it('a zero reference rate gives a null ratio but a difference', () => {
    const result = computeFairness(
      batchOf({
        labels: [0, 0, 0, 0, 0, 0, 0],
        predictions: [0, 0, 0, 0, 1, 0, 0],
        attributes: [attribute('g', ['R', 'R', 'R', 'R', 'S', 'S', 'S'])],
      }),
      OPTIONS,
    );
    const s = groupOf(result.slices[0], 'S');
    expect(s.disparities.selection_rate).toMatchObject({ ratio: null, withinBand: null });
    expect(s.disparities.selection_rate?.difference).toBeCloseTo(1 / 3, 12);
    expect(s.disparities.selection_rate?.impactRatio).toBe(1);
    expect(groupOf(result.slices[0], 'R').disparities.selection_rate?.impactRatio).toBe(0);
  });

  it('one group only: summaries are null', () => {
    const result = computeFairness(
      batchOf({
        ...SMALL,
        attributes: [
          attribute(
            'g',
            SMALL.labels.map(() => 'A'),
          ),
        ],
      }),
      OPTIONS,
    );
    const s = result.slices[0]?.summary;
    expect(s?.demographic_parity_difference).toBeNull();
    expect(s?.equalized_odds_ratio).toBeNull();
    expect(s?.average_odds_difference).toBeNull();
    expect(s?.impact_ratio).toBeNull();
  });

  it('weights are weighted counts; intervals use Kish effective sizes', () => {
    const doubled = computeFairness(batchOf({ ...SMALL, weights: SMALL.labels.map(() => 2) }), OPTIONS);
    const plain = computeFairness(batchOf(SMALL), OPTIONS);
    const [a2, a1] = [groupOf(doubled.slices[0], 'A'), groupOf(plain.slices[0], 'A')];
    // Every weight 2: counts double, n_eff = (2n)²/(4n) = n, so values and intervals are unchanged.
    expect(a2.metrics.selection_rate).toMatchObject({ numerator: 6, denominator: 12 });
    expect(a2.metrics.selection_rate?.ciLow).toBeCloseTo(a1.metrics.selection_rate!.ciLow!, 12);
    expect(a2.metrics.roc_auc?.value).toBeCloseTo(8 / 9, 12);
    expect(a2.count).toBe(6);

    // Unequal weights: X has (pred 1, label 1, score .9, w 2), (pred 0, label 0, score .5, w 1),
    // (pred 0, label 0, score .95, w 3). Selection 2/6; AUC = the positive's weight-2 placement above
    // 1 of 4 negative weight = 1/4 (as if the rows were repeated 2, 1 and 3 times).
    const weighted = computeFairness(
      batchOf({
        labels: [1, 0, 0],
        predictions: [1, 0, 0],
        scores: [0.9, 0.5, 0.95],
        weights: [2, 1, 3],
        attributes: [attribute('g', ['X', 'X', 'X'])],
      }),
      OPTIONS,
    );
    const x = groupOf(weighted.slices[0], 'X');
    expect(x.metrics.selection_rate).toMatchObject({ numerator: 2, denominator: 6 });
    expect(x.metrics.roc_auc?.value).toBeCloseTo(1 / 4, 12);
    // n_eff = 6²/(4 + 1 + 9) = 36/14; the Wilson interval of (1/3)·n_eff of n_eff is wider than of 2 of 6.
    const unweighted = computeFairness(
      batchOf({
        labels: [1, 1, 0, 0, 0, 0],
        predictions: [1, 1, 0, 0, 0, 0],
        attributes: [attribute('g', Array(6).fill('X') as string[])],
      }),
      OPTIONS,
    );
    const ciWidth = (g: GroupResult): number =>
      g.metrics.selection_rate!.ciHigh! - g.metrics.selection_rate!.ciLow!;
    expect(ciWidth(x)).toBeGreaterThan(ciWidth(groupOf(unweighted.slices[0], 'X')));
  });

  it('missingAttribute "drop" leaves the missing rows out of the slice, its shares and its median', () => {
    const result = computeFairness(
      batchOf({
        labels: [0, 1, 0, 1, 1, 1],
        predictions: [0, 0, 1, 1, 1, 1],
        scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        attributes: [
          attribute('g', ['A', 'A', 'B', 'B', null, null]),
          attribute('h', ['u', 'v', 'u', 'v', 'u', 'v']),
        ],
      }),
      { ...OPTIONS, missingAttribute: 'drop', intersections: [['g', 'h']] },
    );
    const [g, h, gh] = result.slices;
    expect(result.overall.count).toBe(6);
    expect(g?.droppedRows).toBe(2);
    expect(h?.droppedRows).toBe(0);
    expect(gh?.droppedRows).toBe(2);
    expect(groupOf(g, 'A').share).toBeCloseTo(2 / 4, 12);
    // slice median (.2 + .3)/2 = .25: B's .3 and .4 are both above it (with the whole-sample .35, only .4).
    expect(groupOf(g, 'B').metrics.scoring_rate?.value).toBe(1);
    expect(groupOf(g, 'A').metrics.scoring_rate?.value).toBe(0);
    expect(result.overall.metrics.scoring_rate?.value).toBeCloseTo(3 / 6, 12);
    // the h slice keeps every row: median .35, so u (.1 .3 .5) → 1/3.
    expect(groupOf(h, 'u').metrics.scoring_rate?.value).toBeCloseTo(1 / 3, 12);
    expect(gh?.groups.map((x) => x.key)).toEqual([
      { g: 'A', h: 'u' },
      { g: 'A', h: 'v' },
      { g: 'B', h: 'u' },
      { g: 'B', h: 'v' },
    ]);
  });
});

describe('computeFairness references and intersections', () => {
  const batch = batchOf({
    labels: [1, 0, 1, 0, 1, 0, 1, 0],
    predictions: [1, 1, 1, 0, 0, 0, 1, 0],
    attributes: [
      attribute('race', ['W', 'W', 'W', 'W', 'B', 'B', 'A', 'A']),
      attribute('sex', ['F', 'M', 'F', 'M', 'F', 'F', 'M', 'M']),
    ],
  });
  const run = (options: Partial<FairnessOptions>): FairnessResult =>
    computeFairness(batch, { ...OPTIONS, ...options });

  it('most_favorable picks the highest favorable selection rate', () => {
    // selection: A 1/2, B 0/2, W 3/4 → W; with favorableOutcome negative: 1 − rate → B.
    expect(run({ reference: { strategy: 'most_favorable' } }).slices[0]?.reference).toEqual({ race: 'W' });
    const negative = run({ reference: { strategy: 'most_favorable' }, favorableOutcome: 'negative' });
    expect(negative.slices[0]?.reference).toEqual({ race: 'B' });
    // favorable rates A 1/2, B 1, W 1/4 → impact ratios 1/2, 1, 1/4.
    expect(groupOf(negative.slices[0], 'W').disparities.selection_rate?.impactRatio).toBeCloseTo(0.25, 12);
  });

  it('overall compares each group with the whole slice', () => {
    const result = run({ reference: { strategy: 'overall' } });
    expect(result.slices[0]?.reference).toEqual({ race: 'overall' });
    // W 3/4 vs all 4/8 → ratio 1.5.
    expect(groupOf(result.slices[0], 'W').disparities.selection_rate?.ratio).toBeCloseTo(1.5, 12);
    expect(result.slices[0]?.groups.every((g) => !g.flags.includes('reference'))).toBe(true);
  });

  it('explicit: an intersection reference is the combination, and a missing one is an invalid config', () => {
    const result = run({
      reference: { strategy: 'explicit', groups: { race: 'W', sex: 'M' } },
      intersections: [['race', 'sex']],
    });
    const intersection = result.slices[2];
    expect(intersection?.reference).toEqual({ race: 'W', sex: 'M' });
    // B × M has no rows: omitted.
    expect(intersection?.groups.map((g) => Object.values(g.key).join('×'))).toEqual([
      'A×M',
      'B×F',
      'W×F',
      'W×M',
    ]);
    expect(() =>
      run({
        reference: { strategy: 'explicit', groups: { race: 'B', sex: 'M' } },
        intersections: [['race', 'sex']],
      }),
    ).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('race=B, sex=M') }),
    );
    expect(() => run({ reference: { strategy: 'explicit', groups: { race: 'Z', sex: 'M' } } })).toThrow(
      DomainError,
    );
  });
});

describe('computeFairness input errors', () => {
  it('rejects a NaN score naming the row', () => {
    const batch = batchOf({ ...SMALL, scores: [0.1, 0.2, NaN, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });
    expect(() => computeFairness(batch, OPTIONS)).toThrow(
      expect.objectContaining({
        code: 'domain',
        errors: [expect.objectContaining({ row: 3, column: 'score' })],
      }),
    );
  });

  it('rejects a label that is not 0/1', () => {
    const batch = batchOf({ ...SMALL, labels: [1, 1, 2, 0, 0, 0, 1, 0, 0, 0] });
    expect(() => computeFairness(batch, OPTIONS)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('computeFairness with the score order given', () => {
  it('gives the same result as sorting itself, and rejects an order of another length', () => {
    const batch = batchOf(SMALL);
    const order = scoreOrderOf(batch)!;
    expect(computeFairness(batch, OPTIONS, order)).toEqual(computeFairness(batch, OPTIONS));
    const short = scoreOrderOf(
      batchOf({ ...SMALL, predictions: SMALL.predictions.slice(1), scores: SMALL.scores.slice(1) }),
    )!;
    expect(() => computeFairness(batch, OPTIONS, short)).toThrow(DomainError);
  });
});

/**
 * Numbers equal to 1e-9 (relative): the same sums added in another order differ in the last bits.
 * Everything else strictly equal.
 */
function expectSameResult(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= 1e-9 * scale)) throw new Error(`${path}: ${actual} ≠ ${expected}`);
  } else if (expected !== null && typeof expected === 'object') {
    // Plain comparisons and throws, not expect(): thousands of groups make expect()'s per-call cost ~30 s.
    if (actual === null || typeof actual !== 'object')
      throw new Error(`${path}: ${String(actual)} is not an object`);
    const [got, want] = [Object.keys(actual).sort().join(), Object.keys(expected).sort().join()];
    if (got !== want) throw new Error(`${path}: keys ${got} ≠ ${want}`);
    for (const [key, value] of Object.entries(expected)) {
      expectSameResult((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else if (!Object.is(actual, expected)) {
    throw new Error(`${path}: ${String(actual)} ≠ ${String(expected)}`);
  }
}

describe('computeFairness when the attributes have too many combinations to count together', () => {
  /*
   * 3,000 seeded rows, four attributes of 20 levels with some values missing: 21⁴ combinations are more
   * than one shared partition may hold, so each slice is counted on its own, and the 4-way intersection
   * (21⁴ > 2¹⁶) over the combinations that occur. The oracle: the same rows split into narrower audits
   * that do share one partition give the same numbers.
   */
  const n = 3000;
  const random = mulberry32(11);
  const names = Array.from({ length: 20 }, (_, l) => `L${String(l).padStart(2, '0')}`);
  const values = ['a', 'b', 'c', 'd'].map(() =>
    Array.from({ length: n }, () => (random() < 0.03 ? null : names[Math.floor(random() * 20)]!)),
  );
  const columns = ['a', 'b', 'c', 'd'].map((name, a) => attribute(name, values[a]!));
  const scores = Array.from({ length: n }, () => Math.round(random() * 50) / 50); // many ties
  const labels = scores.map((s) => (random() < 0.2 + 0.6 * s ? 1 : 0));
  const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const options: FairnessOptions = { ...OPTIONS, missingAttribute: 'drop', minGroupSize: 5 };
  const wide = computeFairness(batchOf({ labels, predictions, scores, attributes: columns }), {
    ...options,
    intersections: [
      ['a', 'b'],
      ['a', 'b', 'c', 'd'],
    ],
  });

  it('gives each attribute and 2-way intersection the numbers of an audit of those attributes alone', () => {
    const narrow = computeFairness(
      batchOf({ labels, predictions, scores, attributes: columns.slice(0, 2) }),
      {
        ...options,
        intersections: [['a', 'b']],
      },
    );
    expectSameResult(wide.overall, narrow.overall);
    expectSameResult(wide.slices[0], narrow.slices[0]);
    expectSameResult(wide.slices[1], narrow.slices[1]);
    expectSameResult(wide.slices[4], narrow.slices[2]);
  });

  it('gives the 4-way intersection the numbers of one attribute holding the four values joined', () => {
    const joined = Array.from({ length: n }, (_, i) =>
      values.some((column) => column[i] === null) ? null : values.map((column) => column[i]).join('|'),
    );
    const single = computeFairness(
      batchOf({ labels, predictions, scores, attributes: [attribute('abcd', joined)] }),
      options,
    );
    const fourWay = wide.slices[5]!;
    const oracle = single.slices[0]!;
    expect(fourWay.groups.length).toBe(new Set(joined.filter((v) => v !== null)).size);
    expect(fourWay.droppedRows).toBe(joined.filter((v) => v === null).length);
    const asJoined = (key: Record<string, string>): string =>
      ['a', 'b', 'c', 'd'].map((a) => key[a]).join('|');
    expect(fourWay.groups.map((g) => asJoined(g.key))).toEqual(oracle.groups.map((g) => g.key.abcd));
    expect(asJoined(fourWay.reference)).toBe(oracle.reference.abcd);
    fourWay.groups.forEach((group, g) => {
      const { key: _fourWayKey, ...numbers } = group;
      const { key: _oracleKey, ...expected } = oracle.groups[g]!;
      expectSameResult(numbers, expected);
    });
    expectSameResult(fourWay.summary, oracle.summary);
  });
});
