import type { RegressionGroupResult, RegressionResult, RegressionSliceResult } from '../../core/tasks';
import type { FlaggedGroup, GroupDifference } from './audit-headline';

/** The headline of a regression audit (the `summary` of POST /v1/audits and GET /v1/audits/{id}). */
export interface RegressionAuditSummary {
  task: 'regression';
  overall: RegressionOverallGlance;
  /** Groups (over all slices) carrying a flag other than "reference". */
  flaggedGroups: number;
  slices: RegressionSliceGlance[];
  /** With config.countColumn only: rows of the uploaded cell table kept (as in the binary summary). */
  cellCount?: number;
}

export interface RegressionOverallGlance {
  count: number;
  mean_target: number | null;
  mean_prediction: number | null;
  mean_error: number | null;
  mean_absolute_error: number | null;
  root_mean_squared_error: number | null;
  r2: number | null;
}

export interface RegressionSliceGlance {
  attributes: string[];
  reference: Record<string, string>;
  groupCount: number;
  warnings: string[];
  mean_error_difference: number | null;
  mean_absolute_error_difference: number | null;
  root_mean_squared_error_difference: number | null;
  worst_group_mean_absolute_error: number | null;
  worst_group_root_mean_squared_error: number | null;
  /** The group whose mean absolute error differs most from the reference's (largest absolute difference). */
  largestMeanAbsoluteErrorGap: GroupDifference | null;
  flagged: FlaggedGroup[];
}

/**
 * Picked from the stored RegressionResult (no statistics are computed here): the overall means, errors and
 * R²; per slice its reference, the largest gaps in mean error, MAE and RMSE, the bounded group loss (worst
 * MAE and RMSE), the group furthest from the reference in MAE, and the flagged groups.
 */
export function regressionHeadline(result: RegressionResult, cellCount?: number): RegressionAuditSummary {
  const m = result.overall.metrics;
  const slices = result.slices.map(sliceGlance);
  return {
    task: 'regression',
    overall: {
      count: result.overall.count,
      mean_target: m.mean_target?.value ?? null,
      mean_prediction: m.mean_prediction?.value ?? null,
      mean_error: m.mean_error?.value ?? null,
      mean_absolute_error: m.mean_absolute_error?.value ?? null,
      root_mean_squared_error: m.root_mean_squared_error?.value ?? null,
      r2: m.r2?.value ?? null,
    },
    flaggedGroups: slices.reduce((n, s) => n + s.flagged.length, 0),
    slices,
    ...(cellCount !== undefined && { cellCount }),
  };
}

function sliceGlance(slice: RegressionSliceResult): RegressionSliceGlance {
  const s = slice.summary;
  const warnings: string[] = [];
  if (slice.groups.length < 2) warnings.push('single_group');
  else if ((s.mean_absolute_error_difference ?? null) === null) warnings.push('no_comparable_groups');
  return {
    attributes: slice.attributes,
    reference: slice.reference,
    groupCount: slice.groups.length,
    warnings,
    mean_error_difference: s.mean_error_difference ?? null,
    mean_absolute_error_difference: s.mean_absolute_error_difference ?? null,
    root_mean_squared_error_difference: s.root_mean_squared_error_difference ?? null,
    worst_group_mean_absolute_error: s.worst_group_mean_absolute_error ?? null,
    worst_group_root_mean_squared_error: s.worst_group_root_mean_squared_error ?? null,
    largestMeanAbsoluteErrorGap: largestGap(slice.groups),
    flagged: slice.groups.flatMap((g) => {
      const flags = g.flags.filter((f) => f !== 'reference');
      return flags.length > 0 ? [{ key: g.key, count: g.count, flags }] : [];
    }),
  };
}

function largestGap(groups: readonly RegressionGroupResult[]): GroupDifference | null {
  let best: GroupDifference | null = null;
  for (const g of groups) {
    const d = g.disparities.mean_absolute_error;
    if (d?.difference === null || d?.difference === undefined || g.flags.includes('reference')) continue;
    if (best === null || Math.abs(d.difference) > Math.abs(best.difference ?? 0))
      best = { key: g.key, difference: d.difference, ratio: d.ratio };
  }
  return best;
}
