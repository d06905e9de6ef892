/**
 * A hand-built, realistic ReportInput for tests and benchmarks: three
 * attributes (race, sex, age_band) and one intersection (race × sex), with one tiny group
 * ("American Indian or Alaska Native", n = 6), drift checks, a 10-point timeline and controls of three
 * frameworks. Rates, Wilson and Katz intervals and z-test p-values are computed here from the counts.
 */
import type { ControlOutcome } from '../../src/core/compliance/types';
import type { DriftReport } from '../../src/core/drift/types';
import type {
  Disparity,
  FairnessResult,
  GroupFlag,
  GroupResult,
  MetricValue,
  RateKey,
  SliceResult,
} from '../../src/core/fairness/types';
import { normalCdf } from '../../src/core/stats';
import type { ReportInput, TimelineSeries } from '../../src/core/reports/types';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

const Z = 1.959963984540054;

function wilson(k: number, n: number): MetricValue {
  if (n === 0) return { value: null, ciLow: null, ciHigh: null, numerator: k, denominator: n };
  const p = k / n;
  const d = 1 + (Z * Z) / n;
  const c = (p + (Z * Z) / (2 * n)) / d;
  const h = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d;
  return { value: p, ciLow: Math.max(0, c - h), ciHigh: Math.min(1, c + h), numerator: k, denominator: n };
}

function rateParts(c: Confusion, key: RateKey): [number, number] {
  const n = c.tp + c.fp + c.tn + c.fn;
  if (key === 'selection_rate') return [c.tp + c.fp, n];
  if (key === 'true_positive_rate') return [c.tp, c.tp + c.fn];
  if (key === 'false_positive_rate') return [c.fp, c.fp + c.tn];
  return [c.tp + c.fn, n];
}

function disparity(g: Confusion, ref: Confusion, key: RateKey, band: [number, number]): Disparity {
  const [k1, n1] = rateParts(g, key);
  const [k0, n0] = rateParts(ref, key);
  if (n1 === 0 || n0 === 0) return { difference: null, ratio: null, withinBand: null };
  const p1 = k1 / n1;
  const p0 = k0 / n0;
  const ratio = p0 === 0 ? null : p1 / p0;
  const pool = (k1 + k0) / (n1 + n0);
  const se = Math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n0));
  const pValue = se === 0 ? 1 : 2 * (1 - normalCdf(Math.abs(p1 - p0) / se));
  let ratioCiLow: number | null = null;
  let ratioCiHigh: number | null = null;
  if (ratio !== null && k1 > 0 && k0 > 0) {
    const s = Math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0);
    ratioCiLow = Math.exp(Math.log(ratio) - Z * s);
    ratioCiHigh = Math.exp(Math.log(ratio) + Z * s);
  }
  return {
    difference: p1 - p0,
    ratio,
    ratioCiLow,
    ratioCiHigh,
    pValue,
    test: 'z',
    withinBand: ratio === null ? null : ratio >= band[0] && ratio <= band[1],
  };
}

