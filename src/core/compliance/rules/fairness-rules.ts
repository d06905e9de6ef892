import type { FairnessResult, GroupResult, SliceResult } from '../../fairness/types';
import { attributesLabel, groupLabel, headCount, metricName, percent, pointLimit, points } from '../format';
import type { ComplianceThresholds, CompliancePolicy } from '../policy';
import type { GapMetric, RuleSpec, RuleVerdict } from '../rule-spec';
import {
  compareProportions,
  groupSizeToDetect,
  holmAdjust,
  minDetectableRatios,
  scoreRatioInterval,
  zCritical,
} from '../../stats';
import { verdict, verdictFromFindings, type Finding } from './verdict';

type Thresholds = Pick<
  ComplianceThresholds,
  'irMin' | 'gapMax' | 'alpha' | 'nMin' | 'minEvents' | 'smallCategoryShare'
>;
type FairnessPolicy = Pick<CompliancePolicy, 'excludeSmallCategoriesFromImpactRatio'> &
  Partial<Pick<CompliancePolicy, 'multipleTesting'>> & {
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

/** Power of the evidence check (metrics.md, "Evidence"). */
const EVIDENCE_POWER = 0.8;

/**
 * Koopman's score interval of the impact ratio: the group's favourable rate over the most-favoured group's
 * (defined when the group has no favourable outcomes, where Katz's was not).
 */
function impactRatioInterval(r: IrRow, top: IrRow | null, rate: IrRate, level: number) {
  const n1 = r.group.metrics[rate]?.denominator;
  const n2 = top?.group.metrics[rate]?.denominator;
  if (!top || r.favorableEvents === null || top.favorableEvents === null || !n1 || !n2) return null;
  const x1 = Math.min(n1, Math.max(0, r.favorableEvents));
  const x2 = Math.min(n2, Math.max(0, top.favorableEvents));
  const interval = scoreRatioInterval(x1, n1, x2, n2, zCritical(level));
  if (interval === null) return null;
  const ir = r.ir ?? 0;
  return { low: Math.min(interval.low, ir), high: Math.max(interval.high, ir) };
}

/**
 * Whether the audit could see an impact ratio at the threshold for this group: the minimum detectable
 * ratio against the most-favoured group (its favourable rate and size; two-sided z-test at alpha, 80%
 * power) and, when the threshold lies inside the undetectable range, how many people in the group would
 * make it detectable (null when no group size would: the most-favoured group is too small itself).
 */
export interface ImpactEvidence {
  minDetectableRatio: number | null;
  conclusive: boolean;
  /** Group size at which a ratio at the threshold becomes detectable; null when none suffices. */
  neededSize: number | null;
}

export function impactEvidence(
  groupSize: number,
  topRate: number,
  topSize: number,
  threshold: number,
  alpha: number,
): ImpactEvidence {
  const ratios = minDetectableRatios(topRate, groupSize, topSize, alpha, EVIDENCE_POWER);
  const below = ratios?.below ?? null;
  const conclusive = below !== null && below >= threshold;
  const needed = conclusive ? null : groupSizeToDetect(threshold, topRate, topSize, alpha, EVIDENCE_POWER);
  return { minDetectableRatio: below, conclusive, neededSize: needed === null ? null : Math.ceil(needed) };
}

const pOf = (d: { pValueAdjusted?: number | null; pValue?: number | null } | undefined): number | null =>
  d?.pValueAdjusted ?? d?.pValue ?? null;

/** Adjusted p-value of (group index, rate key) in a slice. */
type SlicePValues = (group: number, key: string) => number | null;

/**
 * The p-values the rules judge. Family "metric": the stored adjusted ones (the groups of the slice for one
 * rate), with `vsTop` replacing the impact-ratio rate's by tests against the most-favoured group, Holm-adjusted
 * over the slice (see pValuesVsTop). Family "slice": Holm over every raw p-value of the slice at once, the
 * impact-ratio rate's raw values replaced by `vsTopRaw` when the rule tested against the top group.
 */
function slicePValues(
  slice: Pick<SliceResult, 'groups'>,
  family: 'metric' | 'slice',
  vsTop?: { rate: string; raw: (number | null)[]; adjusted: (number | null)[] },
): SlicePValues {
  if (family === 'metric') {
    return (g, key) =>
      vsTop && key === vsTop.rate
        ? (vsTop.adjusted[g] ?? null)
        : pOf(slice.groups[g]?.disparities[key as keyof GroupResult['disparities']]);
  }
  const cells: { g: number; key: string; raw: number | null }[] = [];
  slice.groups.forEach((group, g) => {
    for (const [key, d] of Object.entries(group.disparities)) {
      const raw = vsTop && key === vsTop.rate ? (vsTop.raw[g] ?? null) : (d.pValue ?? null);
      cells.push({ g, key, raw });
    }
  });
  const adjusted = holmAdjust(cells.map((c) => c.raw));
  const byCell = new Map(cells.map((c, i) => [`${c.g}\u0000${c.key}`, adjusted[i] ?? null]));
  return (g, key) => byCell.get(`${g}\u0000${key}`) ?? null;
}
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
  slice: Pick<SliceResult, 'reference' | 'groups'>,
  rate: IrRate,
  family: 'metric' | 'slice',
): (number | null)[] {
  const vsTop = testsVsTop(rows, top, slice, rate);
  const adjusted = slicePValues(slice, family, vsTop ?? undefined);
  return rows.map((_, g) => adjusted(g, rate));
}

