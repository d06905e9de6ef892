import type { FairnessResult, GroupResult, MetricValue } from '../fairness/types';
import type { ColumnarBatch } from '../ingest/batch';
import { argsortFloat64, type SortedOrder } from '../stats';
import { computeDrift } from './compute-drift';
import type { DriftCheck } from './types';

/** Scores (2j + 1)/20 = 0.05, 0.15, …, 0.95, ten rows each: every baseline decile bin holds one value. */
const VALUES = Array.from({ length: 10 }, (_, j) => (2 * j + 1) / 20);
const GROUPS = ['A', 'B', 'C'];

interface GroupSpec {
  level: string;
  /** Index into VALUES of each of the 10 blocks of 10 rows. */
  valueIndex: (block: number) => number;
  positives: number;
}

const unchanged = (level: string): GroupSpec => ({ level, valueIndex: (block) => block, positives: 30 });

/** 100 rows per group; the first `positives` rows of a group have label 1. */
function batch(specs: GroupSpec[]): ColumnarBatch {
  const levels = specs.map((spec) => spec.level);
  const rows = specs.flatMap((spec, code) =>
    Array.from({ length: 100 }, (_, i) => ({
      code,
      score: VALUES[spec.valueIndex(Math.floor(i / 10))]!,
      label: i < spec.positives ? 1 : 0,
    })),
  );
  return {
    rowCount: rows.length,
    labels: Uint8Array.from(rows, (row) => row.label),
    predictions: Uint8Array.from(rows, (row) => (row.score >= 0.5 ? 1 : 0)),
    scores: Float64Array.from(rows, (row) => row.score),
    attributes: [{ name: 'group', levels, codes: Uint16Array.from(rows, (row) => row.code) }],
  };
}

const rate = (numerator: number, denominator: number): MetricValue => ({
  value: numerator / denominator,
  numerator,
  denominator,
});

function group(level: string, tpr: [number, number], selected = 30): GroupResult {
  return {
    key: { group: level },
    count: 100,
    share: 1 / 3,
    metrics: {
      true_positive_rate: rate(...tpr),
      false_positive_rate: rate(10, 70),
      positive_predictive_value: rate(20, 30),
      selection_rate: rate(selected, 100),
    },
    disparities: {},
    flags: [],
  };
}

