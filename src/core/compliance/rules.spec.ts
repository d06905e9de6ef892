import type { DriftCheck } from '../drift/types';
import { evaluateControls } from './engine';
import { DEFAULT_POLICY, resolvePolicy, type CompliancePolicy } from './policy';
import type { ComplianceInput } from './rule-spec';
import {
  complianceInput,
  fairnessResult,
  FULL_DOCUMENTATION,
  NOW,
  type GroupSpec,
  type SliceSpec,
} from '../../../test/support/compliance-fixtures';
import type { ControlOutcome, FrameworkId } from './types';

function outcome(
  input: ComplianceInput,
  framework: FrameworkId,
  id: string,
  policy: CompliancePolicy = DEFAULT_POLICY,
): ControlOutcome {
  const found = evaluateControls(input, policy, [framework]).find((o) => o.controlId === id);
  if (!found) throw new Error(`no outcome for ${id}`);
  return found;
}

// A fair two-group audit: selection .50 vs .48 (IR .96), FNR .20 vs .22, FPR .10 vs .12 (gaps 2 points),
// AUC .80/.78, all groups ≥ 300.
const fairRace: GroupSpec[] = [
  { name: 'White', n: 600, selected: 300, fnr: 0.2, fpr: 0.1, auc: 0.8, aucCi: [0.76, 0.84] },
  {
    name: 'Black',
    n: 400,
    selected: 192,
    p: 0.6,
    fnr: 0.22,
    fpr: 0.12,
    gapP: 0.5,
    auc: 0.78,
    aucCi: [0.73, 0.83],
  },
];
const fairSex: GroupSpec[] = [
  { name: 'Female', n: 500, selected: 250, fnr: 0.21, fpr: 0.11, auc: 0.79, aucCi: [0.75, 0.83] },
  {
    name: 'Male',
    n: 500,
    selected: 242,
    p: 0.6,
    fnr: 0.21,
    fpr: 0.11,
    gapP: 0.9,
    auc: 0.79,
    aucCi: [0.75, 0.83],
  },
];
const fairAge: GroupSpec[] = [
  { name: '18-44', n: 500, selected: 250, fnr: 0.21, fpr: 0.11, auc: 0.79 },
  { name: '45+', n: 500, selected: 246, p: 0.8, fnr: 0.2, fpr: 0.1, gapP: 0.9, auc: 0.79 },
];
const slices = (race: GroupSpec[] = fairRace): SliceSpec[] => [
  { attributes: ['race'], groups: race },
  { attributes: ['sex'], groups: fairSex },
  { attributes: ['age_band'], groups: fairAge },
];
const fair = (race?: GroupSpec[], labelFree = false) =>
  complianceInput(fairnessResult(slices(race), { labelFree }));

describe('fairness (R-FAIR): MEASURE 2.11', () => {
  it('passes when every impact ratio ≥ 0.8 and every gap ≤ 5 points', () => {
    const o = outcome(fair(), 'nist-ai-rmf', 'MEASURE 2.11');
    expect(o.status).toBe('pass');
    expect(o.evidence.length).toBeGreaterThan(0);
    expect(o.evidence.length).toBeLessThanOrEqual(10);
  });

  it('fails a significant FNR gap above 2·GAP_MAX (0.35 − 0.20 = 15 points > 10)', () => {
    const race: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, fnr: 0.35, gapP: 0.001 }];
    const o = outcome(fair(race), 'nist-ai-rmf', 'MEASURE 2.11');
    expect(o.status).toBe('fail');
    expect(o.evidence[0]).toMatchObject({
      metric: 'false_negative_rate.difference',
      group: { race: 'Black' },
      threshold: 0.05,
    });
    expect(o.evidence[0]?.value).toBeCloseTo(0.15, 10);
    expect(o.rationale).toBe(
      'For race, the false negative rate of the group Black differs from the reference group (White) by 15 percentage points, ' +
        'more than the 10-percentage-point limit, and the difference is statistically significant.',
    );
  });

  it('reviews a gap between GAP_MAX and 2·GAP_MAX (0.27 − 0.20 = 7 points)', () => {
    const race: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, fnr: 0.27, gapP: 0.001 }];
    expect(outcome(fair(race), 'nist-ai-rmf', 'MEASURE 2.11').status).toBe('review');
  });

  it('reviews when any group is under N_MIN even though its numbers look fine', () => {
    const race: GroupSpec[] = [...fairRace, { name: 'Asian', n: 25, selected: 12, fnr: 0.2, fpr: 0.1 }];
    const o = outcome(fair(race), 'nist-ai-rmf', 'MEASURE 2.11');
    expect(o.status).toBe('review');
    expect(o.rationale).toContain('the group Asian has only 25 people, fewer than the 30 needed');
  });

  it('reviews a label-free audit, saying labels were not supplied, unless an impact ratio already fails', () => {
    const o = outcome(fair(undefined, true), 'nist-ai-rmf', 'MEASURE 2.11');
    expect(o.status).toBe('review');
    expect(o.rationale).toMatch(/^Labels were not supplied/);
    const unfair: GroupSpec[] = [fairRace[0]!, { name: 'Black', n: 400, selected: 100, p: 1e-9 }]; // .25/.50 = .5
    expect(outcome(fair(unfair, true), 'nist-ai-rmf', 'MEASURE 2.11').status).toBe('fail');
  });

  it('covers intersections (keys joined in the rationale)', () => {
    const input = complianceInput(
      fairnessResult([
        ...slices(),
        {
          attributes: ['race', 'sex'],
          groups: [
            { name: 'White|Male', n: 300, selected: 150 },
            { name: 'Black|Female', n: 200, selected: 60, p: 1e-6 }, // .30/.50 = .6
          ],
        },
      ]),
    );
    const o = outcome(input, 'iso-42001', 'A.5.4');
    expect(o.status).toBe('fail');
    expect(o.rationale).toMatch(
      /^For race and sex, the group Black, Female receives the favourable outcome at 60%/,
    );
  });
});

