import REFERENCE from '../../../test/fixtures/calibration/reference.json';
import { computeFairness } from '../fairness';
import type { AttributeColumn, ColumnarBatch } from '../ingest/batch';
import type { FairnessOptions, FairnessResult, MetricValue } from '../fairness/types';
import { zCritical } from '../stats';
import { calibrationChecks } from './calibration-checks';
import { computeDrift } from './compute-drift';
import { DEFAULT_DRIFT_THRESHOLDS } from './types';

const Z = zCritical(0.95);

/** A stored O/E ratio or slope with the interval the engine gives it for a standard error `se`. */
function oe(value: number, se: number): MetricValue {
  return { value, ciLow: value * Math.exp(-Z * se), ciHigh: value * Math.exp(Z * se) };
}
function slope(value: number, se: number): MetricValue {
  return { value, ciLow: value - Z * se, ciHigh: value + Z * se };
}

/** Only what calibrationChecks reads: the whole sample's metrics, one slice, the confidence level. */
function result(
  overall: Record<string, MetricValue>,
  groups: Record<string, Record<string, MetricValue>> = {},
) {
  return {
    overall: { count: 1000, metrics: overall },
    slices: [
      {
        attributes: ['race'],
        groups: Object.entries(groups).map(([level, metrics]) => ({
          key: { race: level },
          count: 500,
          metrics,
        })),
      },
    ],
    conventions: { confidenceLevel: 0.95 },
  } as unknown as FairnessResult;
}

describe('calibrationChecks', () => {
  // z and p by hand with scipy: z = Δ/√(se₁² + se₂²) (Δ of ln O/E, or of the slope), p = 2·norm.sf(|z|).
  it('an O/E change of 30% with se 0.1 on each side is not significant (z 1.855, p 0.0636): ok', () => {
    const [check] = calibrationChecks(
      result({ observed_expected_ratio: oe(1, 0.1) }),
      result({ observed_expected_ratio: oe(1.3, 0.1) }),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(check).toMatchObject({
      kind: 'performance',
      metric: 'observed_expected_ratio',
      statistic: 'z_test',
    });
    expect(check!.value).toBeCloseTo(1.8551955054598368, 9);
    expect(check!.pValue).toBeCloseTo(0.06356831328156527, 9);
    expect(check!.status).toBe('ok');
    expect([check!.baseline, check!.current]).toEqual([1, 1.3]);
  });

  it('the same change with se 0.05 is significant (z 3.710, p 0.000207) and material (30% ≥ 20%): alert', () => {
    const [check] = calibrationChecks(
      result({ observed_expected_ratio: oe(1, 0.05) }),
      result({ observed_expected_ratio: oe(1.3, 0.05) }),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(check!.value).toBeCloseTo(3.7103910109196736, 9);
    expect(check!.pValue).toBeCloseTo(0.0002069393743133804, 9);
    expect(check!.status).toBe('alert');
    expect(check!.message).toBe(
      'The observed/expected ratio (events seen over events the scores predict) of the whole sample rose from 1.00 to 1.30 (p < 0.001).',
    );
  });

  it('a slope falling 1.00 → 0.85: with se 0.1 ok (p 0.289), with se 0.02 a warning (0.15 is ≥ 0.1, < 0.2)', () => {
    const loose = calibrationChecks(
      result({ calibration_slope: slope(1, 0.1) }),
      result({ calibration_slope: slope(0.85, 0.1) }),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(loose[0]!.value).toBeCloseTo(-1.0606601717798214, 9);
    expect(loose[0]!.pValue).toBeCloseTo(0.2888443663464849, 9);
    expect(loose[0]!.status).toBe('ok');
    const tight = calibrationChecks(
      result({ calibration_slope: slope(1, 0.02) }),
      result({ calibration_slope: slope(0.85, 0.02) }),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(tight[0]!.value).toBeCloseTo(-5.3033008588991075, 9);
    expect(tight[0]!.pValue).toBeCloseTo(1.1372725656979582e-7, 14);
    expect(tight[0]!.status).toBe('warning');
  });

  it('groups are tested per slice and metric with Holm; a group null on either side gives no check', () => {
    const checks = calibrationChecks(
      result(
        {},
        { A: { calibration_slope: slope(1, 0.02) }, B: { calibration_slope: slope(1, 0.02) }, C: {} },
      ),
      result(
        {},
        {
          A: { calibration_slope: slope(0.85, 0.02) },
          B: { calibration_slope: slope(1.01, 0.02) },
          C: { calibration_slope: slope(1, 0.02) },
        },
      ),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(checks.map((c) => c.key)).toEqual([{ race: 'A' }, { race: 'B' }]);
    // Holm over 2: the smaller p doubled, the larger max(2·p_min, p)
    expect(checks[0]!.pValueAdjusted).toBeCloseTo(2 * 1.1372725656979582e-7, 13);
    expect(checks[0]!.status).toBe('warning');
    expect(checks[1]!.status).toBe('ok');
    expect(
      calibrationChecks(
        result({
          calibration_slope: { value: null, ciLow: null, ciHigh: null, flag: 'slope_not_converged' },
        }),
        result({ calibration_slope: slope(1, 0.1) }),
        DEFAULT_DRIFT_THRESHOLDS,
      ),
    ).toEqual([]);
  });
});

describe('calibration drift in computeDrift', () => {
  const rows = (REFERENCE as unknown as { engine_rows: { s: number; y: number; race: string }[] })
    .engine_rows;
  const attribute = (values: string[]): AttributeColumn => {
    const levels = [...new Set(values)].sort();
    return { name: 'race', levels, codes: Uint16Array.from(values, (v) => levels.indexOf(v)) };
  };
  /** The fixture's rows; in `current`, group B's labels follow the score closely (its O/E rises). */
  const batch = (current: boolean): ColumnarBatch => ({
    rowCount: rows.length,
    labels: Uint8Array.from(rows, (r, i) =>
      current && r.race === 'B' ? (r.s > 0.35 + (i % 7) / 100 ? 1 : 0) : r.y,
    ),
    predictions: Uint8Array.from(rows, (r) => (r.s >= 0.5 ? 1 : 0)),
    scores: Float64Array.from(rows, (r) => r.s),
    attributes: [attribute(rows.map((r) => r.race))],
  });
  const options = (minGroupSize: number): FairnessOptions => ({
    favorableOutcome: 'positive',
    reference: { strategy: 'largest' },
    intersections: [],
    minGroupSize,
    missingAttribute: 'group',
  });
  const drift = (minGroupSize: number) => {
    const side = (current: boolean) => ({
      batch: batch(current),
      result: computeFairness(batch(current), options(minGroupSize)),
    });
    return computeDrift(side(false), side(true));
  };
  const find = (report: ReturnType<typeof drift>, metric: string) =>
    report.checks.find((c) => c.metric === metric && c.key?.race === 'B');

  it("group B's O/E change is an alert with enough people, and 'not enough data' (ok) under minGroupSize", () => {
    const alert = find(drift(30), 'observed_expected_ratio');
    expect(alert?.status).toBe('alert');
    expect(alert!.current! / alert!.baseline!).toBeGreaterThan(1.2);
    const small = find(drift(1000), 'observed_expected_ratio');
    expect(small?.status).toBe('ok');
    expect(small?.message).toMatch(/^Not enough data: group B in race has fewer than 1000 people/);
    // groups whose labels did not change raise nothing
    expect(
      drift(30).checks.filter((c) => c.metric === 'observed_expected_ratio' && c.key?.race === 'A')[0]
        ?.status,
    ).toBe('ok');
  });
});
