import type { CalibrationGroup, CalibrationMetrics, CalibrationReport, CurvePoint } from '../score-quality';
import { binShown, buildCalibrationView } from './calibration-view';
import { buildReportViewModel, SuppressionIndex } from './view-model';
import { TINY_GROUP, sampleFairnessResult, sampleReportInput } from './report-fixture';

const bin = (b: number, count: number, rate: number | null): CurvePoint => ({
  binLow: b / 10,
  binHigh: (b + 1) / 10,
  count,
  meanScore: rate === null ? null : b / 10 + 0.0512,
  observedRate: rate,
  ciLow: rate === null ? null : Math.max(0, rate - 0.0312),
  ciHigh: rate === null ? null : Math.min(1, rate + 0.0345),
});
const metrics = (oe: number, slope: number): CalibrationMetrics => ({
  brier_score: 0.1,
  expected_calibration_error: 0.02,
  observed_expected_ratio: { value: oe, ciLow: oe - 0.1, ciHigh: oe + 0.1234 },
  calibration_intercept: { value: 0, ciLow: -0.1, ciHigh: 0.1 },
  calibration_slope: { value: slope, ciLow: slope - 0.2, ciHigh: slope + 0.2 },
  flags: [],
});
const group = (race: string, curve: CurvePoint[], oe = 1, slope = 1): CalibrationGroup => ({
  key: { race },
  count: curve.reduce((s, p) => s + p.count, 0),
  metrics: metrics(oe, slope),
  curve,
});

/** The fixture's race slice (White, Black shown; Asian, the tiny group suppressed) with hand-made curves. */
function report(flags: CalibrationMetrics['flags'] = []): CalibrationReport {
  return {
    bins: 10,
    overall: { count: 3310, metrics: { ...metrics(1.05, 0.9), flags }, curve: [] },
    slices: [
      {
        attributes: ['race'],
        groups: [
          group('White', [
            bin(0, 500, 0.04), // 20 events, 480 non-events: shown
            bin(1, 15, 0.2), // 3 events: hidden
            bin(2, 8, 0.5), // 8 people: hidden
            bin(3, 300, 0), // no events: shown
            bin(4, 100, 0.95), // 5 non-events: hidden
            bin(5, 0, null), // empty
          ]),
          group('Black', [bin(0, 200, 0.3)], 1.31234, 0.80512),
          group('Asian', [bin(0, 400, 0.5)]),
          group(TINY_GROUP, [bin(0, 300, 0.5)]),
        ],
      },
    ],
  };
}

describe('calibration view', () => {
  const idx = new SuppressionIndex(sampleFairnessResult().slices);

  it('plots a bin only with at least 11 people and events and non-events each 0 or at least 11', () => {
    expect(binShown(bin(0, 11, 0))).toBe(true);
    expect(binShown(bin(0, 10, 0))).toBe(false);
    expect(binShown(bin(0, 22, 0.5))).toBe(true); // 11 and 11
    expect(binShown(bin(0, 21, 10 / 21))).toBe(false); // 10 events
    expect(binShown(bin(0, 21, 11 / 21))).toBe(false); // 10 non-events
    expect(binShown(bin(0, 30, 1))).toBe(true); // no non-events
    expect(binShown(bin(0, 0, null))).toBe(false);
  });

  it('leaves out groups suppressed in the tables, and bins resting on 1 to 10 people', () => {
    const view = buildCalibrationView(report(), idx)!;
    const race = view.slices[0]!;
    expect(race.omitted).toEqual(['Asian', TINY_GROUP]);
    const chart = race.chart!;
    expect(chart.series.map((s) => s.label)).toEqual(['White', 'Black']);
    // White: bins 0 and 3 only; values at 2 decimals: 0.0512 → 0.05, 0.3512 → 0.35, 0.04 − 0.0312 → 0.01
    expect(chart.series[0]!.points).toEqual([
      { x: 0.05, y: 0.04, lo: 0.01, hi: 0.07 },
      { x: 0.35, y: 0, lo: 0, hi: 0.03 },
    ]);
    expect(JSON.stringify(chart)).not.toMatch(/\d\.\d{3,}/);
    expect(JSON.stringify(chart.series)).not.toContain('Asian');
    expect(chart.subtitle.join(' ')).toContain(`Not shown (small-cell suppression): Asian, ${TINY_GROUP}`);
    expect(chart.segments).toEqual([{ from: [0, 0], to: [1, 1], color: '#424242', dashed: true }]);
    expect(chart.x).toMatchObject({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(race.note).toBeNull();
  });

  it('says why a slice has no chart', () => {
    const r = report();
    r.slices[0]!.groups = r.slices[0]!.groups.map((g) => ({ ...g, curve: [bin(0, 20, 0.25)] })); // 5 events
    expect(buildCalibrationView(r, idx)!.slices[0]).toMatchObject({
      chart: null,
      note: 'No score bin can be plotted: each holds fewer than 11 people, or 1 to 10 people with or without the outcome.',
    });
  });

  it('tables O/E and slope with intervals at 2 decimals; suppressed groups say so', () => {
    const rows = buildCalibrationView(report(), idx)!.slices[0]!.rows;
    expect(rows).toEqual([
      { label: 'White', observedExpected: '1.00 (0.90–1.12)', slope: '1.00 (0.80–1.20)' },
      // 1.31234 → 1.31 (1.21234 → 1.21, 1.43574 → 1.44); 0.80512 → 0.81 (0.61–1.01)
      { label: 'Black', observedExpected: '1.31 (1.21–1.44)', slope: '0.81 (0.61–1.01)' },
      { label: 'Asian', observedExpected: 'suppressed', slope: 'suppressed' },
      { label: TINY_GROUP, observedExpected: 'suppressed', slope: 'suppressed' },
    ]);
  });

  it('is absent without calibration, or when the scores are not probabilities', () => {
    expect(buildCalibrationView(null, idx)).toBeNull();
    expect(buildCalibrationView(report(['scores_outside_unit_interval']), idx)).toBeNull();
    expect(buildCalibrationView(report(['no_scores_or_labels']), idx)).toBeNull();
    const input = sampleReportInput();
    expect(buildReportViewModel(input).calibration).toBeNull();
    expect(buildReportViewModel({ ...input, calibration: report() }).calibration?.slices).toHaveLength(1);
  });
});
