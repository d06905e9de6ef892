import type { FairnessResult, GroupResult, MetricValue } from '../fairness/types';
import { evidenceSummary, notEnoughData, smallerGroupSizes } from './evidence';
import { fairnessChecks } from './fairness-checks';
import { DEFAULT_DRIFT_THRESHOLDS } from './types';
import type { DriftCheck } from './types';

const rate = (numerator: number, denominator: number): MetricValue => ({
  value: denominator === 0 ? null : numerator / denominator,
  numerator,
  denominator,
});

function group(
  level: string,
  count: number,
  selected: number,
  tp: number,
  pos: number,
  fp: number,
): GroupResult {
  return {
    key: { gender: level },
    count,
    share: 0,
    metrics: {
      selection_rate: rate(selected, count),
      true_positive_rate: rate(tp, pos),
      false_positive_rate: rate(fp, count - pos),
    },
    disparities: {},
    flags: [],
  };
}

function result(groups: GroupResult[]): FairnessResult {
  return {
    overall: { count: groups.reduce((s, g) => s + g.count, 0), metrics: {} },
    slices: [
      {
        attributes: ['gender'],
        reference: { gender: 'Female' },
        groups,
        // the stored summary over ALL groups, as core/fairness computes it (the tiny group at 0 drives it)
        summary: {
          demographic_parity_difference: 0.2,
          demographic_parity_ratio: 0,
          impact_ratio: 0,
          equalized_odds_difference: 0.5,
          equalized_odds_ratio: 0,
          equal_opportunity_difference: 0.5,
          equal_opportunity_ratio: 0,
        },
      },
    ],
    labelFree: false,
    conventions: {
      referenceStrategy: 'largest',
      favorableOutcome: 'positive',
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize: 30,
      missingAttribute: 'group',
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'katz', auc: 'delong-logit' },
      tests: { proportions: 'two-proportion-z|fisher-exact', adjustment: 'holm' },
    },
  };
}

// Female 200/1000 selected, TPR 50/100, FPR 150/900; Male 190/1000, TPR 45/100, FPR 145/900.
const female = group('Female', 1000, 200, 50, 100, 150);
const male = group('Male', 1000, 190, 45, 100, 145);
// Two people, nobody selected: rates 0 drive every stored ratio to 0.
const tiny = group('Unknown/Invalid', 2, 0, 0, 1, 0);

describe('evidence before alarms', () => {
  it('computes slice summaries over the groups with at least minGroupSize people', () => {
    const { summary, leftOut } = evidenceSummary(result([female, male, tiny]).slices[0]!, 30, 'positive');
    expect(leftOut).toEqual([{ gender: 'Unknown/Invalid' }]);
    expect(summary.demographic_parity_ratio).toBeCloseTo(190 / 200, 15);
    expect(summary.demographic_parity_difference).toBeCloseTo(0.01, 15);
    expect(summary.impact_ratio).toBeCloseTo(0.95, 15);
    // TPR 0.45/0.5 = 0.9; FPR (145/900)/(150/900) = 0.9667 → equalized odds ratio min = 0.9
    expect(summary.equal_opportunity_ratio).toBeCloseTo(0.9, 15);
    expect(summary.equalized_odds_ratio).toBeCloseTo(0.9, 15);
    expect(summary.equalized_odds_difference).toBeCloseTo(0.05, 15);
    // with the tiny group counted (minGroupSize 1) the ratio is driven to 0, as stored
    expect(
      evidenceSummary(result([female, male, tiny]).slices[0]!, 1, 'positive').summary
        .demographic_parity_ratio,
    ).toBe(0);
  });

  it('a 2-person group appearing raises no band crossing; a real drop in a large group still does', () => {
    const before = result([female, male]);
    const after = result([female, male, tiny]);
    const checks = fairnessChecks(before, after, DEFAULT_DRIFT_THRESHOLDS);
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    const dp = checks.find((c) => c.metric === 'demographic_parity_ratio')!;
    expect([dp.baseline, dp.current]).toEqual([0.95, 0.95]);
    expect(dp.message).toContain('Groups under 30 people left out: Unknown/Invalid.');

    // Male selection 190 → 120 of 1000: 120/200 = 0.6 leaves the band
    const dropped = result([female, group('Male', 1000, 120, 45, 100, 145), tiny]);
    const alert = fairnessChecks(before, dropped, DEFAULT_DRIFT_THRESHOLDS).find(
      (c) => c.metric === 'demographic_parity_ratio',
    )!;
    expect(alert.status).toBe('alert');
    expect(alert.current).toBeCloseTo(0.6, 15);
  });

  it('reports a per-group change of a small group as not enough data, and leaves large groups alone', () => {
    const sizes = smallerGroupSizes(result([female, male]), result([female, male, tiny]));
    expect(sizes.get(JSON.stringify([['gender', 'Unknown/Invalid']]))).toBe(0);
    const check = (level: string): DriftCheck => ({
      kind: 'performance',
      attributes: ['gender'],
      key: { gender: level },
      metric: 'selection_rate',
      statistic: 'z_test',
      value: -5,
      status: 'alert',
      message: 'fell',
    });
    const small = notEnoughData(check('Unknown/Invalid'), sizes, 30);
    expect(small.status).toBe('ok');
    expect(small.message).toMatch(
      /^Not enough data: group Unknown\/Invalid in gender has fewer than 30 people/,
    );
    expect(notEnoughData(check('Male'), sizes, 30)).toEqual(check('Male'));
    // a population share check is about the whole sample's mix: kept
    const share = { ...check('Unknown/Invalid'), kind: 'population' as const };
    expect(notEnoughData(share, sizes, 30)).toEqual(share);
  });
});