describe('error_rate_gap and performance: Art. 15, MEASURE 2.3', () => {
  it('passes Art. 15 with AUC ≥ 0.6 everywhere and small gaps, reviews it without labels', () => {
    expect(outcome(fair(), 'eu-ai-act', 'Art. 15').status).toBe('pass');
    const o = outcome(fair(undefined, true), 'eu-ai-act', 'Art. 15');
    expect(o.status).toBe('review');
    expect(o.rationale).toContain('Labels were not supplied');
  });

  it('fails Art. 15 on a significant FPR gap of 12 points', () => {
    const race: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, fpr: 0.22, gapP: 0.01 }];
    const o = outcome(fair(race), 'eu-ai-act', 'Art. 15');
    expect(o.status).toBe('fail');
    expect(o.rationale).toContain('false positive rate of the group Black');
  });

  it('fails MEASURE 2.3 on a large group clearly below the AUC minimum, reviews an uncertain one', () => {
    const clear: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, auc: 0.52, aucCi: [0.46, 0.58] }];
    const o = outcome(fair(clear), 'nist-ai-rmf', 'MEASURE 2.3');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe(
      "For race, the model's AUC in the group Black is 0.52, below the 0.6 the policy requires.",
    );
    const unsure: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, auc: 0.55, aucCi: [0.45, 0.65] }];
    expect(outcome(fair(unsure), 'nist-ai-rmf', 'MEASURE 2.3').status).toBe('review');
  });

  it('fails MEASURE 2.3 when the overall AUC is below the policy minimum', () => {
    const input = complianceInput(fairnessResult(slices(), { overallAuc: 0.55 }));
    const o = outcome(input, 'nist-ai-rmf', 'MEASURE 2.3');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe("The model's AUC is 0.55 overall, below the 0.6 the policy requires.");
  });
});

