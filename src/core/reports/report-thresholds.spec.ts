import type { CalibrationReport } from '../score-quality';
import { reportThresholds, thresholdGrid, type ThresholdPageInput } from './report-thresholds';
import { SuppressionIndex } from './suppression-index';
import { buildReportViewModel } from './view-model';
import { TINY_GROUP, sampleFairnessResult, sampleReportInput } from '../../../test/support/report-fixture';

/** Race groups of the fixture: positives and negatives (from its race × sex confusion cells). */
const GROUPS: { race: string; positives: number; negatives: number }[] = [
  { race: 'White', positives: 850, negatives: 1550 },
  { race: 'Black', positives: 283, negatives: 617 },
  { race: 'Asian', positives: 107, negatives: 193 },
  { race: TINY_GROUP, positives: 2, negatives: 4 },
];

/** A made-up score distribution: TP = round(P·(1 − t)), FP = round(N·(1 − t)²). */
const cells = (g: (typeof GROUPS)[number], t: number) => ({
  tp: Math.round(g.positives * (1 - t)),
  fp: Math.round(g.negatives * (1 - t) ** 2),
});

function point(g: (typeof GROUPS)[number], t: number) {
  const { tp, fp } = cells(g, t);
  const n = g.positives + g.negatives;
  return {
    threshold: t,
    selection_rate: (tp + fp) / n,
    true_positive_rate: tp / g.positives,
    false_positive_rate: fp / g.negatives,
    positive_predictive_value: tp + fp > 0 ? tp / (tp + fp) : null,
    net_benefit: tp / n - (fp / n) * (t / (1 - t)),
    alerts_per_1000: (1000 * (tp + fp)) / n,
  };
}

function input(auditThreshold: number): ThresholdPageInput {
  const thresholds = thresholdGrid(auditThreshold);
  return {
    thresholds,
    auditThreshold,
    overall: { count: 3606, points: [] },
    slices: [
      {
        attributes: ['race'],
        equalOpportunityTarget: 0.65,
        groups: GROUPS.map((g) => ({
          key: { race: g.race },
          count: g.positives + g.negatives,
          points: thresholds.map((t) => point(g, t)),
          // the group's equal-opportunity point: its figures at 0.41 (a threshold the walk from 0.35 shows)
          equalOpportunity: {
            threshold: 0.41,
            true_positive_rate: point(g, 0.41).true_positive_rate,
            withinTolerance: true,
            alerts_per_1000: point(g, 0.41).alerts_per_1000,
            net_benefit: point(g, 0.41).net_benefit,
          },
        })),
      },
    ],
  };
}

const calibration = (flags: CalibrationReport['overall']['metrics']['flags'] = []): CalibrationReport => {
  const e = { value: 1, ciLow: 0.9, ciHigh: 1.1 };
  const metrics = {
    brier_score: 0.1,
    expected_calibration_error: 0.02,
    observed_expected_ratio: e,
    calibration_intercept: e,
    calibration_slope: e,
    flags,
  };
  return { bins: 10, overall: { count: 3606, metrics, curve: [] }, slices: [] };
};

describe('report threshold page', () => {
  const idx = new SuppressionIndex(sampleFairnessResult().slices);

  it("prints each group at the round thresholds and the audit's own, from the what-if's figures", () => {
    const page = reportThresholds(input(0.35), calibration(), idx)!;
    expect(page.auditThreshold).toBe('0.35');
    expect(page.thresholds).toEqual(['0.1', '0.2', '0.3', '0.35', '0.5']);
    const race = page.slices[0]!;
    const white = race.rows.filter((r) => r.label === 'White');
    expect(white.map((r) => [r.threshold, r.atAudit])).toEqual([
      ['0.1', false],
      ['0.2', false],
      ['0.3', false],
      ['0.35', true],
      ['0.5', false],
    ]);
    // White at 0.35, by hand: TP = round(850 · 0.65) = 553, FP = round(1550 · 0.4225) = 655 (654.875), n = 2400
    expect(white[3]!.figures).toEqual({
      selection_rate: '0.50', // 1208 / 2400 = 0.5033
      true_positive_rate: '0.65', // 553 / 850 = 0.6506
      false_positive_rate: '0.42', // 655 / 1550 = 0.4226
      positive_predictive_value: '0.46', // 553 / 1208 = 0.4578
      alerts_per_1000: '503', // 503.3
      net_benefit: '0.083', // 553/2400 − 655/2400 · 0.35/0.65 = 0.23042 − 0.14696 = 0.08346
    });
    expect(white[0]!.count).toBe('2,400');
    expect(race.target).toBe('0.65');
    expect(race.equalOpportunity.find((g) => g.label === 'White')).toMatchObject({
      // TP = round(850 · 0.59) = 502, FP = round(1550 · 0.3481) = 540: 1042 alerts of 2400 → 434.2 per 1,000
      threshold: '0.410',
      true_positive_rate: '0.59',
      alerts_per_1000: '434',
      net_benefit: '0.053', // 502/2400 − 540/2400 · 0.41/0.59 = 0.0528
      note: 'Within 0.02 of the target',
    });
  });

  it('shows a large group and hides a small one (rows, equal opportunity, curves)', () => {
    const race = reportThresholds(input(0.5), calibration(), idx)!.slices[0]!;
    const rowsOf = (label: string) => race.rows.filter((r) => r.label === label);
    // large: every printed threshold has figures, and it is plotted
    expect(rowsOf('White').every((r) => r.figures !== null)).toBe(true);
    expect(race.netBenefitChart.series.map((s) => s.label)).toContain('White');
    expect(race.alertsChart.series.find((s) => s.label === 'White')?.points.length).toBeGreaterThan(40);
    // small (6 people): no figures, "≤10", suppressed equal-opportunity point, not plotted, named as left out
    const tiny = rowsOf(TINY_GROUP);
    expect(tiny).toEqual([
      { label: TINY_GROUP, count: '≤10', threshold: 'all', atAudit: false, figures: null },
    ]);
    expect(race.equalOpportunity.find((g) => g.label === TINY_GROUP)?.threshold).toBe('suppressed');
    for (const chart of [race.netBenefitChart, race.alertsChart]) {
      expect(chart.series.map((s) => s.label)).not.toContain(TINY_GROUP);
      expect(chart.subtitle.join(' ')).toContain(TINY_GROUP);
    }
    expect(JSON.stringify(race)).not.toMatch(/"(?:[1-9]|10)"/);
  });

  it('is absent without the what-if, or when the scores are not probabilities or there are no labels', () => {
    expect(reportThresholds(null, calibration(), idx)).toBeNull();
    expect(reportThresholds(input(0.5), null, idx)).toBeNull();
    expect(reportThresholds(input(0.5), calibration(['scores_outside_unit_interval']), idx)).toBeNull();
    expect(reportThresholds(input(0.5), calibration(['no_scores_or_labels']), idx)).toBeNull();
    const base = sampleReportInput();
    expect(buildReportViewModel(base).thresholds).toBeNull();
    const vm = buildReportViewModel({ ...base, calibration: calibration(), thresholds: input(0.5) });
    expect(vm.thresholds?.slices.map((s) => s.title)).toEqual(['race']);
  });
});
