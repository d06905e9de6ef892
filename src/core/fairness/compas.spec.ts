/**
 * Golden test: Aequitas's published COMPAS audit (datasets/compas-reference.md), recomputed from
 * compas_for_aequitas.csv with y_true = label_value, y_pred = score, attributes race, sex, age_cat.
 */
// eslint-disable-next-line no-restricted-imports -- the spec reads the reference dataset shipped in datasets/
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ColumnarBatch } from '../ingest/batch';
import { computeFairness } from './compute-fairness';
import { FairnessOptions, FairnessResult, GroupResult, MetricKey, RateKey, SliceResult } from './types';

const ROWS = readFileSync(resolve(__dirname, '../../../datasets/aequitas/compas_for_aequitas.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(','));

/** Columns: entity_id, score, label_value, race, sex, age_cat. */
function compasBatch(rows: string[][]): ColumnarBatch {
  const attribute = (name: string, column: number): ColumnarBatch['attributes'][number] => {
    const levels = [...new Set(rows.map((r) => r[column]!))];
    return { name, levels, codes: Uint16Array.from(rows, (r) => levels.indexOf(r[column]!)) };
  };
  return {
    rowCount: rows.length,
    predictions: Uint8Array.from(rows, (r) => Number(r[1])),
    labels: Uint8Array.from(rows, (r) => Number(r[2])),
    attributes: [attribute('race', 3), attribute('sex', 4), attribute('age_cat', 5)],
  };
}

const EXPLICIT: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'explicit', groups: { race: 'Caucasian', sex: 'Male', age_cat: '25 - 45' } },
  intersections: [],
  minGroupSize: 30,
  missingAttribute: 'group',
};

function group(result: FairnessResult, attribute: string, name: string): GroupResult {
  const slice = result.slices.find((s) => s.attributes.join() === attribute) as SliceResult;
  return slice.groups.find((g) => g.key[attribute] === name) as GroupResult;
}

