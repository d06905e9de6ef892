import { DomainError } from '../errors';
import { evaluateControls } from './engine';
import { DEFAULT_POLICY, resolvePolicy, type CompliancePolicy } from './policy';
import { complianceInput, fairnessResult, type GroupSpec } from '../../../test/support/compliance-fixtures';
import type { ControlOutcome } from './types';

function control(outcomes: ControlOutcome[], id: string): ControlOutcome {
  const found = outcomes.find((o) => o.controlId === id);
  if (!found) throw new Error(`no outcome for ${id}`);
  return found;
}

const WHITE: GroupSpec = { name: 'White', n: 80, selected: 48 };

function eeoc(
  groups: GroupSpec[],
  reference: string,
  policy: CompliancePolicy = DEFAULT_POLICY,
): ControlOutcome {
  const result = fairnessResult([{ attributes: ['race'], groups, reference }]);
  return control(evaluateControls(complianceInput(result), policy, ['eeoc-ugesp']), '29 CFR 1607.4(D)');
}

describe('29 CFR 1607.4(D): the four-fifths rule', () => {
  // The regulation's example: 48 of 80 selected (0.60, the highest rate) vs 21 of 50 (0.42).
  // Impact ratio 0.42 / 0.60 = 0.70 < 0.80.
  // Pooled z-test by hand: p̂ = 69/130 = 0.5308; SE = √(0.5308·0.4692·(1/80 + 1/50)) = 0.08997;
  // z = 0.18 / 0.08997 = 2.0007; two-sided p = 0.0454 (< 0.05, one comparison so Holm changes nothing).
  it('fails the example (IR 0.70) when the gap is significant and both groups are large enough', () => {
    const o = eeoc([WHITE, { name: 'Black', n: 50, selected: 21, p: 0.0454 }], 'White');
    expect(o.status).toBe('fail');
    expect(o.framework).toBe('eeoc-ugesp');
    expect(o.policyVersion).toBe(0);
    expect(o.evidence[0]).toMatchObject({
      metric: 'impact_ratio',
      attributes: ['race'],
      group: { race: 'Black' },
      pValue: 0.0454,
      threshold: 0.8,
      count: 50,
    });
    expect(o.evidence[0]?.value).toBeCloseTo(0.7, 10);
    // Koopman score interval of 0.70 (21/50 over 48/80), by Nam's (1995) closed form: 0.472365 to 0.993132.
    // Unlike Katz's (0.48273 to 1.01507) it agrees with the chi-square test: p = 0.0454 < 0.05, 1 is outside.
    expect(o.evidence[0]?.ciLow).toBeCloseTo(0.472365, 5);
    expect(o.evidence[0]?.ciHigh).toBeCloseTo(0.993132, 5);
    expect(o.rationale).toBe(
      'For race, the group Black receives the favourable outcome at 70% of the rate of the most-favoured group (White), ' +
        'below the 80% four-fifths threshold, and the gap is statistically significant.',
    );
  });

  it('tests against the most-favoured group itself when the reference group is another one', () => {
    // Reference = Black, so the result's p-values compare with Black; the rule recomputes Black vs White: p = 0.0454.
    const o = eeoc([WHITE, { name: 'Black', n: 50, selected: 21 }], 'Black');
    expect(o.status).toBe('fail');
    expect(o.evidence[0]?.pValue).toBeCloseTo(0.04542, 4);
  });

  it('asks for review when the same ratio is not statistically significant', () => {
    const o = eeoc([WHITE, { name: 'Black', n: 50, selected: 21, p: 0.2 }], 'White');
    expect(o.status).toBe('review');
    expect(o.rationale).toContain('could be due to chance');
  });

  it('turns the fail into review for a group under nMin, without printing its count', () => {
    // 3 of 7 = 0.4286; IR = 0.4286 / 0.60 = 0.714 < 0.8, but n = 7 < 30.
    const o = eeoc([WHITE, { name: 'Black', n: 7, selected: 3, p: 0.001 }], 'White');
    expect(o.status).toBe('review');
    expect(o.evidence[0]?.value).toBeCloseTo(0.7143, 4);
    expect(o.rationale).toBe(
      'For race, the group Black has fewer than 11 people, too few to judge its 71% impact ratio reliably, so a person should review it.',
    );
    expect(o.rationale).not.toMatch(/\b7\b/);
  });

  // 600/1000 = 0.60 vs 510/1000 = 0.51: IR 0.85. By hand: p̂ = 0.555, SE = √(0.555·0.445·0.002) = 0.02223,
  // z = 0.09 / 0.02223 = 4.05, p ≈ 5e-5.
  const eightyFive: GroupSpec[] = [
    { name: 'White', n: 1000, selected: 600 },
    { name: 'Black', n: 1000, selected: 510, p: 5e-5 },
  ];

  it('passes IR 0.85 under the default policy and fails it under a stricter 0.9 policy, recording its version', () => {
    expect(eeoc(eightyFive, 'White').status).toBe('pass');
    const strict = resolvePolicy({ version: 7, thresholds: { irMin: 0.9 } });
    const o = eeoc(eightyFive, 'White', strict);
    expect(o.status).toBe('fail');
    expect(o.policyVersion).toBe(7);
    expect(o.evidence[0]?.threshold).toBe(0.9);
    expect(o.rationale).toContain(
      "at 85% of the rate of the most-favoured group (White), below the policy's 90% threshold",
    );
  });

  it('rejects an unknown framework with a DomainError', () => {
    const input = complianceInput(fairnessResult([{ attributes: ['race'], groups: eightyFive }]));
    expect(() => evaluateControls(input, DEFAULT_POLICY, ['eeoc-ugesp', 'gdpr'])).toThrow(DomainError);
    expect(() => evaluateControls(input, DEFAULT_POLICY, ['gdpr'])).toThrow(/gdpr/);
  });
});

