import REFERENCE from '../../../test/fixtures/task-drift/reference.json';
import { DomainError } from '../errors';
import type { ColumnarBatch } from '../ingest/batch';
import type { RegressionResult } from '../tasks/types';
import { computeDrift, type DriftSide } from './compute-drift';
import type { DriftCheck } from './types';

/** Expected values: test/fixtures/task-drift/reference.py (numpy and scipy), on the rows it wrote. */
const REF = REFERENCE.regression;
const GROUPS = ['A', 'B'] as const;
type Row = [string, number, number];

function side(name: 'baseline' | 'current', minGroupSize = 30): DriftSide {
  const rows = REF.rows[name] as Row[];
  const batch: ColumnarBatch = {
    rowCount: rows.length,
    predictions: new Uint8Array(rows.length),
    targets: Float64Array.from(rows, (r) => r[1]),
    predictedValues: Float64Array.from(rows, (r) => r[2]),
    attributes: [
      {
        name: 'group',
        levels: [...GROUPS],
        codes: Uint16Array.from(rows, (r) => GROUPS.indexOf(r[0] as 'A')),
      },
    ],
  };
  const result: RegressionResult = {
    task: 'regression',
    overall: { count: rows.length, metrics: {} },
    slices: [
      {
        attributes: ['group'],
        reference: { group: 'A' },
        summary: {},
        groups: GROUPS.map((g) => ({
          key: { group: g },
          count: rows.filter((r) => r[0] === g).length,
          share: rows.filter((r) => r[0] === g).length / rows.length,
          metrics: { mean_absolute_error: { value: REF.mae[name][g] } },
          disparities: {},
          flags: [],
        })),
      },
    ],
    conventions: {
      referenceStrategy: 'largest',
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize,
      missingAttribute: 'group',
      intervals: {
        mean: 't',
        rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
        r2: 'delta-method-t',
        difference: 'welch',
        ratio: 'delta-method-log',
      },
      tests: { means: 'welch-t', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: 'metric' },
    },
  };
  return { batch, result };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function find(checks: DriftCheck[], where: Partial<DriftCheck> & { group?: string }): DriftCheck {
  const { group, ...fields } = where;
  const found = checks.filter(
    (c) =>
      Object.entries(fields).every(([k, v]) => c[k as keyof DriftCheck] === v) &&
      (group === undefined ? c.key === undefined : c.key?.group === group),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('drift between two regression audits', () => {
  const { checks, status } = computeDrift(side('baseline'), side('current'));

  it.each([
    ['target', 'label'],
    ['prediction', 'score'],
  ] as const)('%s distribution: PSI over the baseline deciles and KS equal numpy/scipy', (metric, kind) => {
    const subjects = [undefined, ...GROUPS];
    for (const group of subjects) {
      const ref = group === undefined ? REF.overall[metric] : REF.groups[group][metric];
      const psi = find(checks, { kind, metric, statistic: 'psi', group });
      expect(psi.value).toBeCloseTo(ref.psi, 10);
      expect(psi.baseline).toBeCloseTo(ref.medianBefore, 10);
      expect(psi.current).toBeCloseTo(ref.medianAfter, 10);
      expect(psi.status).toBe(ref.psi >= 0.25 ? 'alert' : ref.psi >= 0.1 ? 'warning' : 'ok');
      const ks = find(checks, { kind, metric, statistic: 'ks', group });
      expect(ks.value).toBeCloseTo(ref.ks, 12);
      expect(ks.pValue).toBeCloseTo(ref.ksP, 9);
      expect(ks.status).toBe(ref.ksP < 0.05 && ref.ks >= 0.1 ? 'warning' : 'ok');
    }
  });

  it.each(['mean_absolute_error', 'mean_error'] as const)(
    '%s change: Welch statistic, normal p and Holm p equal scipy; only a significant, material change raises',
    (metric) => {
      const overall = find(checks, { metric, statistic: 'z_test' });
      expect(overall.value).toBeCloseTo(REF.overall[metric].z, 10);
      expect(overall.pValue! / REF.overall[metric].p).toBeCloseTo(1, 8);
      expect(overall.baseline).toBeCloseTo(REF.overall[metric].before, 12);
      expect(overall.current).toBeCloseTo(REF.overall[metric].after, 12);
      for (const g of GROUPS) {
        const ref = REF.groups[g][metric];
        const check = find(checks, { metric, statistic: 'z_test', group: g });
        expect(check.kind).toBe('performance');
        expect(check.value).toBeCloseTo(ref.z, 10);
        expect(check.pValue! / ref.p).toBeCloseTo(1, 8);
        expect(check.pValueAdjusted! / ref.pAdjusted).toBeCloseTo(1, 8);
        expect(check.baseline).toBeCloseTo(ref.before, 12);
        expect(check.current).toBeCloseTo(ref.after, 12);
      }
      // Group A's change is not significant (Holm p ≈ 0.69 and 0.87): ok. Group B's MAE nearly doubled and its
      // mean error fell by 1.3, 160% of its baseline MAE (0.82), p < 1e-5: alert.
      expect(find(checks, { metric, statistic: 'z_test', group: 'A' }).status).toBe('ok');
      expect(find(checks, { metric, statistic: 'z_test', group: 'B' }).status).toBe('alert');
    },
  );

  it('the MAE ratio of the slice leaving the fairness band is an alert (0.97 → 0.49, numpy)', () => {
    const check = find(checks, { kind: 'fairness', metric: 'mean_absolute_error_ratio' });
    expect(check.attributes).toEqual(['group']);
    expect(check.statistic).toBe('band_crossing');
    expect(check.baseline).toBeCloseTo(REF.maeRatio.baseline, 12);
    expect(check.current).toBeCloseTo(REF.maeRatio.current, 12);
    expect(check.status).toBe('alert');
    expect(check.message).toContain('left the fairness band');
    expect(status).toBe('alert');
  });

  it('the same audit against itself: no change, every check ok', () => {
    const same = computeDrift(side('baseline'), side('baseline'));
    expect(same.status).toBe('ok');
    expect(same.checks.filter((c) => c.metric === 'mean_absolute_error').every((c) => c.value === 0)).toBe(
      true,
    );
    expect(same.checks.find((c) => c.metric === 'mean_absolute_error_ratio')?.message).toContain(
      'stayed inside',
    );
  });

  it('groups under minGroupSize: no per-group distribution checks, error changes are "not enough data"', () => {
    const small = computeDrift(side('baseline', 100), side('current', 100));
    expect(
      small.checks.filter((c) => c.key !== undefined && c.statistic === 'psi' && c.kind !== 'population'),
    ).toEqual([]);
    const b = find(small.checks, { metric: 'mean_absolute_error', statistic: 'z_test', group: 'B' });
    expect(b.status).toBe('ok');
    expect(b.message).toMatch(/^Not enough data/);
    // and no MAE ratio: no group has 100 people
    expect(small.checks.some((c) => c.metric === 'mean_absolute_error_ratio')).toBe(false);
  });

  it('a regression audit against a binary one: 400 naming the baseline and both tasks', () => {
    const binary = side('baseline');
    const { task: _task, ...rest } = binary.result as RegressionResult;
    const asBinary = { ...binary, result: rest as unknown as DriftSide['result'] };
    const error = thrown(() => computeDrift(asBinary, side('current')));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid_input');
    expect((error as DomainError).message).toBe(
      'The baseline is a binary audit and this audit is a regression audit: drift compares audits of the same task only.',
    );
    expect((error as DomainError).errors).toEqual([
      { field: 'baseline', message: 'is a binary audit; this audit is a regression audit' },
    ]);
  });
});
