/**
 * Hand-built regression and multiclass ReportInputs for tests and the look of the PDF: seeded synthetic rows
 * (no Fairwatch code), their results computed here with textbook formulas (normal-approximation intervals
 * for means, Wilson for rates, delta-method ratios). Both have a tiny group ("American Indian or Alaska
 * Native", n = 6) and a small one ("Asian", n = 40) whose deciles or classes hold 1 to 10 people.
 */
import type { ControlOutcome } from '../../src/core/compliance/types';
import type { Disparity, GroupFlag, MetricValue } from '../../src/core/fairness/types';
import type { ReportInput } from '../../src/core/reports/types';
import type {
  ClassMetrics,
  MulticlassGroupResult,
  MulticlassResult,
  PredictionDecile,
  RegressionGroupResult,
  RegressionMetricKey,
  RegressionResult,
} from '../../src/core/tasks/types';

const Z = 1.959963984540054;

/** Park–Miller LCG in [0, 1): deterministic rows without Math.random. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanValue(xs: readonly number[]): MetricValue {
  if (xs.length === 0) return { value: null, ciLow: null, ciHigh: null };
  const m = mean(xs);
  if (xs.length < 2) return { value: m, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  const h = (Z * sd) / Math.sqrt(xs.length);
  return { value: m, ciLow: m - h, ciHigh: m + h };
}

export interface RegressionRow {
  group: Record<string, string>;
  target: number;
  prediction: number;
}

/** Cut points of deciles 1..9: numpy's default (linear) quantiles. */
export function decileCuts(values: readonly number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  return [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => {
    const pos = ((s.length - 1) * k) / 10;
    const lo = Math.floor(pos);
    const a = s[lo] ?? 0;
    const b = s[Math.min(lo + 1, s.length - 1)] ?? a;
    return a + (b - a) * (pos - lo);
  });
}

function deciles(rows: readonly RegressionRow[], cuts: readonly number[]): PredictionDecile[] {
  return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => {
    const inD = rows.filter((r) => {
      const lo = d === 1 ? -Infinity : (cuts[d - 2] ?? 0);
      const hi = d === 10 ? Infinity : (cuts[d - 1] ?? 0);
      return r.prediction > lo && r.prediction <= hi;
    });
    return {
      decile: d,
      count: inD.length,
      meanPrediction: inD.length > 0 ? mean(inD.map((r) => r.prediction)) : null,
      meanTarget: meanValue(inD.map((r) => r.target)),
    };
  });
}

function regressionMetrics(
  rows: readonly RegressionRow[],
): Partial<Record<RegressionMetricKey, MetricValue>> {
  const t = rows.map((r) => r.target);
  const e = rows.map((r) => r.prediction - r.target);
  const mt = mean(t);
  const sse = e.reduce((a, x) => a + x * x, 0);
  const sst = t.reduce((a, x) => a + (x - mt) ** 2, 0);
  const rmse = Math.sqrt(sse / rows.length);
  const r2 = sst === 0 ? null : 1 - sse / sst;
  return {
    count: { value: rows.length },
    mean_target: meanValue(t),
    mean_prediction: meanValue(rows.map((r) => r.prediction)),
    mean_error: meanValue(e),
    mean_absolute_error: meanValue(e.map(Math.abs)),
    root_mean_squared_error: { value: rmse, ciLow: rmse * 0.9, ciHigh: rmse * 1.1 },
    r2: { value: r2, ciLow: r2 === null ? null : r2 - 0.05, ciHigh: r2 === null ? null : r2 + 0.05 },
  };
}

/** Difference (normal) and ratio (delta method on the log scale) of two means with intervals. */
function meanGap(a: MetricValue | undefined, b: MetricValue | undefined): Disparity {
  const va = a?.value;
  const vb = b?.value;
  if (typeof va !== 'number' || typeof vb !== 'number') return { difference: null, ratio: null };
  const se = (m: MetricValue | undefined): number =>
    typeof m?.ciHigh === 'number' && typeof m.ciLow === 'number' ? (m.ciHigh - m.ciLow) / (2 * Z) : 0;
  const sd = Math.hypot(se(a), se(b));
  const ratio = vb === 0 ? null : va / vb;
  const slr = va > 0 && vb > 0 ? Math.hypot(se(a) / va, se(b) / vb) : null;
  return {
    difference: va - vb,
    differenceCiLow: va - vb - Z * sd,
    differenceCiHigh: va - vb + Z * sd,
    ratio,
    ratioCiLow: ratio !== null && slr !== null ? Math.exp(Math.log(ratio) - Z * slr) : null,
    ratioCiHigh: ratio !== null && slr !== null ? Math.exp(Math.log(ratio) + Z * slr) : null,
  };
}