describe('drift: MEASURE 2.4', () => {
  const check = (c: Partial<DriftCheck>): DriftCheck => ({
    kind: 'score',
    statistic: 'psi',
    value: 0.05,
    status: 'ok',
    message: 'Scores shifted.',
    ...c,
  });
  const withDrift = (checks: DriftCheck[], status: 'ok' | 'warning' | 'alert' = 'ok') =>
    complianceInput(fairnessResult(slices()), { drift: { status, checks } });

  it('reviews a first audit: no earlier audit to compare with', () => {
    const o = outcome(
      complianceInput(fairnessResult(slices()), { drift: null }),
      'nist-ai-rmf',
      'MEASURE 2.4',
    );
    expect(o.status).toBe('review');
    expect(o.rationale).toBe('There is no earlier audit to compare with, so drift cannot be checked yet.');
  });

  it('fails on a drift alert (fairness band crossing)', () => {
    const alert = check({
      kind: 'fairness',
      statistic: 'band_crossing',
      metric: 'impact_ratio',
      attributes: ['race'],
      value: 0.74,
      status: 'alert',
      message: 'The impact ratio for race fell from 0.86 to 0.74, out of the fairness band.',
    });
    const o = outcome(withDrift([check({}), alert], 'alert'), 'nist-ai-rmf', 'MEASURE 2.4');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe('The impact ratio for race fell from 0.86 to 0.74, out of the fairness band.');
    expect(o.evidence[0]).toMatchObject({ metric: 'drift.fairness.band_crossing.impact_ratio', value: 0.74 });
  });

  it('bands PSI by the policy: 0.15 is review by default, pass under psiReview 0.2; 0.30 fails', () => {
    const mid = withDrift([check({ value: 0.15, status: 'warning' })], 'warning');
    expect(outcome(mid, 'nist-ai-rmf', 'MEASURE 2.4').status).toBe('review');
    const lenient = resolvePolicy({ thresholds: { psiReview: 0.2 } });
    expect(outcome(mid, 'nist-ai-rmf', 'MEASURE 2.4', lenient).status).toBe('pass');
    const high = outcome(withDrift([check({ value: 0.3, status: 'alert' })]), 'nist-ai-rmf', 'MEASURE 2.4');
    expect(high.status).toBe('fail');
    expect(high.rationale).toBe(
      'The score distribution has shifted since the earlier audit (PSI 0.30, at or above the 0.25 limit).',
    );
  });

  it('fails a significant per-group rate change of more than 2·GAP_MAX (0.70 → 0.58)', () => {
    const perf = check({
      kind: 'performance',
      statistic: 'z_test',
      metric: 'true_positive_rate',
      attributes: ['race'],
      key: { race: 'Black' },
      value: -3.1,
      baseline: 0.7,
      current: 0.58,
      pValueAdjusted: 0.002,
      status: 'alert',
    });
    const failed = outcome(withDrift([perf]), 'nist-ai-rmf', 'MEASURE 2.4');
    expect(failed.status).toBe('fail');
    expect(failed.rationale).toBe(
      'The true positive rate for the group Black moved from 70% to 58% since the earlier audit, a change of 12 percentage points, more than the 10-percentage-point limit, and the change is statistically significant.',
    );
    expect(outcome(withDrift([{ ...perf, current: 0.66 }]), 'nist-ai-rmf', 'MEASURE 2.4').status).toBe(
      'pass',
    );
    const share = check({
      kind: 'population',
      statistic: 'z_test',
      attributes: ['race'],
      key: { race: 'Black' },
      value: 2.2,
      baseline: 0.2345,
      current: 0.3012,
      pValueAdjusted: 0.03,
      status: 'warning',
    });
    const review = outcome(withDrift([share], 'warning'), 'nist-ai-rmf', 'MEASURE 2.4');
    expect(review.status).toBe('review');
    expect(review.rationale).toBe(
      'The share of the data for the group Black moved from 23% to 30% since the earlier audit, a change of 6.7 percentage points, more than the 5-percentage-point limit.',
    );
  });
});

describe('documentation', () => {
  it('fails MEASURE 2.5 naming the missing field', () => {
    const input = { ...fair(), documentation: { ...FULL_DOCUMENTATION, knownLimitations: '  ' } };
    const o = outcome(input, 'nist-ai-rmf', 'MEASURE 2.5');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe(
      'The required documentation field knownLimitations (known limits of validity and of generalisation to other groups or settings) is missing.',
    );
    expect(o.evidence).toContainEqual({ metric: 'documentation.knownLimitations', value: 'missing' });
  });

  it('fails 45 CFR 92.210(b) when the protected-input inventory was reviewed more than 365 days ago', () => {
    expect(outcome(fair(), 'hhs-1557', '45 CFR 92.210(b)').status).toBe('pass');
    const stale = {
      ...fair(),
      documentation: { ...FULL_DOCUMENTATION, protectedInputsReviewedAt: '2025-10-01' },
    };
    expect(outcome(stale, 'hhs-1557', '45 CFR 92.210(b)').status).toBe('fail');
  });

  it('passes the ONC fairness-approach source attribute (B)(5) when both fields are written', () => {
    expect(outcome(fair(), 'onc-hti-1', '45 CFR 170.315(b)(11)(iv)(B)(5)').status).toBe('pass');
  });
});