/** Group B's selection rate is `bSelected`/100, A's and C's 30/100: the summary is over these groups. */
function result(bTpr: [number, number], bSelected: number): FairnessResult {
  const summary = { ratio: bSelected / 30, difference: (30 - bSelected) / 100 };
  return {
    overall: { count: 300, metrics: { selection_rate: rate(90, 300) } },
    slices: [
      {
        attributes: ['group'],
        reference: { group: 'A' },
        groups: [group('A', [40, 50]), group('B', bTpr, bSelected), group('C', [40, 50])],
        summary: {
          demographic_parity_ratio: summary.ratio,
          demographic_parity_difference: summary.difference,
          impact_ratio: null,
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

const baselineSide = {
  batch: batch(GROUPS.map(unchanged)),
  result: result([40, 50], 27),
};

/** Group B's scores move up three values (0.3, capped at 0.95), its label rate 30% → 60%, its TPR 80% → 50%. */
const shiftedSide = {
  batch: batch([
    unchanged('A'),
    { level: 'B', valueIndex: (block) => Math.min(block + 3, 9), positives: 60 },
    unchanged('C'),
  ]),
  result: result([30, 60], 21),
};

const find = (checks: DriftCheck[], where: Partial<DriftCheck> & { level?: string }): DriftCheck[] =>
  checks.filter(
    (check) =>
      (where.kind === undefined || check.kind === where.kind) &&
      (where.statistic === undefined || check.statistic === where.statistic) &&
      (where.metric === undefined || check.metric === where.metric) &&
      (where.level === undefined ? check.key === undefined : check.key?.group === where.level),
  );

const only = (checks: DriftCheck[], where: Partial<DriftCheck> & { level?: string }): DriftCheck => {
  const found = find(checks, where);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('computeDrift', () => {
  it('finds nothing between identical audits', () => {
    const report = computeDrift(baselineSide, {
      batch: batch(GROUPS.map(unchanged)),
      result: baselineSide.result,
    });
    expect(report.status).toBe('ok');
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(report.checks.some((check) => check.kind === 'poisoning')).toBe(false);
    // every kind that has data on both sides is checked
    expect(new Set(report.checks.map((check) => check.kind))).toEqual(
      new Set(['population', 'score', 'label', 'performance', 'fairness']),
    );
    const ks = only(report.checks, { kind: 'score', statistic: 'ks' });
    expect([ks.value, ks.pValue]).toEqual([0, 1]);
    expect(only(report.checks, { kind: 'population', statistic: 'psi', level: undefined }).value).toBe(0);
  });

  it('singles out group B after a shift of its scores and labels', () => {
    const report = computeDrift(baselineSide, shiftedSide);
    expect(report.status).toBe('alert');

    // B's current shares over the baseline deciles: 0, 0, 0, 0.1 ×6, 0.4 (baseline 0.1 each):
    // 3·(0.0001 − 0.1)·ln(0.0001/0.1) + (0.4 − 0.1)·ln 4 = 2.0702538 + 0.4158883 = 2.4861426
    const psiB = only(report.checks, { kind: 'score', statistic: 'psi', level: 'B' });
    expect(psiB.value).toBeCloseTo(2.486142565446914, 12);
    expect(psiB.status).toBe('alert');
    // each value (2j+1)/20 lies in equal-width bin j, so the equal-width bins coincide with the deciles here
    expect(
      only(report.checks, { kind: 'score', statistic: 'psi_equal_width', level: 'B' }).value,
    ).toBeCloseTo(2.486142565446914, 12);
    // scipy.stats.ks_2samp(B before, B after) → D 0.3, p 0.0002248739317492479
    const ksB = only(report.checks, { kind: 'score', statistic: 'ks', level: 'B' });
    expect(ksB.value).toBeCloseTo(0.3, 15);
    expect(ksB.pValue).toBeCloseTo(0.0002248739317492479, 12);
    expect(ksB.status).toBe('warning');
    for (const level of ['A', 'C']) {
      expect(find(report.checks, { kind: 'score', level }).map((check) => check.status)).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
    }

    // B's base rate 30/100 → 60/100: pooled 0.45, z = 0.3/√(0.45·0.55·0.02) = 4.2640143; Holm over 3 groups
    const labelB = only(report.checks, { kind: 'label', level: 'B' });
    expect(labelB.value).toBeCloseTo(0.3 / Math.sqrt(0.45 * 0.55 * 0.02), 12);
    expect([labelB.baseline, labelB.current, labelB.status]).toEqual([0.3, 0.6, 'alert']);
    expect(labelB.message).toBe(
      'The share of positive labels (base rate) of group B in group rose from 30% to 60% (p < 0.001 after Holm).',
    );
    expect(only(report.checks, { kind: 'label', level: 'A' }).status).toBe('ok');

    // B's TPR 40/50 → 30/60: pooled 70/110, SE = √(0.636364·0.363636·(1/50 + 1/60)) = 0.0921132, z = −3.2568881
    const tprB = only(report.checks, { kind: 'performance', metric: 'true_positive_rate', level: 'B' });
    expect(tprB.value).toBeCloseTo(-0.3 / Math.sqrt((70 / 110) * (40 / 110) * (1 / 50 + 1 / 60)), 12);
    expect(tprB.status).toBe('alert');
    expect(
      only(report.checks, { kind: 'performance', metric: 'true_positive_rate', level: 'C' }).status,
    ).toBe('ok');

    // demographic parity ratio 27/30 = 0.9 → 21/30 = 0.7 leaves [0.8, 1.25]; the difference 0.03 → 0.09 moves ≥ 0.05
    const ratio = only(report.checks, { kind: 'fairness', metric: 'demographic_parity_ratio' });
    expect([ratio.status, ratio.value]).toEqual(['alert', expect.closeTo(-0.2, 12)]);
    expect(only(report.checks, { kind: 'fairness', metric: 'demographic_parity_difference' }).status).toBe(
      'warning',
    );

    // the group mix did not change
    expect(
      find(report.checks, { kind: 'population' })
        .concat(find(report.checks, { kind: 'population', level: 'A' }))
        .every((c) => c.status === 'ok'),
    ).toBe(true);
  });

  it('raises poisoning checks naming group B, with the evidence', () => {
    const poisoning = computeDrift(baselineSide, shiftedSide).checks.filter(
      (check) => check.kind === 'poisoning',
    );
    expect(poisoning.map((check) => [check.key, check.statistic, check.status])).toEqual([
      [{ group: 'B' }, 'psi', 'alert'],
      [{ group: 'B' }, 'z_test', 'alert'],
    ]);
    const label = poisoning.find((check) => check.statistic === 'z_test')!;
    expect(label.evidence?.groupChange).toBeCloseTo(0.3, 12);
    expect(label.evidence?.othersLargestChange).toBe(0);
    expect(label.message).toContain('Only group B in group changed sharply');
  });

  it('sorts checks worst first, then by |value|', () => {
    const rank = { alert: 2, warning: 1, ok: 0 };
    const checks = computeDrift(baselineSide, shiftedSide).checks;
    for (let i = 1; i < checks.length; i++) {
      const [before, after] = [checks[i - 1]!, checks[i]!];
      expect(rank[before.status]).toBeGreaterThanOrEqual(rank[after.status]);
      if (before.status === after.status)
        expect(Math.abs(before.value ?? -1)).toBeGreaterThanOrEqual(Math.abs(after.value ?? -1));
    }
  });

  it('reports a group new in the current audit in the population checks only', () => {
    const withD = batch([...GROUPS.map(unchanged), unchanged('D')]);
    const report = computeDrift(baselineSide, { batch: withD, result: baselineSide.result });
    const shareD = only(report.checks, { kind: 'population', statistic: 'z_test', level: 'D' });
    // share 0 of 300 rows → 100 of 400 rows
    expect([shareD.baseline, shareD.current, shareD.status]).toEqual([0, 0.25, 'alert']);
    expect(shareD.message).toBe('The share of group D in group rose from 0% to 25%.');
    expect(find(report.checks, { kind: 'score', level: 'D' })).toEqual([]);
    expect(find(report.checks, { kind: 'label', level: 'D' })).toEqual([]);
  });

  it('skips score and label checks when a side has no scores or labels', () => {
    const { scores: _scores, labels: _labels, ...bare } = baselineSide.batch;
    const report = computeDrift(baselineSide, { batch: bare, result: baselineSide.result });
    expect(report.checks.filter((check) => check.kind === 'score' || check.kind === 'label')).toEqual([]);
  });
});

describe('computeDrift with the score orders given', () => {
  it('reports the same checks as sorting itself', () => {
    const withOrder = (side: typeof baselineSide): typeof baselineSide & { scoreOrder: SortedOrder } => ({
      ...side,
      scoreOrder: argsortFloat64(side.batch.scores!),
    });
    expect(computeDrift(withOrder(baselineSide), withOrder(shiftedSide))).toEqual(
      computeDrift(baselineSide, shiftedSide),
    );
  });
});
