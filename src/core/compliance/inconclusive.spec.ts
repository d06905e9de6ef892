/**
 * "inconclusive" controls (metrics.md, "Evidence"; api-contract.md, Second wave → Controls) and the
 * policy's Holm family.
 */
import { DomainError } from '../errors';
import { evaluateControls, evaluateRule } from './engine';
import { DEFAULT_POLICY, resolvePolicy } from './policy';
import type { RuleSpec } from './rule-spec';
import { complianceInput, fairnessResult, type GroupSpec } from '../../../test/support/compliance-fixtures';
import type { ControlOutcome } from './types';

// z_0.975 + z_0.8 = 1.959964 + 0.841621 (normal quantiles to six decimals); k² = 7.848879.
const K2 = (1.959963985 + 0.841621234) ** 2;

function fourFifths(groups: GroupSpec[], reference: string): ControlOutcome {
  const result = fairnessResult([{ attributes: ['race'], groups, reference }]);
  const outcomes = evaluateControls(complianceInput(result), DEFAULT_POLICY, ['eeoc-ugesp']);
  return outcomes.find((o) => o.controlId === '29 CFR 1607.4(D)')!;
}

/**
 * The group size at which the z-test detects a group rate ratio·r against r (size m) with 80% power at
 * α = 0.05 (unpooled variance): n = k²p(1 − p)/((r − p)² − k²r(1 − r)/m), p = ratio·r.
 */
function sizeToDetect(ratio: number, r: number, m: number): number {
  const p = ratio * r;
  return (K2 * p * (1 - p)) / ((r - p) ** 2 - (K2 * r * (1 - r)) / m);
}

describe('the four-fifths control is inconclusive where the audit could not see a ratio of 0.8', () => {
  // Top group White: 500 of 860 selected (0.581395); Black: 20 of 40 (0.5); impact ratio 0.5/0.581395 = 0.86.
  const white: GroupSpec = { name: 'White', n: 860, selected: 500 };

  it('is inconclusive with 40 people at an impact ratio of 0.86, naming the group and how many more people', () => {
    const o = fourFifths([white, { name: 'Black', n: 40, selected: 20, p: 0.3 }], 'White');
    expect(o.status).toBe('inconclusive');
    const r = 500 / 860;
    // Minimum detectable ratio, by hand: (r − p)² = k²(p(1 − p)/40 + r(1 − r)/860) ⇔
    // 1.196222p² − 1.359013p + 0.335799 = 0 ⇒ p = (1.359013 − √0.240146)/2.392444 = 0.363211 ⇒ 0.363211/r = 0.62472.
    expect(o.evidence[0]?.minDetectableRatio).toBeCloseTo(0.62472, 4);
    // Group size for a ratio of 0.8: 7.848879·0.465116·0.534884/(0.116279² − 7.848879·0.243375/860) = 172.8 → 173,
    // so 173 − 40 = 133 more people.
    const needed = Math.ceil(sizeToDetect(0.8, r, 860));
    expect(needed).toBe(173);
    expect(o.evidence[0]).toMatchObject({
      metric: 'impact_ratio',
      group: { race: 'Black' },
      count: 40,
      additionalPeopleNeeded: needed - 40,
    });
    expect(o.evidence[0]?.value).toBeCloseTo(0.86, 10);
    expect(o.rationale).toBe(
      'For race, the group Black receives the favourable outcome at 86% of the rate of the most-favoured group (White), ' +
        'at or above the 80% four-fifths threshold, but the audit could only reliably detect impact ratios below 62% ' +
        'for it (80% power), so the data cannot show that it meets the threshold; about 133 more people in Black ' +
        'would make the result conclusive.',
    );
  });

  it('passes the same rates with 4,000 people', () => {
    const o = fourFifths([white, { name: 'Black', n: 4000, selected: 2000, p: 0.001 }], 'White');
    expect(o.status).toBe('pass');
    // 4,000 is more than the 173 needed: the minimum detectable ratio is above 0.8 (by hand 0.9109: p = r − 0.0518).
    expect(o.evidence[0]?.minDetectableRatio).toBeGreaterThan(0.8);
    expect(o.evidence[0]).not.toHaveProperty('additionalPeopleNeeded');
  });

  it('passes at exactly the group size the closed form asks for, and not one person fewer', () => {
    const r = 500 / 860;
    const needed = Math.ceil(sizeToDetect(0.8, r, 860)); // 173
    const at = (n: number): ControlOutcome =>
      fourFifths([white, { name: 'Black', n, selected: n * 0.86 * r, p: 0.3 }], 'White');
    expect(at(needed).status).toBe('pass');
    expect(at(needed - 1).status).toBe('inconclusive');
    expect(at(needed - 1).evidence[0]?.additionalPeopleNeeded).toBe(1);
  });

  it('says that no group size settles it when the most-favoured group is too small itself', () => {
    // White 50 of 86: (0.116279)² = 0.013521 < k²·0.243375/86 = 0.022212, so no size of Black is enough.
    const o = fourFifths(
      [
        { name: 'White', n: 86, selected: 50 },
        { name: 'Black', n: 40, selected: 20 },
      ],
      'White',
    );
    expect(o.status).toBe('inconclusive');
    expect(o.evidence[0]?.additionalPeopleNeeded).toBeNull();
    expect(o.rationale).toContain(
      'no number of people in Black alone would settle it, because the most-favoured group (White) is too small as well',
    );
  });

  it('lets a failing group decide over an inconclusive one, and an inconclusive one over a passing one', () => {
    const failing = fourFifths(
      [
        { name: 'White', n: 8000, selected: 4800 },
        { name: 'Black', n: 40, selected: 21, p: 0.3 },
        { name: 'Asian', n: 3000, selected: 1200, p: 0.0001 },
      ],
      'White',
    );
    expect(failing.status).toBe('fail');
    expect(failing.evidence.map((e) => e.group?.race)).toEqual(['Asian', 'Black', 'White']);
    const mixed = fourFifths(
      [
        { name: 'White', n: 8000, selected: 4800 },
        { name: 'Black', n: 40, selected: 21, p: 0.3 },
        { name: 'Asian', n: 3000, selected: 1750, p: 0.2 },
      ],
      'White',
    );
    expect(mixed.status).toBe('inconclusive');
    expect(mixed.rationale).toContain('the group Black');
  });

  it('keeps the small-numbers review of R-FAIR for a group under nMin (review outranks inconclusive)', () => {
    const result = fairnessResult([
      { attributes: ['race'], groups: [white, { name: 'Black', n: 25, selected: 12 }], reference: 'White' },
    ]);
    const o = evaluateControls(complianceInput(result), DEFAULT_POLICY, ['nist-ai-rmf']).find(
      (c) => c.controlId === 'MEASURE 2.11',
    )!;
    expect(o.status).toBe('review');
    expect(o.rationale).toContain('fewer than the 30 needed');
  });
});

