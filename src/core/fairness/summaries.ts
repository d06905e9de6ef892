import { GroupEstimates } from './rates';
import { CELL } from './tally';
import { Disparity, RateKey, SliceSummary } from './types';

/**
 * Fairlearn's "between_groups" summaries over the groups of one slice (max − min and min / max of a
 * rate, groups with a null rate left out, null with fewer than two defined groups), plus AIF360's
 * average odds difference (the group value of largest size, sign kept), the lowest impact ratio, and the
 * generalized entropy (α = 2) and Theil (α = 1) indices of the slice's rows.
 */
export function sliceSummary(
  groups: readonly GroupEstimates[],
  disparities: readonly Partial<Record<RateKey, Disparity>>[],
  averageOdds: readonly (number | null)[],
  sliceCells: SliceCells,
  hasLabels: boolean,
): SliceSummary {
  const selection = spread(groups, 'selection_rate');
  const impactRatios = defined(disparities.map((d) => d.selection_rate?.impactRatio ?? null));
  const summary: SliceSummary = {
    demographic_parity_difference: selection?.difference ?? null,
    demographic_parity_ratio: selection?.ratio ?? null,
    impact_ratio: impactRatios.length >= 2 ? Math.min(...impactRatios) : null,
  };
  if (!hasLabels) return summary;
  const tpr = spread(groups, 'true_positive_rate');
  const fpr = spread(groups, 'false_positive_rate');
  const bothOdds = tpr !== null && fpr !== null;
  return {
    ...summary,
    equalized_odds_difference: bothOdds ? Math.max(tpr.difference, fpr.difference) : null,
    equalized_odds_ratio: bothOdds ? nullableMin(tpr.ratio, fpr.ratio) : null,
    equal_opportunity_difference: tpr?.difference ?? null,
    equal_opportunity_ratio: tpr?.ratio ?? null,
    average_odds_difference: largestBySize(defined(averageOdds)),
    generalized_entropy_index: generalizedEntropy(sliceCells, 2),
    theil_index: generalizedEntropy(sliceCells, 1),
  };
}

/**
 * AIF360's average odds difference of a group vs the reference: ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)].
 */
export function averageOddsDifference(disparities: Partial<Record<RateKey, Disparity>>): number | null {
  const fpr = disparities.false_positive_rate?.difference ?? null;
  const tpr = disparities.true_positive_rate?.difference ?? null;
  return fpr === null || tpr === null ? null : (fpr + tpr) / 2;
}

/** Weighted confusion counts of the slice's analysed rows, in CELL order (TN, FP, FN, TP). */
export type SliceCells = readonly [number, number, number, number];

/**
 * GE(α) = 1/(n·α(α − 1)) Σ[(b_i/μ)^α − 1], Theil (α = 1) = 1/n Σ (b_i/μ)·ln(b_i/μ), over
 * b_i = ŷ_i − y_i + 1 (AIF360): b = 0 for a false negative, 2 for a false positive, 1 otherwise,
 * so the sums come from the confusion counts. Null when there are no rows or μ = 0.
 */
export function generalizedEntropy(cells: SliceCells, alpha: 1 | 2): number | null {
  const n = cells[CELL.TN] + cells[CELL.FP] + cells[CELL.FN] + cells[CELL.TP];
  if (!(n > 0)) return null;
  const weightOf = [cells[CELL.FN], n - cells[CELL.FN] - cells[CELL.FP], cells[CELL.FP]]; // b = 0, 1, 2
  const mu = (weightOf[1]! + 2 * weightOf[2]!) / n;
  if (!(mu > 0)) return null;
  let total = 0;
  weightOf.forEach((weight, b) => {
    const r = b / mu;
    total += alpha === 2 ? weight * (r * r - 1) : r > 0 ? weight * r * Math.log(r) : 0;
  });
  return alpha === 2 ? total / (2 * n) : total / n;
}

export interface Spread {
  difference: number;
  ratio: number | null;
}

/** Fairlearn's between-groups spread of one rate: max − min and min / max over the groups defining it. */
export function spread(groups: readonly GroupEstimates[], key: RateKey): Spread | null {
  const values = defined(groups.map((g) => g.rates[key]?.value ?? null));
  if (values.length < 2) return null;
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return { difference: max - min, ratio: max > 0 ? min / max : null };
}

function nullableMin(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.min(a, b);
}

function largestBySize(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  return values.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best));
}

function defined(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}