describe('COMPAS with "low risk" as the favourable outcome (compas-reference.md)', () => {
  // (n, predicted high risk) from the Aequitas table; favourable = score 0, so favourable rate = 1 − pprev.
  const race: GroupSpec[] = [
    { name: 'African-American', n: 3696, selected: 2174 }, // 1 − .5882 = .4118
    { name: 'Asian', n: 32, selected: 8 }, // .7500
    { name: 'Caucasian', n: 2454, selected: 854 }, // .6520
    { name: 'Hispanic', n: 637, selected: 190 }, // .7017
    { name: 'Native American', n: 18, selected: 12 }, // .3333, n < 30
    { name: 'Other', n: 377, selected: 79 }, // .7905 = the highest favourable rate
  ];
  const sex: GroupSpec[] = [
    { name: 'Female', n: 1395, selected: 591 }, // .5763 (top)
    { name: 'Male', n: 5819, selected: 2726 }, // .5315 → IR .922
  ];
  const run = (favorableOutcome: 'positive' | 'negative') =>
    evaluateControls(
      complianceInput(
        fairnessResult(
          [
            { attributes: ['race'], groups: race },
            { attributes: ['sex'], groups: sex },
          ],
          { favorableOutcome },
        ),
      ),
      DEFAULT_POLICY,
      ['nyc-ll144', 'eeoc-ugesp'],
    );

  it('fails the LL144 and EEOC impact-ratio controls for race: African-American IR = .4118/.7905 = .521', () => {
    const outcomes = run('negative');
    for (const id of ['6 RCNY 5-301(b)', '29 CFR 1607.4(D)']) {
      const o = control(outcomes, id);
      expect(o.status).toBe('fail');
      const aa = o.evidence.find((e) => e.group?.race === 'African-American');
      expect(aa?.value).toBeCloseTo(0.4118 / 0.7905, 3);
      expect(o.rationale).toContain(
        'the group African-American receives the favourable outcome at 52% of the rate',
      );
      expect(o.rationale).toContain('(Other)');
    }
    // Reference = largest group = African-American, so significance is recomputed vs Other:
    // z = (.4118 − .7905)/√(.4468·.5532·(1/3696 + 1/377)) = −14.09, p < 1e-40.
    const eeocAa = control(outcomes, '29 CFR 1607.4(D)').evidence.find(
      (e) => e.group?.race === 'African-American',
    );
    expect(eeocAa?.pValue).toBeLessThan(1e-40);
    // Sex passes on its own: Male .5315/.5763 = .922.
    const male = control(outcomes, '6 RCNY 5-301(b)').evidence.find((e) => e.group?.sex === 'Male');
    expect(male?.value).toBeCloseTo(0.5315 / 0.5763, 3);
    expect(male?.value).toBeGreaterThanOrEqual(0.8);
  });

  it('flips for African-American when "high risk" is (wrongly) taken as favourable: IR .5882/.6667 = .882', () => {
    const o = control(run('positive'), '6 RCNY 5-301(b)');
    const aa = o.evidence.find((e) => e.group?.race === 'African-American');
    // Other (.2095/.6667 = .314) still fails, but African-American is no longer below 0.8.
    expect(o.status).toBe('fail');
    expect(o.rationale).toContain('the group Other');
    expect(aa === undefined || (typeof aa.value === 'number' && aa.value >= 0.8)).toBe(true);
  });
});

describe('6 RCNY 5-301(c): the words name the scoring rate, not the favourable outcome', () => {
  it('says "has a score above the median" for a scoring-rate impact ratio (0.30 / 0.60 = 50%)', () => {
    const result = fairnessResult([
      {
        attributes: ['race'],
        groups: [
          { ...WHITE, scoringRate: 0.6 },
          { name: 'Black', n: 50, selected: 21, scoringRate: 0.3 },
        ],
        reference: 'White',
      },
    ]);
    const o = control(
      evaluateControls(complianceInput(result), DEFAULT_POLICY, ['nyc-ll144']),
      '6 RCNY 5-301(c)',
    );
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe(
      'For race, the group Black has a score above the median at 50% of the rate of the most-favoured group (White), below the 80% four-fifths threshold.',
    );
    // the selection-rate control over the same groups keeps "receives the favourable outcome"
    expect(eeoc([WHITE, { name: 'Black', n: 50, selected: 21, p: 0.0454 }], 'White').rationale).toMatch(
      /^For race, the group Black receives the favourable outcome at 70%/,
    );
  });
});
