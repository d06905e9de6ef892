import REFERENCE from '../../../test/fixtures/calibration/reference.json';
import type { AttributeColumn, ColumnarBatch } from '../ingest/batch';
import { computeFairness } from './compute-fairness';
import type { FairnessOptions, FairnessResult, GroupResult, MetricValue } from './types';

/**
 * Calibration keys in the metrics of computeFairness, against test/fixtures/calibration/reference.py
 * (numpy, row by row, its own Newton with step halving; Wald intervals × Σw²/Σw): 600 rows with scores
 * rounded to 2 decimals (many ties per group), race A/B/C (B over-predicted, C with a flat slope) and sex F/M.
 */
interface Reference {
  brier: number;
  ece: number;
  oe: number;
  oe_lo: number;
  oe_hi: number;
  intercept: number | null;
  intercept_lo?: number;
  intercept_hi?: number;
  slope: number | null;
  slope_lo?: number;
  slope_hi?: number;
}
type Disparities = Record<string, Record<string, number>>;
interface Fixture {
  engine_rows: { s: number; y: number; race: string; sex: string; w: number }[];
  unweighted: Record<string, Reference> & { reference: string; disparities: Disparities };
  weighted: Record<string, Reference> & { reference: string; disparities: Disparities };
}

const FIXTURE = REFERENCE as unknown as Fixture;

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

function attribute(name: string, values: string[]): AttributeColumn {
  const levels = [...new Set(values)].sort();
  return { name, levels, codes: Uint16Array.from(values, (v) => levels.indexOf(v)) };
}

function batch(weighted: boolean, scores?: (s: number, i: number) => number): ColumnarBatch {
  const rows = FIXTURE.engine_rows;
  return {
    rowCount: rows.length,
    labels: Uint8Array.from(rows, (r) => r.y),
    predictions: Uint8Array.from(rows, (r) => (r.s >= 0.5 ? 1 : 0)),
    scores: Float64Array.from(rows, (r, i) => (scores ? scores(r.s, i) : r.s)),
    weights: weighted ? Float64Array.from(rows, (r) => r.w) : undefined,
    attributes: [
      attribute(
        'race',
        rows.map((r) => r.race),
      ),
      attribute(
        'sex',
        rows.map((r) => r.sex),
      ),
    ],
  };
}

/** A group by name, e.g. "race=B" or "race=B,sex=M". */
function group(result: FairnessResult, name: string): GroupResult {
  const pairs = name.split(',').map((p) => p.split('='));
  const slice = result.slices.find((s) => s.attributes.join() === pairs.map(([a]) => a).join());
  const g = slice?.groups.find((x) => pairs.every(([a, v]) => x.key[a!] === v));
  if (!g) throw new Error(`no group ${name}`);
  return g;
}

function expectEstimate(m: MetricValue | undefined, value: number, low: number, high: number): void {
  expect(m?.value).toBeCloseTo(value, 9);
  expect(m?.ciLow).toBeCloseTo(low, 9);
  expect(m?.ciHigh).toBeCloseTo(high, 9);
}

function expectGroup(metrics: Partial<Record<string, MetricValue>>, r: Reference): void {
  expect(metrics.brier_score?.value).toBeCloseTo(r.brier, 12);
  expect(metrics.expected_calibration_error?.value).toBeCloseTo(r.ece, 12);
  expectEstimate(metrics.observed_expected_ratio, r.oe, r.oe_lo, r.oe_hi);
  expectEstimate(metrics.calibration_intercept, r.intercept!, r.intercept_lo!, r.intercept_hi!);
  expectEstimate(metrics.calibration_slope, r.slope!, r.slope_lo!, r.slope_hi!);
}

