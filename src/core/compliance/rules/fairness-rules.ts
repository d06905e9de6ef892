import type { FairnessResult, GroupResult, SliceResult } from '../../fairness/types';
import { attributesLabel, groupLabel, headCount, metricName, percent, pointLimit, points } from '../format';
import type { ComplianceThresholds, CompliancePolicy } from '../policy';
import type { GapMetric, RuleSpec, RuleVerdict } from '../rule-spec';
import { compareProportions, holmAdjust, katzRatioInterval, zCritical } from '../../stats';
import { verdict, verdictFromFindings, type Finding } from './verdict';

type Thresholds = Pick<
  ComplianceThresholds,
  'irMin' | 'gapMax' | 'alpha' | 'nMin' | 'minEvents' | 'smallCategoryShare'
>;
type FairnessPolicy = Pick<CompliancePolicy, 'excludeSmallCategoriesFromImpactRatio'> & {
  thresholds: Thresholds;
};
type Result = Pick<FairnessResult, 'slices' | 'labelFree' | 'conventions'>;
type IrRate = 'selection_rate' | 'scoring_rate';

interface IrRow {
  group: GroupResult;
  favorableRate: number | null;
  favorableEvents: number | null;
  ir: number | null;
  excluded: boolean;
}

/** Katz log interval of the impact ratio: the group's favourable rate over the most-favoured group's. */
function impactRatioInterval(r: IrRow, top: IrRow | null, rate: IrRate, level: number) {
  const n1 = r.group.metrics[rate]?.denominator;
  const n2 = top?.group.metrics[rate]?.denominator;
  if (!top || r.favorableEvents === null || top.favorableEvents === null || !n1 || !n2) return null;
  return katzRatioInterval(r.favorableEvents, n1, top.favorableEvents, n2, zCritical(level));
}

const pOf = (d: { pValueAdjusted?: number | null; pValue?: number | null } | undefined): number | null =>
  d?.pValueAdjusted ?? d?.pValue ?? null;
const isSmallGroup = (g: Pick<GroupResult, 'count' | 'flags'>, nMin: number): boolean =>
  g.count < nMin || g.flags.includes('insufficient_sample');
const sizeWords = (n: number): string => (n <= 10 ? headCount(n) : `only ${headCount(n)}`);

/** Favourable rate per group and its impact ratio against the slice's most-favoured group. */
export function impactRatioRows(
  slice: Pick<SliceResult, 'groups'>,
  rate: IrRate,
  favorable: 'positive' | 'negative',
  excludeUnderShare: number | null,
): IrRow[] {
  const rows = slice.groups.map((group): IrRow => {
    const m = group.metrics[rate];
    const v = m?.value ?? null;
    const favorableRate = v === null ? null : favorable === 'positive' ? v : 1 - v;
    const num = m?.numerator;
    const den = m?.denominator;
    const favorableEvents =
      num === undefined ? null : favorable === 'positive' ? num : den === undefined ? null : den - num;
    const excluded = excludeUnderShare !== null && group.share < excludeUnderShare;
    return { group, favorableRate, favorableEvents, ir: null, excluded };
  });
  const rates = rows.filter((r) => !r.excluded && r.favorableRate !== null).map((r) => r.favorableRate ?? 0);
  const max = rates.length > 0 ? Math.max(...rates) : 0;
  for (const row of rows) {
    const given = row.group.disparities.selection_rate?.impactRatio;
    if (rate === 'selection_rate' && excludeUnderShare === null && given !== undefined) row.ir = given;
    else if (!row.excluded && row.favorableRate !== null && max > 0) row.ir = row.favorableRate / max;
  }
  return rows;
}

const sameKey = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * p-values of each row against the most-favoured group. The result's p-values compare with the slice's
 * reference group, so they are used only when that group is the most-favoured one; otherwise each row is
 * tested against the top group from its counts (z or Fisher, Holm-adjusted over the slice).
 */
function pValuesVsTop(
  rows: IrRow[],
  top: IrRow | null,
  slice: Pick<SliceResult, 'reference'>,
  rate: IrRate,
): (number | null)[] {
  const given = rows.map((r) => pOf(r.group.disparities[rate]));
  if (!top || top.group.flags.includes('reference') || sameKey(top.group.key, slice.reference)) return given;
  const topDen = top.group.metrics[rate]?.denominator;
  const topEvents = top.favorableEvents;
  if (topDen === undefined || topEvents === null) return given;
  const raw = rows.map((r) => {
    const den = r.group.metrics[rate]?.denominator;
    if (r === top || r.excluded || den === undefined || r.favorableEvents === null) return null;
    return compareProportions(r.favorableEvents, den, topEvents, topDen)?.pValue ?? null;
  });
  return holmAdjust(raw);
}

function irThresholdWords(irMin: number): string {
  return irMin === 0.8 ? 'the 80% four-fifths threshold' : `the policy's ${percent(irMin)} threshold`;
}

