import { complianceInput } from '../../../test/support/compliance-fixtures';
import type { Disparity } from '../fairness/types';
import type {
  MulticlassGroupResult,
  MulticlassResult,
  RegressionGroupResult,
  RegressionResult,
} from '../tasks/types';
import { evaluateControls } from './engine';
import { DEFAULT_POLICY } from './policy';
import type { ControlOutcome } from './types';

const CONVENTIONS = {
  referenceStrategy: 'largest' as const,
  confidenceLevel: 0.95,
  fairnessBand: [0.8, 1.25] as [number, number],
  minGroupSize: 30,
  missingAttribute: 'group' as const,
};

function control(result: RegressionResult | MulticlassResult, framework: string, id: string): ControlOutcome {
  const found = evaluateControls(complianceInput(result), DEFAULT_POLICY, [framework]).find(
    (o) => o.controlId === id,
  );
  if (!found) throw new Error(`no outcome for ${id}`);
  return found;
}

// ---------------------------------------------------------------- regression

interface RegressionGroupSpec {
  name: string;
  count: number;
  mae: number;
  /** MAE ratio vs the reference with its interval. */
  ratio?: [number, number, number];
  /** Mean error difference vs the reference with its interval. */
  meanErrorDifference?: [number, number, number];
}

function regression(groups: RegressionGroupSpec[]): RegressionResult {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const group = (g: RegressionGroupSpec, i: number): RegressionGroupResult => {
    const disparities: RegressionGroupResult['disparities'] = {};
    if (g.ratio) {
      const [ratio, ratioCiLow, ratioCiHigh] = g.ratio;
      disparities.mean_absolute_error = {
        difference: null,
        ratio,
        ratioCiLow,
        ratioCiHigh,
      } satisfies Disparity;
    }
    if (g.meanErrorDifference) {
      const [difference, differenceCiLow, differenceCiHigh] = g.meanErrorDifference;
      disparities.mean_error = { difference, ratio: null, differenceCiLow, differenceCiHigh };
    }
    return {
      key: { race: g.name },
      count: g.count,
      share: g.count / total,
      metrics: { mean_absolute_error: { value: g.mae } },
      disparities,
      flags: i === 0 ? ['reference'] : [],
    };
  };
  return {
    task: 'regression',
    overall: { count: total, metrics: {} },
    slices: [
      { attributes: ['race'], reference: { race: groups[0]!.name }, groups: groups.map(group), summary: {} },
    ],
    conventions: {
      ...CONVENTIONS,
      intervals: {
        mean: 't',
        rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
        r2: 'delta-method-t',
        difference: 'welch',
        ratio: 'delta-method-log',
      },
      tests: { means: 'welch-t', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: 'metric' },
    },
  };
}

const WHITE = { name: 'White', count: 400, mae: 2 };