/** Holm adjustment of the p-values of one slice and metric, in place. */
function holm(ds: Disparity[]): void {
  const idx = ds
    .map((d, i) => ({ p: d.pValue ?? null, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null);
  idx.sort((a, b) => a.p - b.p);
  let running = 0;
  idx.forEach((x, rank) => {
    running = Math.max(running, Math.min(1, (idx.length - rank) * x.p));
    const d = ds[x.i];
    if (d) d.pValueAdjusted = running;
  });
}

export function buildSlice(
  attributes: string[],
  cells: { key: Record<string, string>; c: Confusion; auc?: number }[],
  minGroupSize = 30,
  band: [number, number] = [0.8, 1.25],
): SliceResult {
  const total = cells.reduce((s, x) => s + x.c.tp + x.c.fp + x.c.tn + x.c.fn, 0);
  const nOf = (c: Confusion): number => c.tp + c.fp + c.tn + c.fn;
  const refCell = [...cells].sort((a, b) => nOf(b.c) - nOf(a.c))[0];
  if (!refCell) throw new Error('empty slice');
  const sr = cells.map((x) => (nOf(x.c) === 0 ? null : (x.c.tp + x.c.fp) / nOf(x.c)));
  const maxSr = Math.max(...sr.filter((v): v is number => v !== null));
  const keys: RateKey[] = ['selection_rate', 'true_positive_rate', 'false_positive_rate'];
  const groups: GroupResult[] = cells.map((x, i) => {
    const n = nOf(x.c);
    const isRef = x === refCell;
    const disp: Partial<Record<RateKey, Disparity>> = {};
    for (const k of keys) disp[k] = disparity(x.c, refCell.c, k, band);
    const srd = disp.selection_rate;
    const s = sr[i];
    if (srd) srd.impactRatio = s === null || s === undefined || maxSr === 0 ? null : s / maxSr;
    const flags: GroupFlag[] = [];
    if (isRef) flags.push('reference');
    if (n < minGroupSize) flags.push('insufficient_sample');
    if (srd?.withinBand === false) flags.push('outside_band');
    const pos = x.c.tp + x.c.fn;
    return {
      key: x.key,
      count: n,
      share: n / total,
      metrics: {
        count: { value: n },
        base_rate: wilson(pos, n),
        selection_rate: wilson(x.c.tp + x.c.fp, n),
        true_positive_rate: wilson(x.c.tp, pos),
        false_positive_rate: wilson(x.c.fp, x.c.fp + x.c.tn),
        positive_predictive_value: wilson(x.c.tp, x.c.tp + x.c.fp),
        roc_auc:
          pos === 0 || pos === n
            ? { value: null, ciLow: null, ciHigh: null }
            : { value: x.auc ?? 0.74, ciLow: (x.auc ?? 0.74) - 0.03, ciHigh: (x.auc ?? 0.74) + 0.03 },
      },
      disparities: disp,
      flags,
    };
  });
  for (const k of keys) holm(groups.map((g) => g.disparities[k] ?? { difference: null, ratio: null }));
  const vals = (k: RateKey): number[] =>
    groups.map((g) => g.metrics[k]?.value ?? null).filter((v): v is number => v !== null);
  const srs = vals('selection_rate');
  const tprs = vals('true_positive_rate');
  const fprs = vals('false_positive_rate');
  const irs = groups
    .map((g) => g.disparities.selection_rate?.impactRatio ?? null)
    .filter((v): v is number => v !== null);
  return {
    attributes,
    reference: refCell.key,
    groups,
    summary: {
      demographic_parity_difference: Math.max(...srs) - Math.min(...srs),
      demographic_parity_ratio: Math.min(...srs) / Math.max(...srs),
      equal_opportunity_difference: Math.max(...tprs) - Math.min(...tprs),
      equalized_odds_difference: Math.max(
        Math.max(...tprs) - Math.min(...tprs),
        Math.max(...fprs) - Math.min(...fprs),
      ),
      impact_ratio: Math.min(...irs),
    },
  };
}

export const TINY_GROUP = 'American Indian or Alaska Native';

const RACE_SEX: { race: string; sex: string; c: Confusion; auc: number }[] = [
  { race: 'White', sex: 'Female', c: { tp: 300, fp: 200, tn: 600, fn: 150 }, auc: 0.78 },
  { race: 'White', sex: 'Male', c: { tp: 270, fp: 190, tn: 560, fn: 130 }, auc: 0.77 },
  { race: 'Black', sex: 'Female', c: { tp: 90, fp: 50, tn: 280, fn: 60 }, auc: 0.72 },
  { race: 'Black', sex: 'Male', c: { tp: 75, fp: 47, tn: 240, fn: 58 }, auc: 0.71 },
  { race: 'Asian', sex: 'Female', c: { tp: 35, fp: 23, tn: 80, fn: 22 }, auc: 0.75 },
  { race: 'Asian', sex: 'Male', c: { tp: 30, fp: 20, tn: 70, fn: 20 }, auc: 0.74 },
  { race: TINY_GROUP, sex: 'Female', c: { tp: 1, fp: 0, tn: 2, fn: 1 }, auc: 0.5 },
  { race: TINY_GROUP, sex: 'Male', c: { tp: 0, fp: 1, tn: 1, fn: 0 }, auc: 0.5 },
];

function add(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, tn: a.tn + b.tn, fn: a.fn + b.fn };
}

function margin(attr: 'race' | 'sex'): { key: Record<string, string>; c: Confusion; auc: number }[] {
  const m = new Map<string, Confusion>();
  for (const x of RACE_SEX) {
    const k = x[attr];
    m.set(k, add(m.get(k) ?? { tp: 0, fp: 0, tn: 0, fn: 0 }, x.c));
  }
  return [...m.entries()].map(([k, c]) => ({ key: { [attr]: k }, c, auc: k === 'Black' ? 0.71 : 0.76 }));
}

export function sampleFairnessResult(): FairnessResult {
  const all = RACE_SEX.reduce((s, x) => add(s, x.c), { tp: 0, fp: 0, tn: 0, fn: 0 });
  const n = all.tp + all.fp + all.tn + all.fn;
  return {
    overall: { count: n, metrics: { count: { value: n }, selection_rate: wilson(all.tp + all.fp, n) } },
    slices: [
      buildSlice(['race'], margin('race')),
      buildSlice(['sex'], margin('sex')),
      buildSlice(
        ['age_band'],
        [
          { key: { age_band: '18–39' }, c: { tp: 180, fp: 170, tn: 500, fn: 150 }, auc: 0.76 },
          { key: { age_band: '40–64' }, c: { tp: 300, fp: 230, tn: 900, fn: 176 }, auc: 0.75 },
          { key: { age_band: '65 and over' }, c: { tp: 321, fp: 131, tn: 384, fn: 164 }, auc: 0.73 },
        ],
      ),
      buildSlice(
        ['race', 'sex'],
        RACE_SEX.map((x) => ({ key: { race: x.race, sex: x.sex }, c: x.c, auc: x.auc })),
      ),
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

export function sampleDrift(): DriftReport {
  return {
    status: 'alert',
    checks: [
      {
        kind: 'fairness',
        attributes: ['race'],
        metric: 'impact_ratio',
        statistic: 'band_crossing',
        value: 0.72,
        baseline: 0.84,
        current: 0.72,
        status: 'alert',
        message:
          'The lowest impact ratio for race fell from 0.84 to 0.72, crossing the 0.8 fairness threshold.',
      },
      {
        kind: 'score',
        statistic: 'psi',
        value: 0.27,
        status: 'alert',
        message: 'The distribution of risk scores has shifted strongly since the baseline audit (PSI 0.27).',
      },
      {
        kind: 'population',
        attributes: ['age_band'],
        statistic: 'psi',
        value: 0.14,
        status: 'warning',
        message: 'The age mix of patients has changed moderately: more patients aged 65 and over.',
      },
      {
        kind: 'performance',
        attributes: ['race'],
        key: { race: TINY_GROUP },
        metric: 'true_positive_rate',
        statistic: 'z_test',
        value: 2.1,
        pValue: 0.04,
        status: 'warning',
        message: `The true positive rate of ${TINY_GROUP} patients changed (6 patients this audit).`,
      },
      {
        kind: 'label',
        statistic: 'chi_square',
        value: 1.2,
        pValue: 0.27,
        status: 'ok',
        message: 'Outcome rates are stable.',
      },
      {
        kind: 'population',
        attributes: ['sex'],
        statistic: 'psi',
        value: 0.01,
        status: 'ok',
        message: 'The sex mix is stable.',
      },
    ],
  };
}

export function sampleTimeline(points = 10): TimelineSeries[] {
  const race = ['White', 'Black', 'Asian', TINY_GROUP];
  const sex = ['Female', 'Male'];
  const at = (i: number): string => new Date(Date.UTC(2025, 4 + i, 1, 9, 0, 0)).toISOString();
  const mk = (attribute: string, values: string[], base: number[]): TimelineSeries => ({
    metric: 'selection_rate',
    attribute,
    points: Array.from({ length: points }, (_, i) => {
      const vals = values.map(
        (_, j) => Math.round(((base[j] ?? 0.4) - (j === 1 ? 0.01 * i : 0.002 * i)) * 1000) / 1000,
      );
      const max = Math.max(...vals.slice(0, 3));
      const min = Math.min(...vals.slice(0, 3));
      return {
        at: at(i),
        auditId: `audit-${String(i + 1).padStart(2, '0')}`,
        summary: {
          impact_ratio: Math.round((min / max) * 1000) / 1000,
          demographic_parity_difference: max - min,
        },
        groups: values.map((v, j) => ({
          key: { [attribute]: v },
          value: vals[j] ?? null,
          count: v === TINY_GROUP ? 5 : 400,
        })),
      };
    }),
  });
  return [mk('race', race, [0.41, 0.38, 0.37, 0.5]), mk('sex', sex, [0.36, 0.35])];
}

export function sampleControls(policyVersion = 3): ControlOutcome[] {
  const black = { race: 'Black' };
  return [
    {
      framework: 'nist-ai-rmf',
      controlId: 'MEASURE 2.11',
      title: 'Fairness and bias evaluated; results documented',
      status: 'fail',
      evidence: [
        {
          metric: 'selection_rate',
          attributes: ['race'],
          group: black,
          value: 0.72,
          ciLow: 0.66,
          ciHigh: 0.79,
          pValue: 0.0001,
          threshold: 0.8,
          count: 900,
        },
      ],
      rationale:
        'The selection rate of Black patients is 72% of that of White patients, below 0.8, and the gap is statistically significant.',
      policyVersion,
    },
    {
      framework: 'nist-ai-rmf',
      controlId: 'MEASURE 2.10',
      title: 'Privacy risk examined',
      status: 'pass',
      evidence: [{ metric: 'suppression.applied', value: 'yes' }],
      rationale: 'Small-cell suppression is applied to every count from 1 to 10.',
      policyVersion,
    },
    {
      framework: 'nist-ai-rmf',
      controlId: 'MEASURE 2.4',
      title: 'Behaviour monitored in production',
      status: 'review',
      evidence: [{ metric: 'drift.status', value: 'alert' }],
      rationale: 'Drift since the baseline audit needs human review: scores shifted strongly.',
      policyVersion,
    },
    {
      framework: 'nist-ai-rmf',
      controlId: 'MAP 1.1',
      title: 'Intended purpose, users, setting and impacts documented',
      status: 'pass',
      evidence: [{ metric: 'documentation.intendedUse', value: 'present' }],
      rationale: 'The intended use is documented.',
      policyVersion,
    },
    {
      framework: 'hhs-1557',
      controlId: '45 CFR 92.210(b)',
      title:
        'Identify patient care decision support tools that use protected characteristics and their risks',
      status: 'fail',
      evidence: [{ metric: 'impact_ratio', attributes: ['race'], group: black, value: 0.72, threshold: 0.8 }],
      rationale: 'A group defined by race has an impact ratio below 0.8 that is statistically significant.',
      policyVersion,
    },
    {
      framework: 'hhs-1557',
      controlId: '45 CFR 92.210(a)',
      title: 'No discrimination through patient care decision support tools',
      status: 'review',
      evidence: [
        {
          metric: 'selection_rate',
          attributes: ['race'],
          group: { race: TINY_GROUP },
          value: 0.333,
          count: 6,
        },
      ],
      rationale: `The ${TINY_GROUP} group has only 6 patients, below the minimum of 30: results are too uncertain.`,
      policyVersion,
    },
    {
      framework: 'eeoc-ugesp',
      controlId: '29 CFR 1607.4(D)',
      title: 'Four-fifths rule of thumb',
      status: 'fail',
      evidence: [
        {
          metric: 'impact_ratio',
          attributes: ['race'],
          group: black,
          value: 0.72,
          pValue: 0.0001,
          threshold: 0.8,
        },
      ],
      rationale: 'The impact ratio of Black patients is 0.72, below four-fifths, and significant.',
      policyVersion,
    },
    {
      framework: 'eeoc-ugesp',
      controlId: '29 CFR 1607.4(A)-(B)',
      title: 'Records of impact by sex and race/ethnic group kept',
      status: 'pass',
      evidence: [{ metric: 'records.retained', value: 'yes' }],
      rationale: 'Per-group results by sex and race are retained with this audit.',
      policyVersion,
    },
  ];
}

export function sampleReportInput(options: { timelinePoints?: number } = {}): ReportInput {
  const result = sampleFairnessResult();
  return {
    report: {
      id: 'rpt-2026-03-0042',
      title: 'Fairness audit: Readmission risk model',
      createdAt: '2026-03-12T10:30:00.000Z',
      fingerprint: '9f2c1a7b3e4d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8',
    },
    organization: { name: 'Riverside Health System' },
    model: {
      name: 'Readmission risk',
      version: '2.3.1',
      description: 'Predicts 30-day readmission after discharge.',
      intendedUse: 'Flag adult inpatients for follow-up calls by the care-transition team.',
      owner: 'Clinical Analytics',
    },
    audit: {
      id: 'aud-7c1e',
      name: 'Q1 2026 audit',
      createdAt: '2026-03-10T08:00:00.000Z',
      periodStart: '2026-01-01T00:00:00.000Z',
      periodEnd: '2026-03-01T00:00:00.000Z',
      rowCount: result.overall.count,
      dataSha256: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
      columnsUsed: {
        label: 'readmitted_30d',
        prediction: 'flag',
        score: 'risk_score',
        attributes: ['race', 'sex', 'age_band'],
      },
      config: {
        favorableOutcome: 'positive',
        reference: { strategy: 'largest' },
        minGroupSize: 30,
        threshold: 0.5,
      },
    },
    result,
    drift: sampleDrift(),
    timeline: sampleTimeline(options.timelinePoints ?? 10),
    controls: sampleControls(),
    policyVersion: 3,
    alpha: 0.05,
    catalogVersion: '2026.06',
    softwareVersion: '0.1.0',
  };
}