describe('privacy: small_cells and de-identification', () => {
  it('passes the CMS rule when reports suppress counts 1–10 and fails when suppression is off', () => {
    expect(outcome(fair(), 'hipaa', 'CMS cell size suppression policy').status).toBe('pass');
    const off = resolvePolicy({ suppressSmallCells: false });
    const o = outcome(fair(), 'hipaa', 'CMS cell size suppression policy', off);
    expect(o.status).toBe('fail');
    expect(o.rationale).toContain('CMS cell-size rule');
  });

  it('needs both suppression and a recorded method for MEASURE 2.10 (an "all" rule)', () => {
    expect(outcome(fair(), 'nist-ai-rmf', 'MEASURE 2.10').status).toBe('pass');
    const noMethod = { ...fair(), documentation: { ...FULL_DOCUMENTATION, deidentificationMethod: null } };
    const o = outcome(noMethod, 'nist-ai-rmf', 'MEASURE 2.10');
    expect(o.status).toBe('fail');
    expect(o.rationale).toContain('deidentificationMethod');
  });
});

describe('record keeping and thresholds fixed in advance: Art. 12, MEASURE 2.1, Art. 9(8)', () => {
  it('passes Art. 12 with hash, size, time and policy version; fails a malformed hash', () => {
    expect(outcome(fair(), 'eu-ai-act', 'Art. 12').status).toBe('pass');
    const input = fair();
    const o = outcome({ ...input, audit: { ...input.audit, dataSha256: 'abc' } }, 'eu-ai-act', 'Art. 12');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe("The run record lacks the input data's SHA-256 hash.");
  });

  it('fails MEASURE 2.1 without the data period', () => {
    const input = fair();
    const o = outcome({ ...input, audit: { ...input.audit, periodEnd: null } }, 'nist-ai-rmf', 'MEASURE 2.1');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe('The run record lacks the period the data cover.');
  });

  it('passes Art. 9(8) when the policy was adopted before the audit, fails when after or undated', () => {
    expect(outcome(fair(), 'eu-ai-act', 'Art. 9(8)').status).toBe('pass');
    const late = resolvePolicy({ version: 2, adoptedAt: '2026-11-25T00:00:00Z' });
    expect(outcome(fair(), 'eu-ai-act', 'Art. 9(8)', late).rationale).toBe(
      'The thresholds of policy version 2 were set after the audit ran, not fixed in advance.',
    );
    const undated = resolvePolicy({ thresholds: { irMin: 0.9 } });
    expect(outcome(fair(), 'eu-ai-act', 'Art. 9(8)', undated).status).toBe('fail');
  });
});

describe('representation: MAP 2.3, Art. 10(3)', () => {
  it('reviews when no reference population is documented', () => {
    const o = outcome(fair(), 'nist-ai-rmf', 'MAP 2.3');
    expect(o.status).toBe('review');
    expect(o.rationale).toContain('No reference population is documented for race');
  });

  it('passes shares within 0.8 of the reference and reviews an under-represented group', () => {
    // Data: White .60, Black .40; Female .5, Male .5; each age band .5.
    const reference = {
      race: { White: 0.6, Black: 0.4 },
      sex: { Female: 0.5, Male: 0.5 },
      age_band: { '18-44': 0.55, '45+': 0.45 },
    };
    expect(outcome({ ...fair(), referencePopulation: reference }, 'nist-ai-rmf', 'MAP 2.3').status).toBe(
      'pass',
    );
    // Hispanic: 0 in the data vs 18% of the population → ratio 0 < 0.8.
    const withHispanic = { ...reference, race: { White: 0.5, Black: 0.32, Hispanic: 0.18 } };
    const o = outcome({ ...fair(), referencePopulation: withHispanic }, 'eu-ai-act', 'Art. 10(3)');
    expect(o.status).toBe('review');
    expect(o.rationale).toBe(
      'For race, the group Hispanic makes up 0% of the data but 18% of the population served, so it is under-represented and a person should review it.',
    );
  });

  it('reviews when more than 5% of an attribute is missing (50 of 600 = 8.3% Unknown)', () => {
    const race: GroupSpec[] = [
      { name: 'White', n: 350, selected: 175 },
      { name: 'Black', n: 200, selected: 96 },
      { name: 'Unknown', n: 50, selected: 25 },
    ];
    const reference = {
      race: { White: 0.55, Black: 0.35 },
      sex: { Female: 0.5, Male: 0.5 },
      age_band: { '18-44': 0.5, '45+': 0.5 },
    };
    const input = {
      ...complianceInput(fairnessResult([{ attributes: ['race'], groups: race }, ...slices().slice(1)])),
      referencePopulation: reference,
    };
    const o = outcome(input, 'iso-42001', 'A.7.4');
    expect(o.status).toBe('review');
    expect(o.rationale).toMatch(/^For race, 8% of rows have no value, more than the 5% allowed/);
  });
});

