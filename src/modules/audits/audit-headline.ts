import {
  rankDisparities,
  type Disparity,
  type FairnessResult,
  type GroupResult,
  type SliceResult,
} from '../../core/fairness';
import { isBinaryResult, type AuditMetrics } from '../../core/tasks';
import { multiclassHeadline, type MulticlassAuditSummary } from './multiclass-headline';
import { regressionHeadline, type RegressionAuditSummary } from './regression-headline';

/** The headline of an audit, stored with it and served as is (AuditSummaryDto describes it in OpenAPI). */
export interface AuditSummary {
  overall: OverallGlance;
  labelFree: boolean;
  /** Groups (over all slices) carrying a flag other than "reference". */
  flaggedGroups: number;
  slices: SliceGlance[];
  /**
   * With `config.countColumn` only: the rows of the uploaded cell table that were kept (0-count rows
   * included). The audit's `rowCount` and `overall.count` are then people (the sum of the counts).
   */
  cellCount?: number;
}

export interface OverallGlance {
  count: number;
  selection_rate: number | null;
  base_rate?: number | null;
  roc_auc?: number | null;
}

export interface SliceGlance {
  attributes: string[];
  reference: Record<string, string>;
  groupCount: number;
  warnings: string[];
  demographic_parity_ratio: number | null;
  demographic_parity_difference: number | null;
  equalized_odds_difference?: number | null;
  impact_ratio: number | null;
  lowestImpactRatio: GroupValue | null;
  largestFalsePositiveRateGap?: GroupDifference | null;
  largestTruePositiveRateGap?: GroupDifference | null;
  flagged: FlaggedGroup[];
}

export interface GroupValue {
  key: Record<string, string>;
  value: number | null;
}

export interface GroupDifference {
  key: Record<string, string>;
  difference: number | null;
  ratio: number | null;
}

export interface FlaggedGroup {
  key: Record<string, string>;
  count: number;
  flags: string[];
}

/**
 * The headline of an audit (the `summary` of POST /v1/audits and GET /v1/audits/{id}), picked from its stored
 * FairnessResult (no statistics are computed here): overall count and rates, and per slice its reference,
 * summary ratios, the worst-off group by impact ratio (core's rankDisparities), the groups whose FPR and TPR
 * differ most from the reference (largest absolute difference), and the flagged groups. Not to be confused
 * with the CLI's tables (src/cli/audit-tables.ts).
 */
export function auditHeadline(
  result: AuditMetrics,
  cellCount?: number,
): AuditSummary | RegressionAuditSummary | MulticlassAuditSummary {
  if (isBinaryResult(result)) return binaryHeadline(result, cellCount);
  if (result.task === 'regression') return regressionHeadline(result, cellCount);
  return multiclassHeadline(result, cellCount);
}

function binaryHeadline(result: FairnessResult, cellCount?: number): AuditSummary {
  const m = result.overall.metrics;
  const slices = result.slices.map(sliceGlance);
  return {
    overall: {
      count: result.overall.count,
      selection_rate: m.selection_rate?.value ?? null,
      ...(!result.labelFree && { base_rate: m.base_rate?.value ?? null }),
      ...(m.roc_auc !== undefined && { roc_auc: m.roc_auc.value }),
    },
    labelFree: result.labelFree,
    flaggedGroups: slices.reduce((n, s) => n + s.flagged.length, 0),
    slices,
    ...(cellCount !== undefined && { cellCount }),
  };
}

function sliceGlance(slice: SliceResult): SliceGlance {
  const s = slice.summary;
  const labelled = slice.groups.some((g) => g.metrics.true_positive_rate !== undefined);
  const warnings: string[] = [];
  if (slice.groups.length < 2) warnings.push('single_group');
  else if (s.demographic_parity_ratio === null) warnings.push('no_comparable_groups');
  const glance: SliceGlance = {
    attributes: slice.attributes,
    reference: slice.reference,
    groupCount: slice.groups.length,
    warnings,
    demographic_parity_ratio: s.demographic_parity_ratio,
    demographic_parity_difference: s.demographic_parity_difference,
    impact_ratio: s.impact_ratio,
    lowestImpactRatio: lowestImpactRatio(slice),
    flagged: flagged(slice.groups),
  };
  if (labelled) {
    glance.equalized_odds_difference = s.equalized_odds_difference ?? null;
    glance.largestFalsePositiveRateGap = largestGap(slice.groups, 'false_positive_rate');
    glance.largestTruePositiveRateGap = largestGap(slice.groups, 'true_positive_rate');
  }
  return glance;
}

/** The worst-off group by impact ratio, the lowest (rankDisparities against the most favoured group). */
function lowestImpactRatio(slice: SliceResult): GroupValue | null {
  const [worst] = rankDisparities([slice], { rates: ['selection_rate'], comparator: () => 'most_favoured' });
  const group = worst && slice.groups[worst.group];
  return worst && group ? { key: group.key, value: worst.ratio } : null;
}

function largestGap(
  groups: readonly GroupResult[],
  metric: 'false_positive_rate' | 'true_positive_rate',
): GroupDifference | null {
  let best: { key: Record<string, string>; d: Disparity; size: number } | null = null;
  for (const g of groups) {
    const d = g.disparities[metric];
    if (d?.difference === null || d?.difference === undefined || g.flags.includes('reference')) continue;
    const size = Math.abs(d.difference);
    if (best === null || size > best.size) best = { key: g.key, d, size };
  }
  return best && { key: best.key, difference: best.d.difference, ratio: best.d.ratio };
}

function flagged(groups: readonly GroupResult[]): FlaggedGroup[] {
  return groups.flatMap((g) => {
    const flags = g.flags.filter((f) => f !== 'reference');
    return flags.length > 0 ? [{ key: g.key, count: g.count, flags }] : [];
  });
}
