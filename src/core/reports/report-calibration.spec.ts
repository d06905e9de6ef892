import type { CalibrationReport } from '../score-quality';
import { reportCalibration } from './report-calibration';
import { SuppressionIndex } from './suppression-index';
import { buildReportViewModel } from './view-model';
import { TINY_GROUP, sampleFairnessResult, sampleReportInput } from '../../../test/support/report-fixture';

const metrics = (flags: CalibrationReport['overall']['metrics']['flags'] = []) => ({
  brier_score: 0.1,
  expected_calibration_error: 0.02,
  observed_expected_ratio: { value: 1.3123, ciLow: 1.2, ciHigh: 1.45 },
  calibration_intercept: { value: 0.1, ciLow: 0, ciHigh: 0.2 },
  calibration_slope: { value: 0.8, ciLow: 0.6, ciHigh: 1 },
  flags,
});
// 400 people in one bin, 100 with the outcome: every count far from 1 to 10
const curve = [
  { binLow: 0.2, binHigh: 0.3, count: 400, meanScore: 0.25, observedRate: 0.25, ciLow: 0.21, ciHigh: 0.29 },
];
const report = (flags: CalibrationReport['overall']['metrics']['flags'] = []): CalibrationReport => ({
  bins: 10,
  overall: { count: 3310, metrics: metrics(flags), curve },
  slices: [
    {
      attributes: ['race'],
      groups: [
        { key: { race: 'White' }, count: 400, metrics: metrics(), curve },
        { key: { race: TINY_GROUP }, count: 6, metrics: metrics(), curve: [] },
      ],
    },
  ],
});

describe('report calibration page', () => {
  const idx = new SuppressionIndex(sampleFairnessResult().slices);

  it("is the console's calibration view: O/E at 2 decimals, the tiny group hidden and not plotted", () => {
    const view = reportCalibration(report(), idx)!;
    const race = view.slices[0]!;
    expect(race.groups.map((g) => [g.label, g.observedExpected])).toEqual([
      ['White', '1.31 (1.20–1.45)'],
      [TINY_GROUP, 'suppressed'],
    ]);
    expect(race.chart.series.map((s) => [s.label, s.points])).toEqual([
      ['White', [{ x: 0.25, y: 0.25, lo: 0.21, hi: 0.29 }]],
    ]);
    expect(race.chart.segments).toEqual([{ from: [0, 0], to: [1, 1], color: '#9e9e9e', dashed: true }]);
  });

  it('is absent without calibration, or when the scores are not probabilities or there are no labels', () => {
    expect(reportCalibration(null, idx)).toBeNull();
    expect(reportCalibration(report(['scores_outside_unit_interval']), idx)).toBeNull();
    expect(reportCalibration(report(['no_scores_or_labels']), idx)).toBeNull();
    const input = sampleReportInput();
    expect(buildReportViewModel(input).calibration).toBeNull();
    expect(buildReportViewModel({ ...input, calibration: report() }).calibration?.slices).toHaveLength(1);
  });
});