describe('attributes_present: ONC (B)(7), 29 CFR 1607.4(B)', () => {
  it('matches aliases: race_ethnicity covers race and ethnicity, gender covers sex, age_band covers age', () => {
    const input = complianceInput(
      fairnessResult([
        { attributes: ['race_ethnicity'], groups: fairRace },
        { attributes: ['gender'], groups: fairSex },
        { attributes: ['age_band'], groups: fairAge },
      ]),
    );
    expect(outcome(input, 'onc-hti-1', '45 CFR 170.315(b)(11)(iv)(B)(7)').status).toBe('pass');
  });

  it('reviews when some attributes are missing and fails when none is audited', () => {
    const o = outcome(fair(), 'eeoc-ugesp', '29 CFR 1607.4(B)');
    expect(o.status).toBe('review');
    expect(o.rationale).toBe(
      'The audit did not cover ethnicity, so a person should confirm why it was left out.',
    );
    const zipOnly = complianceInput(fairnessResult([{ attributes: ['zip3'], groups: fairSex }]));
    expect(outcome(zipOnly, 'eeoc-ugesp', '29 CFR 1607.4(B)').status).toBe('fail');
  });
});

describe('monitoring and audit age: MANAGE 4.1, Art. 72, 6 RCNY 5-301(a)', () => {
  it('passes MANAGE 4.1 when the latest audit (11 days old) is within a quarterly cadence', () => {
    expect(outcome(fair(), 'nist-ai-rmf', 'MANAGE 4.1').status).toBe('pass');
    const o = outcome(fair(), 'iso-42001', 'A.6.2.6');
    expect(o.status).toBe('pass');
    expect(o.rationale).toBe(
      'A monitoring plan is documented and the latest audit is within its "quarterly" cadence.',
    );
    const noOwner = { ...fair(), documentation: { ...FULL_DOCUMENTATION, owner: '' } };
    const failed = outcome(noOwner, 'nist-ai-rmf', 'MANAGE 4.1');
    expect(failed.status).toBe('fail');
    expect(failed.rationale).toContain('owner');
  });

  it('fails MANAGE 4.1 when overdue or the plan is missing, reviews an unreadable cadence', () => {
    expect(outcome({ ...fair(), now: '2027-06-01T00:00:00Z' }, 'nist-ai-rmf', 'MANAGE 4.1').status).toBe(
      'fail',
    );
    const noPlan = { ...fair(), documentation: { ...FULL_DOCUMENTATION, monitoringPlan: undefined } };
    expect(outcome(noPlan, 'nist-ai-rmf', 'MANAGE 4.1').rationale).toBe(
      'The monitoring plan is incomplete: monitoringPlan is not documented.',
    );
    const noPlanNorCadence = {
      ...fair(),
      documentation: { ...FULL_DOCUMENTATION, monitoringPlan: undefined, monitoringCadence: ' ' },
    };
    expect(outcome(noPlanNorCadence, 'nist-ai-rmf', 'MANAGE 4.1').rationale).toBe(
      'The monitoring plan is incomplete: monitoringPlan and monitoringCadence are not documented.',
    );
    const vague = { ...fair(), documentation: { ...FULL_DOCUMENTATION, monitoringCadence: 'when needed' } };
    expect(outcome(vague, 'iso-42001', 'A.6.2.6').status).toBe('review');
  });

  it('reviews Art. 72 on a first audit (no drift yet) even with a plan on schedule', () => {
    expect(outcome({ ...fair(), drift: null }, 'eu-ai-act', 'Art. 72').status).toBe('review');
    expect(outcome(fair(), 'eu-ai-act', 'Art. 72').status).toBe('pass');
  });

  it('fails 6 RCNY 5-301(a) once the audit is more than 365 days old', () => {
    expect(outcome(fair(), 'nyc-ll144', '6 RCNY 5-301(a)').status).toBe('pass');
    const o = outcome({ ...fair(), now: '2027-11-21T10:00:00Z' }, 'nyc-ll144', '6 RCNY 5-301(a)');
    expect(o.status).toBe('fail');
    expect(o.rationale).toBe('The audit is 366 days old, more than the 365 days allowed.');
  });
});