describe("the policy's Holm family", () => {
  // Black against White: selection rate p = 0.5, FNR gap 0.15 (> 2·gapMax) with p = 0.02, FPR gap 0.01 with p = 0.3.
  function result() {
    const r = fairnessResult([
      {
        attributes: ['race'],
        groups: [
          { name: 'White', n: 400, selected: 200, fnr: 0.1, fpr: 0.1 },
          { name: 'Black', n: 400, selected: 190, p: 0.5, fnr: 0.25, fpr: 0.11, gapP: 0.02 },
        ],
        reference: 'White',
      },
    ]);
    const black = r.slices[0]!.groups[1]!;
    black.disparities.false_negative_rate!.pValue = 0.02;
    black.disparities.false_positive_rate!.pValue = 0.3;
    black.disparities.false_positive_rate!.pValueAdjusted = 0.3;
    return r;
  }
  const spec: RuleSpec = { kind: 'error_rate_gap', metrics: ['false_negative_rate', 'false_positive_rate'] };

  it('judges the stored per-metric p-values by default: FNR p = 0.02 < 0.05 fails', () => {
    const v = evaluateRule(spec, complianceInput(result()), DEFAULT_POLICY);
    expect(v.status).toBe('fail');
    expect(v.evidence[0]?.pValue).toBe(0.02);
  });

  it('adjusts over the whole slice with multipleTesting "slice": Holm of (0.02, 0.3, 0.5) gives 0.06, a review', () => {
    // Holm by hand over the slice's three tests: 3·0.02 = 0.06, max(0.06, 2·0.3) = 0.6, max(0.6, 1·0.5) = 0.6.
    const policy = resolvePolicy({ multipleTesting: 'slice' });
    const v = evaluateRule(spec, complianceInput(result()), policy);
    expect(v.status).toBe('review');
    expect(v.evidence[0]?.pValue).toBeCloseTo(0.06, 12);
    expect(v.evidence.find((e) => e.metric === 'false_positive_rate.difference')?.pValue).toBeCloseTo(
      0.6,
      12,
    );
  });

  it('defaults to "metric" and rejects any other family naming the field', () => {
    expect(DEFAULT_POLICY.multipleTesting).toBe('metric');
    expect(resolvePolicy({}).multipleTesting).toBe('metric');
    let error: unknown;
    try {
      resolvePolicy({ multipleTesting: 'audit' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      errors: [{ field: 'multipleTesting', message: 'must be "metric" or "slice"' }],
    });
  });
});
