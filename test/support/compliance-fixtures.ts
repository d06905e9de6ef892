/**
 * Hand-built FairnessResult fixtures for the compliance specs (the fairness engine's output shape).
 * Rates come from the counts given; impactRatio = favourable rate / highest favourable rate in the slice.
 * Kept in test/support, out of the product source.
 */
import type { AuditMetrics } from '../../src/core/tasks/types';
import type { FairnessResult, GroupResult, MetricValue, SliceResult } from '../../src/core/fairness/types';
import type { Documentation } from '../../src/core/compliance/documentation';
import type { ComplianceInput } from '../../src/core/compliance/rule-spec';

export interface GroupSpec {
  /** Group value; intersections join values with "|" (e.g. "Black|Female"). */
  name: string;
  n: number;
  selected: number;
  /** Holm-adjusted p of selection_rate vs the reference group. */
  p?: number | null;
  fnr?: number;
  fpr?: number;
  /** Holm-adjusted p of the error-rate differences vs the reference group. */
  gapP?: number | null;
  auc?: number | null;
  aucCi?: [number, number];
  scoringRate?: number;
}

export interface SliceSpec {
  attributes: string[];
  groups: GroupSpec[];
  /** Reference group name; default the largest group. */
  reference?: string;
  droppedRows?: number;
}

export interface ResultOptions {
  favorableOutcome?: 'positive' | 'negative';
  labelFree?: boolean;
  overallAuc?: number | null;
  minGroupSize?: number;
}

const rate = (num: number, den: number): MetricValue => ({
  value: den > 0 ? num / den : null,
  ciLow: null,
  ciHigh: null,
  numerator: num,
  denominator: den,
});

function buildSlice(spec: SliceSpec, o: Required<ResultOptions>): SliceResult {
  const total = spec.groups.reduce((s, g) => s + g.n, 0);
  const refSpec =
    spec.groups.find((g) => g.name === spec.reference) ?? [...spec.groups].sort((a, b) => b.n - a.n)[0];
  const fav = (g: GroupSpec): number => {
    const sr = g.n > 0 ? g.selected / g.n : 0;
    return o.favorableOutcome === 'positive' ? sr : 1 - sr;
  };
  const maxFav = Math.max(...spec.groups.map(fav));
  const keyOf = (g: GroupSpec): Record<string, string> => {
    const values = g.name.split('|');
    return Object.fromEntries(spec.attributes.map((a, i) => [a, values[i] ?? '']));
  };
  const groups = spec.groups.map((g): GroupResult => {
    const isRef = g === refSpec;
    const metrics: GroupResult['metrics'] = { count: { value: g.n }, selection_rate: rate(g.selected, g.n) };
    const disparities: GroupResult['disparities'] = {
      selection_rate: {
        difference: refSpec ? g.selected / g.n - refSpec.selected / refSpec.n : null,
        ratio: null,
        pValue: isRef ? null : (g.p ?? null),
        pValueAdjusted: isRef ? null : (g.p ?? null),
        impactRatio: maxFav > 0 ? fav(g) / maxFav : null,
      },
    };
    if (!o.labelFree) {
      for (const [key, value] of [
        ['false_negative_rate', g.fnr],
        ['false_positive_rate', g.fpr],
      ] as const) {
        if (value === undefined) continue;
        metrics[key] = { value, denominator: g.n };
        const refValue = key === 'false_negative_rate' ? refSpec?.fnr : refSpec?.fpr;
        disparities[key] = {
          difference: refValue === undefined ? null : value - refValue,
          ratio: null,
          pValueAdjusted: isRef ? null : (g.gapP ?? null),
        };
      }
      if (g.auc !== undefined) {
        metrics.roc_auc = { value: g.auc, ciLow: g.aucCi?.[0] ?? null, ciHigh: g.aucCi?.[1] ?? null };
      }
    }
    if (g.scoringRate !== undefined) metrics.scoring_rate = { value: g.scoringRate };
    const flags: GroupResult['flags'] = [];
    if (isRef) flags.push('reference');
    if (g.n < o.minGroupSize) flags.push('insufficient_sample');
    return { key: keyOf(g), count: g.n, share: total > 0 ? g.n / total : 0, metrics, disparities, flags };
  });
  return {
    attributes: spec.attributes,
    reference: refSpec ? keyOf(refSpec) : {},
    groups,
    summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
    ...(spec.droppedRows !== undefined ? { droppedRows: spec.droppedRows } : {}),
  };
}

export function fairnessResult(slices: SliceSpec[], options: ResultOptions = {}): FairnessResult {
  const o: Required<ResultOptions> = {
    favorableOutcome: options.favorableOutcome ?? 'positive',
    labelFree: options.labelFree ?? false,
    overallAuc: options.overallAuc === undefined ? 0.75 : options.overallAuc,
    minGroupSize: options.minGroupSize ?? 30,
  };
  const first = slices[0];
  const n = first ? first.groups.reduce((s, g) => s + g.n, 0) : 0;
  const selected = first ? first.groups.reduce((s, g) => s + g.selected, 0) : 0;
  return {
    overall: {
      count: n,
      metrics: {
        selection_rate: rate(selected, n),
        ...(o.labelFree ? {} : { roc_auc: { value: o.overallAuc, ciLow: null, ciHigh: null } }),
      },
    },
    slices: slices.map((s) => buildSlice(s, o)),
    labelFree: o.labelFree,
    conventions: {
      referenceStrategy: 'largest',
      favorableOutcome: o.favorableOutcome,
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize: o.minGroupSize,
      missingAttribute: 'group',
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'katz', auc: 'delong-logit' },
      tests: { proportions: 'two-proportion-z|fisher-exact', adjustment: 'holm' },
    },
  };
}

export const FULL_DOCUMENTATION: Documentation = {
  intendedUse: 'Refer adults with chronic conditions to care management.',
  users: 'Care managers',
  setting: 'Outpatient primary care, three sites',
  targetPopulation: 'Adults 18+ enrolled in primary care',
  dataSources: 'EHR extract, sites A-C',
  inclusionExclusion: 'Adults with at least one visit in the period',
  fairnessApproach: 'Impact ratios and error-rate gaps by race, sex and age each quarter',
  mitigations: 'Threshold review per group; human review of declined referrals',
  protectedInputs: 'Age is an input; zip code reviewed as a race proxy and removed',
  protectedInputsReviewedAt: '2026-10-01',
  knownLimitations: 'Not validated for paediatric patients',
  monitoringPlan: 'Quarterly audit with drift against the pinned baseline',
  monitoringCadence: 'quarterly',
  deidentificationMethod: 'HIPAA safe harbor',
  owner: 'Population Health Analytics',
};

export const NOW = '2026-12-01T00:00:00.000Z';

export function complianceInput(
  result: AuditMetrics,
  overrides: Partial<ComplianceInput> = {},
): ComplianceInput {
  return {
    result,
    drift: { status: 'ok', checks: [] },
    documentation: FULL_DOCUMENTATION,
    audit: {
      rowCount: result.overall.count,
      dataSha256: 'a'.repeat(64),
      createdAt: '2026-11-20T10:00:00.000Z',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      lastAuditAt: '2026-08-25T10:00:00.000Z',
    },
    referencePopulation: undefined,
    now: NOW,
    ...overrides,
  };
}