describe('mitigated: Art. 10(2)(g)', () => {
  const biased: GroupSpec[] = [fairRace[0]!, { ...fairRace[1]!, selected: 120, p: 1e-12 }]; // .30/.50 = .6
  it('passes with no disparity, and with a disparity that has a recorded mitigation', () => {
    expect(outcome(fair(), 'eu-ai-act', 'Art. 10(2)(g)').status).toBe('pass');
    expect(outcome(fair(biased), 'eu-ai-act', 'Art. 10(2)(g)').status).toBe('pass');
  });

  it('reviews a disparity without a mitigation', () => {
    const input = { ...fair(biased), documentation: { ...FULL_DOCUMENTATION, mitigations: null } };
    const o = outcome(input, 'eu-ai-act', 'Art. 10(2)(g)');
    expect(o.status).toBe('review');
    expect(o.rationale).toMatch(/^A possible disparity was found but no mitigation measure is recorded/);
  });
});

describe('impact_ratio on scoring rates: 6 RCNY 5-301(c)', () => {
  it('is not applicable without scores', () => {
    expect(outcome(fair(), 'nyc-ll144', '6 RCNY 5-301(c)').status).toBe('not_applicable');
  });

  it('fails a scoring-rate impact ratio of .30/.55 = .545', () => {
    const race: GroupSpec[] = [
      { name: 'White', n: 600, selected: 300, scoringRate: 0.55 },
      { name: 'Black', n: 400, selected: 192, scoringRate: 0.3 },
    ];
    const o = outcome(
      complianceInput(fairnessResult([{ attributes: ['race'], groups: race }])),
      'nyc-ll144',
      '6 RCNY 5-301(c)',
    );
    expect(o.status).toBe('fail');
    expect(o.evidence[0]).toMatchObject({ metric: 'scoring_impact_ratio', group: { race: 'Black' } });
    expect(o.evidence[0]?.value).toBeCloseTo(0.3 / 0.55, 10);
  });

  it('leaves categories under 2% out of impact ratios when the policy says so (6 RCNY 5-301(d))', () => {
    // Native American: 15 of 1015 = 1.5% of the data, favourable rate .2 → IR .4 would fail.
    const race: GroupSpec[] = [...fairRace, { name: 'Native American', n: 15, selected: 3 }];
    const input = complianceInput(fairnessResult([{ attributes: ['race'], groups: race }]));
    expect(outcome(input, 'nyc-ll144', '6 RCNY 5-301(b)').status).not.toBe('pass');
    const excluding = resolvePolicy({ excludeSmallCategoriesFromImpactRatio: true });
    const o = outcome(input, 'nyc-ll144', '6 RCNY 5-301(b)', excluding);
    expect(o.evidence.find((e) => e.group?.race === 'Native American')).toBeUndefined();
    expect(o.evidence.find((e) => e.group?.race === 'Black')?.value).toBeCloseTo(0.48 / 0.5, 10);
  });
});

describe('evaluateControls over the whole catalog', () => {
  it('returns one outcome per control with a one-sentence rationale, capped evidence and the versions', () => {
    const outcomes = evaluateControls(fair(), DEFAULT_POLICY);
    expect(outcomes.length).toBeGreaterThan(30);
    for (const o of outcomes) {
      expect(o.rationale).toMatch(/^[A-Z].*\.$/);
      expect(o.rationale.split(/\.\s+[A-Z]/).length).toBe(1);
      expect(o.evidence.length).toBeLessThanOrEqual(10);
      expect(o.policyVersion).toBe(0);
      expect(o.catalogVersion).toBe('2026.12.1');
    }
    expect(NOW).toBe('2026-12-01T00:00:00.000Z');
  });

  it('evaluates only the policy frameworks unless frameworks are given', () => {
    const policy = resolvePolicy({ frameworks: ['hipaa'] });
    expect(new Set(evaluateControls(fair(), policy).map((o) => o.framework))).toEqual(new Set(['hipaa']));
    expect(new Set(evaluateControls(fair(), policy, ['iso-42001']).map((o) => o.framework))).toEqual(
      new Set(['iso-42001']),
    );
  });
});