describe.each(['unweighted', 'weighted'] as const)('calibration by group, %s', (kind) => {
  const expected = FIXTURE[kind];
  const result = computeFairness(batch(kind === 'weighted'), OPTIONS);

  it('overall and every group of every slice match numpy', () => {
    expectGroup(result.overall.metrics, expected.overall as Reference);
    for (const name of ['race=A', 'race=B', 'race=C', 'sex=F', 'sex=M', 'race=B,sex=M']) {
      expectGroup(group(result, name).metrics, expected[name] as Reference);
    }
  });

  it('disparities of O/E (ratio) and slope (difference) against the reference match numpy', () => {
    expect(group(result, expected.reference).flags).toContain('reference');
    for (const [name, d] of Object.entries(expected.disparities)) {
      const oe = group(result, name).disparities.observed_expected_ratio;
      expect(oe?.ratio).toBeCloseTo(d.oe_ratio!, 10);
      expect(oe?.ratioCiLow).toBeCloseTo(d.oe_ratio_lo!, 10);
      expect(oe?.ratioCiHigh).toBeCloseTo(d.oe_ratio_hi!, 10);
      expect(oe?.difference).toBeCloseTo(d.oe_diff!, 10);
      expect(oe?.differenceCiLow).toBeCloseTo(d.oe_diff_lo!, 10);
      expect(oe?.differenceCiHigh).toBeCloseTo(d.oe_diff_hi!, 10);
      expect(oe?.pValue).toBeCloseTo(d.oe_p!, 10);
      const slope = group(result, name).disparities.calibration_slope;
      expect(slope?.difference).toBeCloseTo(d.slope_diff!, 9);
      expect(slope?.differenceCiLow).toBeCloseTo(d.slope_diff_lo!, 9);
      expect(slope?.differenceCiHigh).toBeCloseTo(d.slope_diff_hi!, 9);
      expect(slope?.pValue).toBeCloseTo(d.slope_p!, 9);
      expect(slope?.ratio).toBeCloseTo(d.slope_ratio!, 9);
    }
    const reference = group(result, expected.reference).disparities;
    expect(reference.observed_expected_ratio).toMatchObject({ difference: 0, ratio: 1, pValue: null });
    expect(reference.calibration_slope).toMatchObject({ difference: 0, ratio: 1, pValue: null });
  });
});

describe('calibration keys: when they are null, a flag says why', () => {
  it('scores outside [0, 1]: every calibration key of every group is null, flagged', () => {
    const result = computeFairness(
      batch(false, (s, i) => (i === 0 ? 1.5 : s)),
      OPTIONS,
    );
    for (const g of [result.overall, ...result.slices.flatMap((s) => s.groups)]) {
      for (const key of ['observed_expected_ratio', 'calibration_intercept', 'calibration_slope'] as const) {
        expect(g.metrics[key]).toEqual({
          value: null,
          ciLow: null,
          ciHigh: null,
          flag: 'scores_outside_unit_interval',
        });
      }
      expect(g.metrics.expected_calibration_error).toEqual({
        value: null,
        flag: 'scores_outside_unit_interval',
      });
      // the other score metrics are still there
      expect(g.metrics.roc_auc?.value).not.toBeNull();
    }
    // and the same scores within [0, 1] are calibrated (the guard lets good input through)
    const inside = computeFairness(
      batch(false, (s, i) => (i === 0 ? 1 : s)),
      OPTIONS,
    );
    expect(inside.overall.metrics.calibration_slope?.value).not.toBeNull();
  });

  it('a single-class group and a separated group are null with their flags, never a huge number', () => {
    // Group "Z" (sex): rows 0-39 get label 0 (single class); group "S" (race): rows 40-79 separated.
    const rows = FIXTURE.engine_rows.slice(0, 80);
    const b: ColumnarBatch = {
      rowCount: rows.length,
      labels: Uint8Array.from(rows, (r, i) => (i < 40 ? 0 : r.s >= 0.5 ? 1 : 0)),
      predictions: Uint8Array.from(rows, (r) => (r.s >= 0.5 ? 1 : 0)),
      scores: Float64Array.from(rows, (r) => r.s),
      attributes: [
        attribute(
          'sex',
          rows.map((_, i) => (i < 40 ? 'Z' : 'Y')),
        ),
        attribute(
          'race',
          rows.map((_, i) => (i < 40 ? 'R' : 'S')),
        ),
      ],
    };
    const result = computeFairness(b, OPTIONS);
    const single = group(result, 'sex=Z').metrics;
    expect(single.calibration_slope).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      flag: 'single_class',
    });
    expect(single.observed_expected_ratio).toMatchObject({ value: 0, flag: 'no_events' });
    const separated = group(result, 'race=S').metrics;
    expect(separated.calibration_slope).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      flag: 'slope_not_converged',
    });
    expect(separated.calibration_intercept?.value).not.toBeNull();
  });

  it('without scores the keys are null with no_scores_or_labels; without labels they are absent', () => {
    const noScores = computeFairness({ ...batch(false), scores: undefined }, OPTIONS);
    expect(noScores.overall.metrics.calibration_slope).toMatchObject({
      value: null,
      flag: 'no_scores_or_labels',
    });
    const labelFree = computeFairness({ ...batch(false), labels: undefined }, OPTIONS);
    expect(labelFree.overall.metrics.calibration_slope).toBeUndefined();
  });
});