/** Raw and Holm-adjusted tests against the top group; null when the slice's reference is the top group. */
function testsVsTop(
  rows: IrRow[],
  top: IrRow | null,
  slice: Pick<SliceResult, 'reference'>,
  rate: IrRate,
): { rate: string; raw: (number | null)[]; adjusted: (number | null)[] } | null {
  if (!top || top.group.flags.includes('reference') || sameKey(top.group.key, slice.reference)) return null;
  const topDen = top.group.metrics[rate]?.denominator;
  const topEvents = top.favorableEvents;
  if (topDen === undefined || topEvents === null) return null;
  const raw = rows.map((r) => {
    const den = r.group.metrics[rate]?.denominator;
    if (r === top || r.excluded || den === undefined || r.favorableEvents === null) return null;
    return compareProportions(r.favorableEvents, den, topEvents, topDen)?.pValue ?? null;
  });
  return { rate, raw, adjusted: holmAdjust(raw) };
}

/** Why an impact ratio at or above the threshold does not pass: the audit could not have seen one below it. */
function inconclusiveSentence(
  attrs: string,
  name: string,
  topName: string,
  ir: number,
  irMin: number,
  seen: ImpactEvidence,
  more: number | null,
): string {
  const seeable =
    seen.minDetectableRatio === null
      ? 'the audit could not reliably detect any impact ratio below 100% for it'
      : `the audit could only reliably detect impact ratios below ${percent(seen.minDetectableRatio)} for it`;
  const remedy =
    more === null
      ? `no number of people in ${name} alone would settle it, because the most-favoured group (${topName}) is too small as well`
      : `about ${more} more people in ${name} would make the result conclusive`;
  return `For ${attrs}, the group ${name} receives the favourable outcome at ${percent(ir)} of the rate of the most-favoured group (${topName}), at or above ${irThresholdWords(irMin)}, but ${seeable} (80% power), so the data cannot show that it meets the threshold; ${remedy}.`;
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
  const pValues = pValuesVsTop(rows, top, slice, spec.rate, policy.multipleTesting ?? 'metric');
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
    const base = `For ${attrs}, the group ${name} receives the favourable outcome at ${percent(ir, spec.irMin)} of the rate of the most-favoured group (${topName}), below ${irThresholdWords(spec.irMin)}`;
    if (ir >= spec.irMin) {
      const size = r.group.metrics[spec.rate]?.denominator;
      const topSize = top?.group.metrics[spec.rate]?.denominator;
      if (r === top || top === null || top.favorableRate === null || !size || !topSize)
        return { status: 'pass', evidence, sentence: '', order: ir - spec.irMin };
      const seen = impactEvidence(size, top.favorableRate, topSize, spec.irMin, t.alpha);
      const withEvidence = { ...evidence, minDetectableRatio: seen.minDetectableRatio };
      if (seen.conclusive)
        return { status: 'pass', evidence: withEvidence, sentence: '', order: ir - spec.irMin };
      const more = seen.neededSize === null ? null : Math.max(1, seen.neededSize - Math.ceil(size));
      return {
        status: 'inconclusive',
        evidence: { ...withEvidence, additionalPeopleNeeded: more },
        order: ir - spec.irMin,
        sentence: inconclusiveSentence(attrs, name, topName, ir, spec.irMin, seen, more),
      };
    }
    const small =
      isSmallGroup(r.group, t.nMin) || (r.favorableEvents !== null && r.favorableEvents < t.minEvents);
    if (small) {
      return {
        status: 'review',
        evidence,
        order: ir - spec.irMin,
        sentence: `For ${attrs}, the group ${name} has ${sizeWords(r.group.count)} people, too few to judge its ${percent(ir, spec.irMin)} impact ratio reliably, so a person should review it.`,
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

function gapFindings(
  slice: SliceResult,
  metrics: GapMetric[],
  gapMax: number,
  t: Thresholds,
  family: 'metric' | 'slice',
): Finding[] {
  const attrs = attributesLabel(slice.attributes);
  const refName = groupLabel(slice.reference);
  const findings: Finding[] = [];
  const pValue = slicePValues(slice, family);
  for (const metric of metrics) {
    for (const [index, g] of slice.groups.entries()) {
      const d = g.disparities[metric];
      const diff = d?.difference ?? null;
      if (diff === null || g.flags.includes('reference')) continue;
      const gap = Math.abs(diff);
      const p = pValue(index, metric);
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
  const family = policy.multipleTesting ?? 'metric';
  const findings = result.slices.flatMap((s) =>
    gapFindings(s, spec.metrics, gapMax, policy.thresholds, family),
  );
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
      ...(result.labelFree
        ? []
        : gapFindings(s, spec.gapMetrics, t.gapMax, t, policy.multipleTesting ?? 'metric')),
    ];
    // An inconclusive impact ratio does not stand in for the small-numbers review: that one is worse.
    const flagged = new Set(
      measured
        .filter((f) => f.status === 'review' || f.status === 'fail')
        .map((f) => JSON.stringify(f.evidence.group)),
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
