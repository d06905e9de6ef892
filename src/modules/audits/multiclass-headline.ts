/**
 * The headline of a multiclass audit (the `summary` of POST /v1/audits and GET /v1/audits/{id}), picked from
 * its stored MulticlassResult (no statistics are computed here): the overall accuracy, and per slice the
 * accuracy gap, the group with the lowest accuracy, the class whose selection rate (and, with labels, TPR)
 * differs most between groups, and the flagged groups.
 */
import type { MulticlassResult, MulticlassSliceResult } from '../../core/tasks';
import type { FlaggedGroup, GroupValue } from './audit-headline';

export interface MulticlassAuditSummary {
  task: 'multiclass';
  overall: { count: number; accuracy?: number | null };
  classes: string[];
  labelFree: boolean;
  /** Groups (over all slices) carrying a flag other than "reference". */
  flaggedGroups: number;
  slices: MulticlassSliceGlance[];
  /** With config.countColumn only: rows of the uploaded cell table kept (as in the binary summary). */
  cellCount?: number;
}

/** The class with the largest between-groups spread of one rate (fairlearn's max − min, min / max). */
export interface ClassGap {
  class: string;
  difference: number;
  ratio: number | null;
}

export interface MulticlassSliceGlance {
  attributes: string[];
  reference: Record<string, string>;
  groupCount: number;
  warnings: string[];
  accuracy_difference?: number | null;
  accuracy_ratio?: number | null;
  lowestAccuracy?: GroupValue | null;
  /** demographic_parity_difference, largest over the classes. */
  largestSelectionRateGap: ClassGap | null;
  /** equal_opportunity_difference, largest over the classes (labelled audits). */
  largestTruePositiveRateGap?: ClassGap | null;
  flagged: FlaggedGroup[];
}

export function multiclassHeadline(result: MulticlassResult, cellCount?: number): MulticlassAuditSummary {
  const slices = result.slices.map((s) => sliceGlance(s, result.classes, result.labelFree));
  const accuracy = result.overall.metrics.accuracy;
  return {
    task: 'multiclass',
    overall: { count: result.overall.count, ...(accuracy && { accuracy: accuracy.value }) },
    classes: result.classes,
    labelFree: result.labelFree,
    flaggedGroups: slices.reduce((n, s) => n + s.flagged.length, 0),
    slices,
    ...(cellCount !== undefined && { cellCount }),
  };
}

function sliceGlance(
  slice: MulticlassSliceResult,
  classes: readonly string[],
  labelFree: boolean,
): MulticlassSliceGlance {
  const warnings: string[] = [];
  const selection = largestGap(slice, classes, 'demographic_parity_difference', 'demographic_parity_ratio');
  if (slice.groups.length < 2) warnings.push('single_group');
  else if (selection === null) warnings.push('no_comparable_groups');
  const glance: MulticlassSliceGlance = {
    attributes: slice.attributes,
    reference: slice.reference,
    groupCount: slice.groups.length,
    warnings,
    largestSelectionRateGap: selection,
    flagged: slice.groups.flatMap((g) => {
      const flags = g.flags.filter((f) => f !== 'reference');
      return flags.length > 0 ? [{ key: g.key, count: g.count, flags }] : [];
    }),
  };
  if (!labelFree) {
    glance.accuracy_difference = slice.summary.accuracy_difference;
    glance.accuracy_ratio = slice.summary.accuracy_ratio;
    glance.lowestAccuracy = lowestAccuracy(slice);
    glance.largestTruePositiveRateGap = largestGap(
      slice,
      classes,
      'equal_opportunity_difference',
      'equal_opportunity_ratio',
    );
  }
  return glance;
}

function lowestAccuracy(slice: MulticlassSliceResult): GroupValue | null {
  let lowest: GroupValue | null = null;
  for (const g of slice.groups) {
    const value = g.metrics.accuracy?.value ?? null;
    if (value !== null && (lowest === null || value < (lowest.value as number)))
      lowest = { key: g.key, value };
  }
  return lowest;
}

function largestGap(
  slice: MulticlassSliceResult,
  classes: readonly string[],
  difference: 'demographic_parity_difference' | 'equal_opportunity_difference',
  ratio: 'demographic_parity_ratio' | 'equal_opportunity_ratio',
): ClassGap | null {
  let best: ClassGap | null = null;
  for (const name of classes) {
    const s = slice.summary.classes[name];
    const d = s?.[difference] ?? null;
    if (d !== null && (best === null || d > best.difference))
      best = { class: name, difference: d, ratio: s?.[ratio] ?? null };
  }
  return best;
}