export function regressionResultOf(
  rows: readonly RegressionRow[],
  attributes: string[],
  reference: Record<string, string>,
  minGroupSize = 30,
): RegressionResult {
  const cuts = decileCuts(rows.map((r) => r.prediction));
  const byKey = new Map<string, RegressionRow[]>();
  const keyOf = (g: Record<string, string>): string => attributes.map((a) => g[a] ?? '').join('\u0001');
  for (const r of rows) byKey.set(keyOf(r.group), [...(byKey.get(keyOf(r.group)) ?? []), r]);
  const refRows = byKey.get(keyOf(reference)) ?? [];
  const refMetrics = regressionMetrics(refRows);
  const groups: RegressionGroupResult[] = [...byKey.values()].map((gr) => {
    const first = gr[0];
    const key: Record<string, string> = {};
    for (const a of attributes) key[a] = first?.group[a] ?? '';
    const metrics = regressionMetrics(gr);
    const isRef = keyOf(key) === keyOf(reference);
    const flags: GroupFlag[] = [];
    if (isRef) flags.push('reference');
    if (gr.length < minGroupSize) flags.push('insufficient_sample');
    return {
      key,
      count: gr.length,
      share: gr.length / rows.length,
      metrics,
      disparities: Object.fromEntries(
        (
          [
            'mean_target',
            'mean_prediction',
            'mean_error',
            'mean_absolute_error',
            'root_mean_squared_error',
            'r2',
          ] as const
        ).map((k) => [k, meanGap(metrics[k], refMetrics[k])]),
      ),
      predictionDeciles: deciles(gr, cuts),
      flags,
    };
  });
  return {
    task: 'regression',
    overall: { count: rows.length, metrics: regressionMetrics(rows), predictionDeciles: deciles(rows, cuts) },
    decileCutPoints: cuts,
    slices: [{ attributes, reference, groups, summary: {} }],
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
}

/** Cost rows: the model under-predicts Black patients' cost by about 20%. */
export function sampleRegressionRows(): RegressionRow[] {
  const r = rng(7);
  const rows: RegressionRow[] = [];
  const spec: [string, number, number][] = [
    ['White', 600, 1],
    ['Black', 300, 0.8],
    ['Asian', 40, 1],
    ['American Indian or Alaska Native', 6, 1],
  ];
  for (const [race, n, bias] of spec)
    for (let i = 0; i < n; i++) {
      const target = Math.exp(8.3 + 0.7 * normal(r));
      const prediction = target * bias * Math.exp(0.35 * normal(r));
      rows.push({ group: { race }, target, prediction });
    }
  return rows;
}

const BASE: Omit<ReportInput, 'result' | 'audit'> = {
  report: {
    id: 'rpt-2026-03-0051',
    title: 'Fairness audit: Care cost model',
    createdAt: '2026-03-12T10:30:00.000Z',
    fingerprint: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
  },
  organization: { name: 'Riverside Health System' },
  model: {
    name: 'Care cost',
    version: '1.4.0',
    intendedUse: 'Rank patients for the care-management programme.',
  },
  drift: null,
  timeline: [],
  controls: [],
  policyVersion: 3,
  alpha: 0.05,
  catalogVersion: '2026.06',
  softwareVersion: '0.1.0',
};

const audit = (rowCount: number, columns: ReportInput['audit']['columnsUsed'], targetColumn?: string) => ({
  id: 'aud-9d2f',
  name: 'Q1 2026 audit',
  createdAt: '2026-03-10T08:00:00.000Z',
  rowCount,
  dataSha256: 'c6e5156d4f577fb02ff3dd7bcf8a343b2b68dfe215f8b37f827f1b2f3890ef89',
  columnsUsed: columns,
  config: {
    favorableOutcome: 'positive' as const,
    reference: { strategy: 'largest' as const },
    minGroupSize: 30,
    ...(targetColumn ? { targetColumn } : {}),
  },
});

export function sampleRegressionInput(
  result = regressionResultOf(sampleRegressionRows(), ['race'], { race: 'White' }),
): ReportInput<RegressionResult> {
  return {
    ...BASE,
    audit: audit(
      result.overall.count,
      { prediction: 'predicted_cost', target: 'cost', attributes: ['race'] },
      'cost',
    ),
    result,
  };
}

// ---------------------------------------------------------------- multiclass

function wilson(k: number, n: number): MetricValue {
  if (n === 0) return { value: null, ciLow: null, ciHigh: null, numerator: k, denominator: n };
  const p = k / n;
  const d = 1 + (Z * Z) / n;
  const c = (p + (Z * Z) / (2 * n)) / d;
  const h = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d;
  return { value: p, ciLow: Math.max(0, c - h), ciHigh: Math.min(1, c + h), numerator: k, denominator: n };
}

function rateGap(a: MetricValue | undefined, b: MetricValue | undefined): Disparity {
  const va = a?.value;
  const vb = b?.value;
  if (typeof va !== 'number' || typeof vb !== 'number') return { difference: null, ratio: null };
  return { ...meanGap(a, b), pValue: null };
}

/** confusion[actual][predicted] counts of one group. */
export type ClassConfusion = Record<string, Record<string, number>>;

function classMetrics(
  cm: ClassConfusion,
  classes: readonly string[],
): { n: number; correct: number; classes: Record<string, ClassMetrics> } {
  const n = classes.reduce((s, a) => s + classes.reduce((t, p) => t + (cm[a]?.[p] ?? 0), 0), 0);
  const correct = classes.reduce((s, c) => s + (cm[c]?.[c] ?? 0), 0);
  const out: Record<string, ClassMetrics> = {};
  for (const c of classes) {
    const tp = cm[c]?.[c] ?? 0;
    const actual = classes.reduce((s, p) => s + (cm[c]?.[p] ?? 0), 0);
    const predicted = classes.reduce((s, a) => s + (cm[a]?.[c] ?? 0), 0);
    out[c] = {
      selection_rate: wilson(predicted, n),
      true_positive_rate: wilson(tp, actual),
      false_positive_rate: wilson(predicted - tp, n - actual),
      positive_predictive_value: wilson(tp, predicted),
    };
  }
  return { n, correct, classes: out };
}

export function multiclassResultOf(
  groups: { key: Record<string, string>; cm: ClassConfusion }[],
  classes: string[],
  reference: Record<string, string>,
  minGroupSize = 30,
): MulticlassResult {
  const attributes = Object.keys(groups[0]?.key ?? {});
  const total: ClassConfusion = {};
  for (const g of groups)
    for (const a of classes)
      for (const p of classes) {
        total[a] ??= {};
        total[a][p] = (total[a]?.[p] ?? 0) + (g.cm[a]?.[p] ?? 0);
      }
  const all = classMetrics(total, classes);
  const per = groups.map((g) => ({ g, m: classMetrics(g.cm, classes) }));
  const ref = per.find((x) => attributes.every((a) => x.g.key[a] === reference[a]));
  const refAcc = ref ? wilson(ref.m.correct, ref.m.n) : undefined;
  const results: MulticlassGroupResult[] = per.map(({ g, m }) => {
    const acc = wilson(m.correct, m.n);
    const isRef = g === ref?.g;
    const flags: GroupFlag[] = [];
    if (isRef) flags.push('reference');
    if (m.n < minGroupSize) flags.push('insufficient_sample');
    return {
      key: g.key,
      count: m.n,
      share: m.n / all.n,
      metrics: { count: { value: m.n }, accuracy: acc },
      classes: m.classes,
      disparities: {
        accuracy: rateGap(acc, refAcc),
        classes: Object.fromEntries(
          classes.map((c) => [
            c,
            {
              selection_rate: rateGap(m.classes[c]?.selection_rate, ref?.m.classes[c]?.selection_rate),
              true_positive_rate: rateGap(
                m.classes[c]?.true_positive_rate,
                ref?.m.classes[c]?.true_positive_rate,
              ),
            },
          ]),
        ),
      },
      flags,
    };
  });
  return {
    task: 'multiclass',
    labelFree: false,
    classes,
    overall: {
      count: all.n,
      metrics: { count: { value: all.n }, accuracy: wilson(all.correct, all.n) },
      classes: all.classes,
    },
    slices: [
      {
        attributes,
        reference,
        groups: results,
        summary: { accuracy_difference: null, accuracy_ratio: null, classes: {} },
      },
    ],
    conventions: {
      referenceStrategy: 'largest',
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize,
      missingAttribute: 'group',
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'koopman' },
      tests: { proportions: 'z-or-fisher', adjustment: 'holm' },
    },
  };
}