describe('fairness controls on a regression audit (MAE ratio and under-prediction vs the fairness band)', () => {
  it('passes when every MAE ratio and its interval lie inside [0.8, 1.25] and nobody is under-predicted', () => {
    const o = control(
      regression([
        WHITE,
        {
          name: 'Black',
          count: 300,
          mae: 2.1,
          ratio: [1.05, 0.95, 1.16],
          meanErrorDifference: [-0.1, -0.3, 0.1],
        },
      ]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(o.status).toBe('pass');
    expect(o.rationale).toContain('mean absolute error is within the fairness band [0.8, 1.25]');
  });

  it("fails when a group's MAE is 1.5 times the reference's and the interval excludes 1", () => {
    const o = control(
      regression([WHITE, { name: 'Black', count: 300, mae: 3, ratio: [1.5, 1.3, 1.73] }]),
      'hhs-1557',
      '45 CFR 92.210(a)',
    );
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe(
      "For race, the mean absolute error of the group Black is 150% of the reference group's (White), outside the fairness band [0.8, 1.25], and the difference is statistically significant.",
    );
    expect(o.evidence[0]).toMatchObject({
      metric: 'mean_absolute_error.ratio',
      value: 1.5,
      ciLow: 1.3,
      ciHigh: 1.73,
      group: { race: 'Black' },
    });
  });

  it('is a review, not a fail, when the ratio is outside the band but its interval contains 1', () => {
    const o = control(
      regression([WHITE, { name: 'Black', count: 300, mae: 2.6, ratio: [1.3, 0.98, 1.7] }]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(o.status).toBe('review');
  });

  it('is inconclusive when the ratio is inside the band but its interval reaches outside it', () => {
    const o = control(
      regression([WHITE, { name: 'Black', count: 40, mae: 2.1, ratio: [1.05, 0.7, 1.6] }]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(o.status).toBe('inconclusive');
    expect(o.rationale).toContain('cannot show that the errors are comparable');
  });

  // Under-prediction: the reference's MAE is 2; a mean error 0.5 lower is 25% of it, beyond 1 − 0.8 = 20%.
  it('fails a significant under-prediction of 25% of the reference MAE, reviews it when not significant, passes 10%', () => {
    const under = (ci: [number, number]) =>
      control(
        regression([
          WHITE,
          { name: 'Black', count: 300, mae: 2, ratio: [1, 0.9, 1.1], meanErrorDifference: [-0.5, ...ci] },
        ]),
        'nist-ai-rmf',
        'MEASURE 2.11',
      );
    const significant = under([-0.8, -0.2]);
    expect(significant.status).toBe('fail');
    expect(significant.rationale).toContain('under-predicted relative to the reference group (White) by 25%');
    expect(under([-0.9, 0.1]).status).toBe('review');
    const small = control(
      regression([
        WHITE,
        { name: 'Black', count: 300, mae: 2, ratio: [1, 0.9, 1.1], meanErrorDifference: [-0.2, -0.4, -0.05] },
      ]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(small.status).toBe('pass');
  });

  it('reviews a group under nMin (30) instead of judging it, without printing a count 1–10', () => {
    const twenty = control(
      regression([WHITE, { name: 'Other', count: 20, mae: 9, ratio: [4.5, 3, 6] }]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(twenty.status).toBe('review');
    expect(twenty.rationale).toBe(
      'For race, the group Other has 20 people, fewer than the 30 needed to judge its errors reliably, so a person should review it.',
    );
    const eight = control(
      regression([WHITE, { name: 'Other', count: 8, mae: 9, ratio: [4.5, 3, 6] }]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(eight.rationale).toContain('has fewer than 11 people');
    expect(eight.rationale).not.toMatch(/\b8\b/);
  });

  it.each([
    [
      'eeoc-ugesp',
      '29 CFR 1607.4(D)',
      'The impact ratio of a selection procedure (four-fifths rule, NYC LL144) is defined for binary selection decisions; this audit is a regression.',
    ],
    [
      'nyc-ll144',
      '6 RCNY 5-301(c)',
      'Scoring-rate impact ratios (NYC LL144) are defined for binary decisions made from scores; this audit is a regression.',
    ],
    [
      'nist-ai-rmf',
      'MEASURE 2.3',
      'ROC AUC per group is defined for binary decisions with scores; this audit is a regression.',
    ],
  ])('%s %s is not_applicable, with the reason', (framework, id, rationale) => {
    const o = control(
      regression([WHITE, { name: 'Black', count: 300, mae: 2, ratio: [1, 0.9, 1.1] }]),
      framework,
      id,
    );
    expect(o.status).toBe('not_applicable');
    expect(o.rationale).toBe(rationale);
  });

  it('task-independent controls still apply: attributes present, small cells', () => {
    const result = regression([WHITE, { name: 'Black', count: 300, mae: 2, ratio: [1, 0.9, 1.1] }]);
    expect(control(result, 'eeoc-ugesp', '29 CFR 1607.4(B)').status).toBe('review'); // race only: sex, ethnicity missing
    expect(control(result, 'hipaa', 'CMS cell size suppression policy').status).toBe('pass');
  });
});

// ---------------------------------------------------------------- multiclass

interface ClassGroupSpec {
  name: string;
  count: number;
  /** Rows predicted as class "urgent". */
  urgent: number;
  /** Difference of the class's TPR vs the reference, with its p-value. */
  tprGap?: [number, number];
}

function multiclass(groups: ClassGroupSpec[]): MulticlassResult {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const group = (g: ClassGroupSpec, i: number): MulticlassGroupResult => ({
    key: { sex: g.name },
    count: g.count,
    share: g.count / total,
    metrics: {},
    classes: {
      urgent: { selection_rate: { value: g.urgent / g.count, numerator: g.urgent, denominator: g.count } },
      routine: {
        selection_rate: {
          value: 1 - g.urgent / g.count,
          numerator: g.count - g.urgent,
          denominator: g.count,
        },
      },
    },
    disparities: g.tprGap
      ? {
          classes: {
            urgent: { true_positive_rate: { difference: g.tprGap[0], ratio: null, pValue: g.tprGap[1] } },
          },
        }
      : {},
    flags: i === 0 ? ['reference'] : [],
  });
  return {
    task: 'multiclass',
    classes: ['urgent', 'routine'],
    labelFree: false,
    overall: { count: total, metrics: {}, classes: {} },
    slices: [
      {
        attributes: ['sex'],
        reference: { sex: groups[0]!.name },
        groups: groups.map(group),
        summary: { accuracy_difference: null, accuracy_ratio: null, classes: {} },
      },
    ],
    conventions: {
      ...CONVENTIONS,
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'katz' },
      tests: { proportions: 'z', adjustment: 'holm' },
    },
  };
}

describe('fairness controls on a multiclass audit (per-class impact ratio and TPR gap)', () => {
  // 1000 people each, 300 vs 290 predicted urgent: IR 0.967; with 1000 per group the audit detects a
  // ratio of 0.815 at 80% power (hand-worked: root of (r − p)² = 2.8²(p(1 − p)/1000 + 0.3·0.7/1000)).
  it('passes when every class is predicted at similar rates and the groups are large enough to tell', () => {
    const o = control(
      multiclass([
        { name: 'F', count: 1000, urgent: 300 },
        { name: 'M', count: 1000, urgent: 290 },
      ]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(o.status).toBe('pass');
  });

  // 100 of 250 (0.40) vs 40 of 250 (0.16): IR 0.40. Pooled z by hand: p̂ = 0.28, SE = √(0.28·0.72·2/250) =
  // 0.04016, z = 5.98, p ≈ 2e-9.
  it('fails a class predicted for one group at 40% of the rate of the other, significantly', () => {
    const o = control(
      multiclass([
        { name: 'F', count: 250, urgent: 100 },
        { name: 'M', count: 250, urgent: 40 },
      ]),
      'hhs-1557',
      '45 CFR 92.210(a)',
    );
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe(
      'For sex, the group M is predicted as class urgent at 40% of the rate of the group predicted so most often (F), below 80%, and the difference is statistically significant.',
    );
    expect(o.evidence[0]!.pValue).toBeLessThan(1e-8);
  });

  // k = z(0.975) + z(0.8) = 2.8016; a group of 40 against 300 of 1000 (0.30) can only detect ratios far
  // below 0.8. Group size to detect 0.8 (p = 0.24): k²·p(1 − p) / ((0.30 − 0.24)² − k²·0.3·0.7/1000) = 733.5,
  // so 694 more people (scipy, by hand above). With 40 in the most-favoured group too, no size suffices.
  it('is inconclusive when the rates are equal but a group of 40 cannot reveal a ratio of 0.8, and says how many more', () => {
    const o = control(
      multiclass([
        { name: 'F', count: 1000, urgent: 300 },
        { name: 'M', count: 40, urgent: 12 },
      ]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(o.status).toBe('inconclusive');
    const evidence = o.evidence.find((e) => e.metric === 'class.urgent.impact_ratio');
    expect(evidence?.additionalPeopleNeeded).toBe(694);
    expect(o.rationale).toContain('about 694 more people in M would make it conclusive');
    const bothSmall = control(
      multiclass([
        { name: 'F', count: 40, urgent: 12 },
        { name: 'M', count: 40, urgent: 12 },
      ]),
      'nist-ai-rmf',
      'MEASURE 2.11',
    );
    expect(bothSmall.status).toBe('inconclusive');
    expect(bothSmall.rationale).toContain('the most-favoured group is too small as well');
  });

  it('fails a significant true-positive-rate gap of a class (0.15 > 2 × 0.05), reviews a non-significant one', () => {
    const gap = (p: number) =>
      control(
        multiclass([
          { name: 'F', count: 1000, urgent: 300 },
          { name: 'M', count: 1000, urgent: 300, tprGap: [-0.15, p] },
        ]),
        'nist-ai-rmf',
        'MEASURE 2.11',
      );
    expect(gap(0.001).status).toBe('fail');
    expect(gap(0.001).rationale).toContain('true positive rate of class urgent in the group M');
    expect(gap(0.2).status).toBe('review');
  });

  it('EEOC four-fifths and AUC controls are not_applicable, naming the task', () => {
    const result = multiclass([
      { name: 'F', count: 1000, urgent: 300 },
      { name: 'M', count: 1000, urgent: 300 },
    ]);
    const eeoc = control(result, 'eeoc-ugesp', '29 CFR 1607.4(D)');
    expect(eeoc.status).toBe('not_applicable');
    expect(eeoc.rationale).toMatch(/; this audit is a multiclass classification\.$/);
    expect(control(result, 'nist-ai-rmf', 'MEASURE 2.3').status).toBe('not_applicable');
  });
});
