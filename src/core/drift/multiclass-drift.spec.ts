import REFERENCE from '../../../test/fixtures/task-drift/reference.json';
import type { ColumnarBatch } from '../ingest/batch';
import type { MulticlassResult } from '../tasks/types';
import { computeDrift, type DriftSide } from './compute-drift';
import type { DriftCheck } from './types';

/** Expected values: test/fixtures/task-drift/reference.py (scipy), from the confusion matrices it chose. */
const REF = REFERENCE.multiclass;
const CLASSES = ['low', 'mid', 'high'];
const GROUPS = ['X', 'Y'] as const;
type Side = 'baseline' | 'current';

/** The stored result the reference script wrote; the batch only carries the group column (population checks). */
function side(name: Side, minGroupSize = 30): DriftSide {
  const r = REF.results[name];
  const rows = GROUPS.flatMap((g, code) => Array<number>(r.groups[g].count).fill(code));
  const batch: ColumnarBatch = {
    rowCount: rows.length,
    predictions: new Uint8Array(rows.length),
    attributes: [{ name: 'group', levels: [...GROUPS], codes: Uint16Array.from(rows) }],
  };
  const result: MulticlassResult = {
    task: 'multiclass',
    classes: CLASSES,
    labelFree: false,
    overall: {
      count: r.overall.count,
      metrics: { accuracy: r.overall.accuracy },
      classes: r.overall.classes,
    },
    slices: [
      {
        attributes: ['group'],
        reference: { group: 'X' },
        summary: { accuracy_difference: null, accuracy_ratio: null, classes: {} },
        groups: GROUPS.map((g) => ({
          key: { group: g },
          count: r.groups[g].count,
          share: r.groups[g].count / r.overall.count,
          metrics: { accuracy: r.groups[g].accuracy },
          classes: r.groups[g].classes,
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
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'katz' },
      tests: { proportions: 'z', adjustment: 'holm' },
    },
  };
  return { batch, result };
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

describe('drift between two multiclass audits', () => {
  const { checks, status } = computeDrift(side('baseline'), side('current'));

  it.each([
    ['label_class', 'label'],
    ['predicted_class', 'score'],
  ] as const)('%s mix: chi-square, its p-value and the JS distance equal scipy', (metric, kind) => {
    const ref = REF[metric];
    const chi = find(checks, { kind, metric, statistic: 'chi_square' });
    expect(chi.value).toBeCloseTo(ref.chiSquare, 10);
    expect(chi.pValue).toBeCloseTo(ref.p, 10);
    const js = find(checks, { kind, metric, statistic: 'js_distance' });
    expect(js.value).toBeCloseTo(ref.js, 12);
    // p ≥ 0.05 and JS < 0.1 on both: ok
    expect([chi.status, js.status]).toEqual(['ok', 'ok']);
  });

  it('accuracy of the whole sample and of each group: z and p equal the 2×2 chi-square, Holm over groups', () => {
    const overall = find(checks, { metric: 'accuracy', statistic: 'z_test' });
    expect(overall.value).toBeCloseTo(REF.accuracy.overall[0]!, 10);
    expect(overall.pValue).toBeCloseTo(REF.accuracy.overall[1]!, 10);
    for (const g of GROUPS) {
      const check = find(checks, { metric: 'accuracy', statistic: 'z_test', group: g });
      expect(check.value).toBeCloseTo(REF.accuracy.groups[g].z, 10);
      expect(check.pValue).toBeCloseTo(REF.accuracy.groups[g].p, 10);
      expect(check.pValueAdjusted).toBeCloseTo(REF.accuracy.groups[g].pAdjusted, 10);
      expect(check.status).toBe('ok');
    }
  });

  it.each(CLASSES.flatMap((c) => [`${c}/selection_rate`, `${c}/true_positive_rate`]))(
    'per class and group, %s: z, p and Holm p equal scipy; the class is named',
    (id) => {
      const [className, metric] = id.split('/') as [string, string];
      const ref = REF.classRates[id as keyof typeof REF.classRates];
      for (const g of GROUPS) {
        const check = find(checks, { metric, class: className, statistic: 'z_test', group: g });
        expect(check.value).toBeCloseTo(ref[g].z, 10);
        expect(check.pValue).toBeCloseTo(ref[g].p, 10);
        expect(check.pValueAdjusted).toBeCloseTo(ref[g].pAdjusted, 10);
        expect(check.message).toContain(`class ${className}`);
      }
    },
  );

  it('group Y predicted "low" far less often (46/120 → 27/130, Holm p = 0.005): an alert; group X did not move: ok', () => {
    const y = find(checks, { metric: 'selection_rate', class: 'low', statistic: 'z_test', group: 'Y' });
    expect(y.baseline).toBeCloseTo(46 / 120, 12);
    expect(y.current).toBeCloseTo(27 / 130, 12);
    expect(y.status).toBe('alert');
    const x = find(checks, { metric: 'selection_rate', class: 'low', statistic: 'z_test', group: 'X' });
    expect(x.status).toBe('ok');
  });

  it('per-class demographic parity ratio: leaving the band alerts (low 0.96 → 0.53); staying inside is ok', () => {
    for (const c of CLASSES) {
      const ref = REF.parityRatio[c as keyof typeof REF.parityRatio];
      const check = find(checks, { kind: 'fairness', metric: 'demographic_parity_ratio', class: c });
      expect(check.baseline).toBeCloseTo(ref.baseline, 12);
      expect(check.current).toBeCloseTo(ref.current, 12);
      const inside = (v: number) => v >= 0.8 && v <= 1.25;
      expect(check.status).toBe(inside(ref.baseline) && !inside(ref.current) ? 'alert' : 'ok');
    }
    expect(find(checks, { kind: 'fairness', class: 'low' }).status).toBe('alert');
    expect(find(checks, { kind: 'fairness', class: 'mid' }).status).toBe('alert');
    expect(status).toBe('alert');
  });

  it('the same audit against itself: every check ok', () => {
    expect(computeDrift(side('baseline'), side('baseline')).status).toBe('ok');
  });

  it('groups under minGroupSize: per-group changes are "not enough data", no parity check', () => {
    const small = computeDrift(side('baseline', 200), side('current', 200));
    const y = find(small.checks, { metric: 'selection_rate', class: 'low', statistic: 'z_test', group: 'Y' });
    expect(y.status).toBe('ok');
    expect(y.message).toMatch(/^Not enough data/);
    expect(small.checks.some((c) => c.kind === 'fairness')).toBe(false);
  });
});
