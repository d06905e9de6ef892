import REFERENCE from '../../../../test/fixtures/calibration/reference.json';
import { computeFairness } from '../../fairness';
import type { FairnessResult, MetricValue } from '../../fairness/types';
import { evaluateCalibration } from './calibration-rules';

const T = { nMin: 30, minEvents: 5 };

const est = (
  value: number | null,
  ciLow: number | null = value,
  ciHigh: number | null = value,
  flag?: string,
) => ({ value, ciLow, ciHigh, ...(flag ? { flag } : {}) }) as MetricValue;
const calibrated = { observed_expected_ratio: est(1, 0.9, 1.1), calibration_slope: est(1, 0.9, 1.1) };

/** A result with the whole sample calibrated and the given groups of race (count, metrics). */
function result(
  groups: Record<string, { count: number; metrics: Record<string, MetricValue> }>,
): FairnessResult {
  return {
    overall: {
      count: 1000,
      metrics: { ...calibrated, base_rate: { value: 0.3, numerator: 300, denominator: 1000 } },
    },
    slices: [
      {
        attributes: ['race'],
        groups: Object.entries(groups).map(([level, g]) => ({
          key: { race: level },
          count: g.count,
          metrics: g.metrics,
        })),
      },
    ],
    labelFree: false,
    conventions: { fairnessBand: [0.8, 1.25] },
  } as unknown as FairnessResult;
}

describe('evaluateCalibration', () => {
  it('passes when O/E and slope are inside the band overall and in every group', () => {
    const v = evaluateCalibration(result({ A: { count: 500, metrics: calibrated } }), T);
    expect(v.status).toBe('pass');
    expect(v.rationale).toBe(
      'The observed/expected ratio and the calibration slope lie within 0.80–1.25 overall and in every group large enough to judge.',
    );
  });

  it('fails a large group whose whole O/E interval lies below the band, in words true of the figures', () => {
    const v = evaluateCalibration(
      result({
        A: { count: 500, metrics: calibrated },
        B: { count: 400, metrics: { ...calibrated, observed_expected_ratio: est(0.64, 0.5, 0.78) } },
      }),
      T,
    );
    expect(v.status).toBe('fail');
    expect(v.rationale).toBe(
      'For race, the group B has an observed/expected ratio of 0.64, outside the 0.80–1.25 band: fewer events than its scores predict (the scores overstate its risk), and its whole interval (0.50–0.78) lies outside the band.'.replace(
        'has a observed',
        'has a observed',
      ),
    );
    expect(v.evidence[0]).toMatchObject({
      metric: 'observed_expected_ratio',
      group: { race: 'B' },
      value: 0.64,
      threshold: '0.80–1.25',
      count: 400,
    });
  });

  it('reviews a large group outside the band whose interval reaches into it (the gap could be chance)', () => {
    const v = evaluateCalibration(
      result({ B: { count: 400, metrics: { ...calibrated, calibration_slope: est(1.4, 1.1, 1.7) } } }),
      T,
    );
    expect(v.status).toBe('review');
    expect(v.rationale).toMatch(
      /calibration slope of 1\.40, outside the 0\.80–1\.25 band: scores that are too moderate \(a slope above 1\), though its interval reaches into the band/,
    );
  });

  it('a small group is inconclusive, never an alarm, even far outside the band', () => {
    const v = evaluateCalibration(
      result({ C: { count: 20, metrics: { ...calibrated, observed_expected_ratio: est(0.3, 0.1, 0.6) } } }),
      T,
    );
    expect(v.status).toBe('inconclusive');
    expect(v.rationale).toMatch(
      /^For race, the group C has an observed\/expected ratio of 0\.30, but with 20 people/,
    );
    // the same group with enough people fails
    expect(
      evaluateCalibration(
        result({
          C: { count: 200, metrics: { ...calibrated, observed_expected_ratio: est(0.3, 0.1, 0.6) } },
        }),
        T,
      ).status,
    ).toBe('fail');
  });

  it('a slope that could not be fitted (separation) in a large group is reviewed; a small group stays inconclusive', () => {
    const separated = { ...calibrated, calibration_slope: est(null, null, null, 'slope_not_converged') };
    const large = evaluateCalibration(result({ S: { count: 200, metrics: separated } }), T);
    expect(large.status).toBe('review');
    expect(large.rationale).toBe(
      'For race, the group S has a calibration slope that could not be estimated, because its scores separate the outcomes perfectly, so a person should review its calibration.',
    );
    const small = evaluateCalibration(result({ S: { count: 12, metrics: separated } }), T);
    expect(small.status).toBe('inconclusive');
    // its O/E is the inconclusive finding; its unfitted slope adds none
    expect(small.evidence[0]).toMatchObject({ metric: 'observed_expected_ratio', group: { race: 'S' } });
    expect(small.evidence.filter((e) => e.group?.race === 'S').map((e) => e.metric)).toEqual([
      'observed_expected_ratio',
    ]);
  });

  it('does not apply without labels, without scores or with scores outside [0, 1]', () => {
    const outside = result({});
    outside.overall.metrics.observed_expected_ratio = est(null, null, null, 'scores_outside_unit_interval');
    expect(evaluateCalibration(outside, T)).toMatchObject({
      status: 'not_applicable',
      rationale:
        'The scores are not probabilities (some lie outside 0 to 1), so calibration by group does not apply.',
    });
    expect(evaluateCalibration({ ...result({}), labelFree: true }, T).status).toBe('not_applicable');
  });

  it("on the engine's result for the numpy fixture: the flat slope of race C (0.32, interval 0.13–0.50) fails", () => {
    const rows = (REFERENCE as unknown as { engine_rows: { s: number; y: number; race: string }[] })
      .engine_rows;
    const levels = ['A', 'B', 'C'];
    const r = computeFairness(
      {
        rowCount: rows.length,
        labels: Uint8Array.from(rows, (x) => x.y),
        predictions: Uint8Array.from(rows, (x) => (x.s >= 0.5 ? 1 : 0)),
        scores: Float64Array.from(rows, (x) => x.s),
        attributes: [{ name: 'race', levels, codes: Uint16Array.from(rows, (x) => levels.indexOf(x.race)) }],
      },
      {
        favorableOutcome: 'positive',
        reference: { strategy: 'largest' },
        intersections: [],
        minGroupSize: 30,
        missingAttribute: 'group',
      },
    );
    const v = evaluateCalibration(r, T);
    expect(v.status).toBe('fail');
    expect(v.evidence).toContainEqual(
      expect.objectContaining({
        metric: 'calibration_slope',
        group: { race: 'C' },
        value: expect.closeTo(0.3152413975684588, 8),
      }),
    );
  });
});