function impactRatioFindings(
  slice: SliceResult,
  spec: { rate: IrRate; requireSignificance: boolean; irMin: number },
  result: Result,
  policy: FairnessPolicy,
): Finding[] {
  const t = policy.thresholds;
  const exclude = policy.excludeSmallCategoriesFromImpactRatio ? t.smallCategoryShare : null;
  const rows = impactRatioRows(slice, spec.rate, result.conventions.favorableOutcome, exclude);
  const attrs = attributesLabel(slice.attributes);
  const top = rows.reduce<IrRow | null>(
    (best, r) =>
      !r.excluded &&
      r.favorableRate !== null &&
      (best === null || r.favorableRate > (best.favorableRate ?? 0))
        ? r
        : best,
    null,
  );
  const topName = top ? groupLabel(top.group.key) : 'none';
  const pValues = pValuesVsTop(rows, top, slice, spec.rate);
  const pByRow = new Map(rows.map((r, i) => [r, pValues[i] ?? null]));
  const usable = rows.filter((r) => r.ir !== null);
  if (usable.length === 0 && rows.some((r) => !r.excluded)) {
    return [
      {
        status: 'review',
        evidence: {
          metric: 'impact_ratio',
          attributes: slice.attributes,
          value: null,
          threshold: spec.irMin,
        },
        sentence: `For ${attrs}, no group received the favourable outcome, so impact ratios cannot be computed and a person should review the result.`,
      },
    ];
  }
  return usable.map((r): Finding => {
    const ir = r.ir ?? 0;
    const name = groupLabel(r.group.key);
    const p = pByRow.get(r) ?? null;
    const ci = impactRatioInterval(r, top, spec.rate, result.conventions.confidenceLevel);
    const evidence = {
      metric: spec.rate === 'selection_rate' ? 'impact_ratio' : 'scoring_impact_ratio',
      attributes: slice.attributes,
      group: r.group.key,
      value: ir,
      ciLow: ci?.low ?? null,
      ciHigh: ci?.high ?? null,
      pValue: p,
      threshold: spec.irMin,
      count: r.group.count,
    };
    // the words say which rate the ratio is of: the favourable outcome, or a score above the median (LL144)
    const outcome =
      spec.rate === 'selection_rate' ? 'receives the favourable outcome' : 'has a score above the median';
    const base = `For ${attrs}, the group ${name} ${outcome} at ${percent(ir, spec.irMin)} of the rate of the most-favoured group (${topName}), below ${irThresholdWords(spec.irMin)}`;
    if (ir >= spec.irMin) return { status: 'pass', evidence, sentence: '', order: ir - spec.irMin };
    const small =
      isSmallGroup(r.group, t.nMin) || (r.favorableEvents !== null && r.favorableEvents < t.minEvents);
    if (small) {
      return {
        status: 'review',
        evidence,
        order: ir - spec.irMin,
        sentence: `For ${attrs}, the group ${name} has ${sizeWords(r.group.count)} people, too few to judge its ${percent(ir, spec.irMin)} ${spec.rate === 'selection_rate' ? '' : 'scoring '}impact ratio reliably, so a person should review it.`,
      };
    }
    if (!spec.requireSignificance)
      return { status: 'fail', evidence, order: ir - spec.irMin, sentence: `${base}.` };
    if (p !== null && p < t.alpha) {
      return {
        status: 'fail',
        evidence,
        order: ir - spec.irMin,
        sentence: `${base}, and the gap is statistically significant.`,
      };
    }
    return {
      status: 'review',
      evidence,
      order: ir - spec.irMin,
      sentence: `${base}, but the gap could be due to chance, so a person should review it.`,
    };
  });
}

function gapFindings(slice: SliceResult, metrics: GapMetric[], gapMax: number, t: Thresholds): Finding[] {
  const attrs = attributesLabel(slice.attributes);
  const refName = groupLabel(slice.reference);
  const findings: Finding[] = [];
  for (const metric of metrics) {
    for (const g of slice.groups) {
      const d = g.disparities[metric];
      const diff = d?.difference ?? null;
      if (diff === null || g.flags.includes('reference')) continue;
      const gap = Math.abs(diff);
      const p = pOf(d);
      const m = g.metrics[metric];
      const evidence = {
        metric: `${metric}.difference`,
        attributes: slice.attributes,
        group: g.key,
        value: diff,
        ciLow: d?.differenceCiLow ?? null,
        ciHigh: d?.differenceCiHigh ?? null,
        pValue: p,
        threshold: gapMax,
        count: g.count,
      };
      const base = `For ${attrs}, the ${metricName(metric)} of the group ${groupLabel(g.key)} differs from the reference group (${refName}) by ${points(gap)}`;
      if (gap <= gapMax) {
        findings.push({ status: 'pass', evidence, sentence: '', order: 1 + gapMax - gap });
      } else if (isSmallGroup(g, t.nMin) || (m?.denominator !== undefined && m.denominator < t.minEvents)) {
        findings.push({
          status: 'review',
          evidence,
          order: 1 + gapMax - gap,
          sentence: `For ${attrs}, the group ${groupLabel(g.key)} has ${sizeWords(g.count)} people, too few to judge its ${points(gap)} gap in ${metricName(metric)} reliably, so a person should review it.`,
        });
      } else if (gap > 2 * gapMax && p !== null && p < t.alpha) {
        findings.push({
          status: 'fail',
          evidence,
          order: 1 + gapMax - gap,
          sentence: `${base}, more than the ${pointLimit(2 * gapMax)}, and the difference is statistically significant.`,
        });
      } else {
        findings.push({
          status: 'review',
          evidence,
          order: 1 + gapMax - gap,
          sentence: `${base}, more than the ${pointLimit(gapMax)}, so a person should review it.`,
        });
      }
    }
  }
  return findings;
}