/** |actual − published| within half a unit of the published value's last decimal. */
function expectRounded(actual: number | null | undefined, published: number, decimals: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - published)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe('COMPAS (Aequitas reference)', () => {
  const explicit = computeFairness(compasBatch(ROWS), EXPLICIT);

  it('has the published sample: N 7214, TP 2035, FP 1282, FN 1216, TN 2681', () => {
    const m = explicit.overall.metrics;
    expect(explicit.overall.count).toBe(7214);
    expect(m.true_positive_rate).toMatchObject({ numerator: 2035, denominator: 2035 + 1216 });
    expect(m.false_positive_rate).toMatchObject({ numerator: 1282, denominator: 1282 + 2681 });
    expectRounded(m.positive_predictive_value?.value, 0.6135, 4);
    expectRounded(m.accuracy?.value, 0.6537, 4);
    expectRounded(m.selection_rate?.value, 0.4598, 4);
    expectRounded(m.base_rate?.value, 0.4507, 4);
  });

  // compas-reference.md, "Group metrics": attr, group, n, pprev, prev, TPR, FPR, FNR, TNR, PPV, NPV, FDR, FOR.
  const GROUP_TABLE: [string, string, number, ...number[]][] = [
    [
      'race',
      'African-American',
      3696,
      0.5882,
      0.5143,
      0.7201,
      0.4485,
      0.2799,
      0.5515,
      0.6297,
      0.6505,
      0.3703,
      0.3495,
    ],
    ['race', 'Asian', 32, 0.25, 0.2812, 0.6667, 0.087, 0.3333, 0.913, 0.75, 0.875, 0.25, 0.125],
    [
      'race',
      'Caucasian',
      2454,
      0.348,
      0.3936,
      0.5228,
      0.2345,
      0.4772,
      0.7655,
      0.5913,
      0.7119,
      0.4087,
      0.2881,
    ],
    ['race', 'Hispanic', 637, 0.2983, 0.3642, 0.444, 0.2148, 0.556, 0.7852, 0.5421, 0.7114, 0.4579, 0.2886],
    ['race', 'Native American', 18, 0.6667, 0.5556, 0.9, 0.375, 0.1, 0.625, 0.75, 0.8333, 0.25, 0.1667],
    ['race', 'Other', 377, 0.2095, 0.3528, 0.3233, 0.1475, 0.6767, 0.8525, 0.5443, 0.698, 0.4557, 0.302],
    ['sex', 'Female', 1395, 0.4237, 0.357, 0.6084, 0.3211, 0.3916, 0.6789, 0.5127, 0.7575, 0.4873, 0.2425],
    ['sex', 'Male', 5819, 0.4685, 0.4731, 0.6291, 0.3242, 0.3709, 0.6758, 0.6354, 0.6699, 0.3646, 0.3301],
    [
      'age_cat',
      '25 - 45',
      4109,
      0.4682,
      0.4597,
      0.6263,
      0.3338,
      0.3737,
      0.6662,
      0.6149,
      0.6769,
      0.3851,
      0.3231,
    ],
    [
      'age_cat',
      'Greater than 45',
      1576,
      0.25,
      0.316,
      0.4277,
      0.1679,
      0.5723,
      0.8321,
      0.5406,
      0.7589,
      0.4594,
      0.2411,
    ],
    [
      'age_cat',
      'Less than 25',
      1529,
      0.6534,
      0.5651,
      0.7396,
      0.5414,
      0.2604,
      0.4586,
      0.6396,
      0.5755,
      0.3604,
      0.4245,
    ],
  ];
  const GROUP_KEYS: MetricKey[] = [
    'selection_rate',
    'base_rate',
    'true_positive_rate',
    'false_positive_rate',
    'false_negative_rate',
    'true_negative_rate',
    'positive_predictive_value',
    'negative_predictive_value',
    'false_discovery_rate',
    'false_omission_rate',
  ];

  it.each(GROUP_TABLE)('reproduces the group metrics of %s %s', (attribute, name, n, ...values) => {
    const g = group(explicit, attribute, name);
    expect(g.count).toBe(n);
    GROUP_KEYS.forEach((key, i) => expectRounded(g.metrics[key]?.value, values[i]!, 4));
  });

  // compas-reference.md, "Disparities" (refs Caucasian, Male, 25 - 45): pprev, FPR, FNR, TPR, TNR, FDR, FOR, PPV, NPV.
  const RATIO_TABLE: [string, string, ...number[]][] = [
    ['race', 'African-American', 1.69, 1.912, 0.586, 1.378, 0.721, 0.906, 1.213, 1.065, 0.914],
    ['race', 'Asian', 0.718, 0.371, 0.698, 1.275, 1.193, 0.612, 0.434, 1.268, 1.229],
    ['race', 'Hispanic', 0.857, 0.916, 1.165, 0.849, 1.026, 1.12, 1.002, 0.917, 0.999],
    ['race', 'Native American', 1.916, 1.599, 0.21, 1.722, 0.817, 0.612, 0.578, 1.268, 1.171],
    ['race', 'Other', 0.602, 0.629, 1.418, 0.618, 1.114, 1.115, 1.048, 0.92, 0.98],
    ['sex', 'Female', 0.904, 0.99, 1.056, 0.967, 1.005, 1.336, 0.735, 0.807, 1.131],
    ['age_cat', 'Greater than 45', 0.534, 0.503, 1.531, 0.683, 1.249, 1.193, 0.746, 0.879, 1.121],
    ['age_cat', 'Less than 25', 1.395, 1.622, 0.697, 1.181, 0.688, 0.936, 1.314, 1.04, 0.85],
  ];
  const RATIO_KEYS: RateKey[] = [
    'selection_rate',
    'false_positive_rate',
    'false_negative_rate',
    'true_positive_rate',
    'true_negative_rate',
    'false_discovery_rate',
    'false_omission_rate',
    'positive_predictive_value',
    'negative_predictive_value',
  ];

  it.each(RATIO_TABLE)('reproduces the disparity ratios of %s %s', (attribute, name, ...ratios) => {
    const g = group(explicit, attribute, name);
    RATIO_KEYS.forEach((key, i) => expectRounded(g.disparities[key]?.ratio, ratios[i]!, 3));
  });

  it('marks the explicit references with ratio 1 and the flag "reference"', () => {
    for (const [attribute, name] of [
      ['race', 'Caucasian'],
      ['sex', 'Male'],
      ['age_cat', '25 - 45'],
    ] as const) {
      const g = group(explicit, attribute, name);
      expect(g.flags).toContain('reference');
      expect(g.disparities.false_positive_rate).toMatchObject({ difference: 0, ratio: 1, pValue: null });
    }
  });

  it('reproduces the majority-reference ratios with strategy "largest"', () => {
    const largest = computeFairness(compasBatch(ROWS), { ...EXPLICIT, reference: { strategy: 'largest' } });
    expect(largest.slices.map((s) => s.reference)).toEqual([
      { race: 'African-American' },
      { sex: 'Male' },
      { age_cat: '25 - 45' },
    ]);
    const caucasian = group(largest, 'race', 'Caucasian').disparities;
    expectRounded(caucasian.false_positive_rate?.ratio, 0.523, 3);
    expectRounded(caucasian.false_negative_rate?.ratio, 1.705, 3);
    expectRounded(caucasian.selection_rate?.ratio, 0.592, 3);
    expectRounded(caucasian.false_discovery_rate?.ratio, 1.104, 3);
    expectRounded(group(largest, 'race', 'Hispanic').disparities.false_positive_rate?.ratio, 0.479, 3);
    expectRounded(group(largest, 'race', 'Hispanic').disparities.false_negative_rate?.ratio, 1.987, 3);
    expectRounded(group(largest, 'race', 'Other').disparities.false_negative_rate?.ratio, 2.418, 3);
    expectRounded(group(largest, 'race', 'Asian').disparities.false_positive_rate?.ratio, 0.194, 3);
  });

  it('reproduces the Fairlearn between-groups summaries', () => {
    const [race, sex, age] = explicit.slices.map((s) => s.summary);
    expectRounded(race?.demographic_parity_difference, 0.4571, 4);
    expectRounded(race?.demographic_parity_ratio, 0.3143, 4);
    expectRounded(race?.equalized_odds_difference, 0.5767, 4);
    expectRounded(race?.equalized_odds_ratio, 0.1939, 4);
    expectRounded(sex?.demographic_parity_difference, 0.0448, 4);
    expectRounded(sex?.demographic_parity_ratio, 0.9043, 4);
    expectRounded(sex?.equalized_odds_difference, 0.0207, 4);
    expectRounded(age?.demographic_parity_difference, 0.4034, 4);
    expectRounded(age?.demographic_parity_ratio, 0.3826, 4);
    expectRounded(age?.equalized_odds_difference, 0.3734, 4);
  });

  it('reproduces the AIF360 numbers for African-American vs Caucasian', () => {
    const aa = group(explicit, 'race', 'African-American');
    expectRounded(aa.averageOddsDifference, 0.2056, 4); // AOD
    expectRounded(aa.disparities.selection_rate?.difference, 0.2402, 4); // SPD
    expectRounded(aa.disparities.selection_rate?.ratio, 1.69, 3); // DI
    expectRounded(aa.disparities.true_positive_rate?.difference, 0.1974, 4); // EOD
    expectRounded(aa.disparities.false_positive_rate?.difference, 0.2139, 4); // ΔFPR
  });

  it('flips the four-fifths conclusion with favorableOutcome "negative" (DI .4118/.6520 = 0.632)', () => {
    const twoGroups = ROWS.filter((r) => r[3] === 'African-American' || r[3] === 'Caucasian');
    const options: FairnessOptions = { ...EXPLICIT, favorableOutcome: 'negative' };
    const result = computeFairness(compasBatch(twoGroups), options);
    expectRounded(
      group(result, 'race', 'African-American').disparities.selection_rate?.impactRatio,
      0.632,
      3,
    );
    expect(group(result, 'race', 'Caucasian').disparities.selection_rate?.impactRatio).toBe(1);
    expectRounded(result.slices[0]?.summary.impact_ratio, 0.632, 3);
    const positive = computeFairness(compasBatch(twoGroups), EXPLICIT);
    expectRounded(
      group(positive, 'race', 'Caucasian').disparities.selection_rate?.impactRatio,
      0.348 / 0.5882,
      3,
    );
  });

  it('tests African-American vs Hispanic with the pooled z-test (Aequitas uses another test)', () => {
    const result = computeFairness(compasBatch(ROWS), {
      ...EXPLICIT,
      reference: { strategy: 'explicit', groups: { race: 'Hispanic', sex: 'Male', age_cat: '25 - 45' } },
    });
    const aa = group(result, 'race', 'African-American').disparities;
    expectRounded(aa.false_positive_rate?.ratio, 2.088, 3);
    // Selection rate 2174/3696 = .588203 vs 190/637 = .298273; pooled 2364/4333 = .545580;
    // se = √(.545580·.454420·(1/3696 + 1/637)) = .0213608; z = .289930/.0213608 = 13.573;
    // p = 2Φ(−13.573) = 5.79e-42 (scipy chi2_contingency(correction=False)). Aequitas prints 1.70e-43,
    // which is Welch's t-test on the 0/1 values (scipy ttest_ind(equal_var=False) gives 1.6986e-43):
    // the same order of magnitude on the log scale (−41.2 vs −42.8).
    expect(aa.selection_rate?.test).toBe('z');
    expect(Math.log10(aa.selection_rate!.pValue!)).toBeCloseTo(Math.log10(5.787e-42), 2);
    expect(Math.abs(Math.log10(aa.selection_rate!.pValue!) - Math.log10(1.7e-43))).toBeLessThan(2);
    // FPR 805/1795 vs 87/405 and FNR 532/1901 vs 129/232: scipy chi2_contingency(correction=False) gives
    // 5.114e-18 and 8.882e-18. Aequitas's 2.10e-02 and 1.38e-02 come from a different test and are not
    // reproduced by any two-proportion test on these counts.
    expect(Math.log10(aa.false_positive_rate!.pValue!)).toBeCloseTo(Math.log10(5.114e-18), 2);
    expect(Math.log10(aa.false_negative_rate!.pValue!)).toBeCloseTo(Math.log10(8.882e-18), 2);
    // Holm over the 5 non-reference race groups: the smallest p-value is multiplied by 5.
    expect(aa.selection_rate!.pValueAdjusted! / aa.selection_rate!.pValue!).toBeCloseTo(5, 10);
  });
});