/** Triage level (low / medium / high): the model is less accurate for Black patients, and rarely says "high" for them. */
export const SAMPLE_CONFUSIONS: { key: Record<string, string>; cm: ClassConfusion }[] = [
  {
    key: { race: 'White' },
    cm: {
      low: { low: 240, medium: 30, high: 10 },
      medium: { low: 25, medium: 110, high: 20 },
      high: { low: 5, medium: 15, high: 45 },
    },
  },
  {
    key: { race: 'Black' },
    cm: {
      low: { low: 110, medium: 25, high: 5 },
      medium: { low: 30, medium: 60, high: 12 },
      high: { low: 14, medium: 24, high: 20 },
    },
  },
  {
    key: { race: 'Asian' },
    cm: {
      low: { low: 16, medium: 3, high: 1 },
      medium: { low: 2, medium: 12, high: 1 },
      high: { low: 0, medium: 1, high: 4 },
    },
  },
  {
    key: { race: 'American Indian or Alaska Native' },
    cm: {
      low: { low: 3, medium: 0, high: 0 },
      medium: { low: 1, medium: 2, high: 0 },
      high: { low: 0, medium: 0, high: 1 },
    },
  },
];

export function sampleMulticlassInput(
  result = multiclassResultOf(SAMPLE_CONFUSIONS, ['low', 'medium', 'high'], { race: 'White' }),
): ReportInput<MulticlassResult> {
  return {
    ...BASE,
    report: { ...BASE.report, title: 'Fairness audit: Triage level model' },
    model: { name: 'Triage level', version: '2.0.0' },
    audit: audit(result.overall.count, {
      label: 'triage_level',
      prediction: 'predicted_level',
      attributes: ['race'],
    }),
    result,
  };
}

export const SAMPLE_CONTROLS: ControlOutcome[] = [];