/** Any group under nMin keeps a slice from passing outright (R-FAIR's small-numbers caveat). */
function smallGroupFindings(slice: SliceResult, nMin: number): Finding[] {
  return slice.groups
    .filter((g) => isSmallGroup(g, nMin))
    .map((g) => ({
      status: 'review' as const,
      evidence: {
        metric: 'count',
        attributes: slice.attributes,
        group: g.key,
        value: g.count,
        threshold: nMin,
        count: g.count,
      },
      order: g.count,
      sentence: `For ${attributesLabel(slice.attributes)}, the group ${groupLabel(g.key)} has ${sizeWords(g.count)} people, fewer than the ${nMin} needed to judge fairness reliably, so a person should review it.`,
    }));
}

const LABELS_MISSING = 'Labels were not supplied, so error rates between groups cannot be compared';

export function evaluateImpactRatio(
  spec: Extract<RuleSpec, { kind: 'impact_ratio' }>,
  result: Result,
  policy: FairnessPolicy,
): RuleVerdict {
  const irMin = spec.irMin ?? policy.thresholds.irMin;
  if (
    spec.rate === 'scoring_rate' &&
    !result.slices.some((s) => s.groups.some((g) => (g.metrics.scoring_rate?.value ?? null) !== null))
  ) {
    return verdict(
      'not_applicable',
      'The model supplied no scores, so scoring rates and their impact ratios do not apply.',
    );
  }
  const findings = result.slices.flatMap((s) => impactRatioFindings(s, { ...spec, irMin }, result, policy));
  const rateWords = spec.rate === 'selection_rate' ? 'favourable outcome' : 'above-median score';
  return verdictFromFindings(
    findings,
    `Every group receives the ${rateWords} at ${percent(irMin)} or more of the rate of the most-favoured group in its category.`,
  );
}

export function evaluateErrorRateGap(
  spec: Extract<RuleSpec, { kind: 'error_rate_gap' }>,
  result: Result,
  policy: FairnessPolicy,
): RuleVerdict {
  if (result.labelFree)
    return verdict('review', `${LABELS_MISSING}, so a person should review error-rate fairness.`);
  const gapMax = spec.gapMax ?? policy.thresholds.gapMax;
  const findings = result.slices.flatMap((s) => gapFindings(s, spec.metrics, gapMax, policy.thresholds));
  return verdictFromFindings(
    findings,
    `In every group the ${spec.metrics.map(metricName).join(' and ')} stay within ${points(gapMax)} of the reference group.`,
  );
}

/** R-FAIR: impact ratios with significance, error-rate gaps, and the small-numbers caveat. */
export function evaluateFairness(
  spec: Extract<RuleSpec, { kind: 'fairness' }>,
  result: Result,
  policy: FairnessPolicy,
): RuleVerdict {
  const t = policy.thresholds;
  const ir = { rate: 'selection_rate' as const, requireSignificance: true, irMin: t.irMin };
  const findings = result.slices.flatMap((s) => {
    const measured = [
      ...impactRatioFindings(s, ir, result, policy),
      ...(result.labelFree ? [] : gapFindings(s, spec.gapMetrics, t.gapMax, t)),
    ];
    const flagged = new Set(
      measured.filter((f) => f.status !== 'pass').map((f) => JSON.stringify(f.evidence.group)),
    );
    const small = smallGroupFindings(s, t.nMin).filter((f) => !flagged.has(JSON.stringify(f.evidence.group)));
    return [...measured, ...small];
  });
  if (result.slices.length === 0)
    return verdict('review', 'No sensitive attribute was audited, so fairness cannot be judged.');
  const outcome = verdictFromFindings(
    findings,
    `Every group receives the favourable outcome at ${percent(t.irMin)} or more of the most-favoured group's rate, and error rates differ by no more than ${points(t.gapMax)}.`,
  );
  if (result.labelFree && outcome.status === 'pass' && spec.gapMetrics.length > 0) {
    return {
      ...outcome,
      status: 'review',
      rationale: `${LABELS_MISSING}; impact ratios alone all meet ${percent(t.irMin)}.`,
    };
  }
  return outcome;
}
