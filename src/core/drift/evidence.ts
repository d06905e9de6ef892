import type { GroupResult, RateKey, SliceResult, SliceSummary } from '../fairness/types';
import type { DriftCheck } from './types';
import { describeSubject } from './wording';

/**
 * Evidence before alarms (docs/disclosure-control.md, "Evidence before alarms"): a group with fewer than
 * `minGroupSize` people never raises a drift alert or warning on its own, and a slice summary that drives a
 * band crossing is computed over the groups that have at least `minGroupSize` people.
 */

/** The groups of a slice that carry evidence: `count >= minGroupSize`. */
export function eligibleGroups<G extends Pick<GroupResult, 'count'>>(
  groups: readonly G[],
  minGroupSize: number,
): G[] {
  return groups.filter((g) => g.count >= minGroupSize);
}

type SummaryGroup = Pick<GroupResult, 'key' | 'count' | 'metrics' | 'disparities' | 'averageOddsDifference'>;

interface Spread {
  difference: number;
  ratio: number | null;
}

function spread(groups: readonly SummaryGroup[], key: RateKey): Spread | null {
  const values = groups
    .map((g) => g.metrics[key]?.value ?? null)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { difference: max - min, ratio: max > 0 ? min / max : null };
}

/**
 * The slice summary over the given groups only, with Fairlearn's "between_groups" definitions (as
 * core/fairness computes them over all groups): max − min and min / max of a rate, null with fewer than two
 * defined groups. The impact ratio is the lowest favourable rate over the highest among these groups;
 * the average odds difference is the group value of largest size (sign kept). The inequality indices
 * (generalized entropy, Theil) are over rows, not groups, and are kept as stored.
 */
export function summaryOver(
  slice: Pick<SliceResult, 'summary'>,
  groups: readonly SummaryGroup[],
  favorable: 'positive' | 'negative',
): SliceSummary {
  const sr = spread(groups, 'selection_rate');
  const fav = groups
    .map((g) => g.metrics.selection_rate?.value ?? null)
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .map((v) => (favorable === 'positive' ? v : 1 - v));
  const topFav = fav.length > 0 ? Math.max(...fav) : 0;
  const summary: SliceSummary = {
    demographic_parity_difference: sr?.difference ?? null,
    demographic_parity_ratio: sr?.ratio ?? null,
    impact_ratio: fav.length >= 2 && topFav > 0 ? Math.min(...fav) / topFav : null,
  };
  const stored = slice.summary;
  if (stored.equalized_odds_difference === undefined && stored.equal_opportunity_difference === undefined)
    return summary;
  const tpr = spread(groups, 'true_positive_rate');
  const fpr = spread(groups, 'false_positive_rate');
  const both = tpr !== null && fpr !== null;
  const odds = groups
    .map((g) => g.averageOddsDifference ?? null)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const ratios = both ? [tpr.ratio, fpr.ratio].filter((r): r is number => r !== null) : [];
  return {
    ...summary,
    equalized_odds_difference: both ? Math.max(tpr.difference, fpr.difference) : null,
    equalized_odds_ratio: both && ratios.length === 2 ? Math.min(...ratios) : null,
    equal_opportunity_difference: tpr?.difference ?? null,
    equal_opportunity_ratio: tpr?.ratio ?? null,
    average_odds_difference:
      odds.length > 0 ? odds.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a)) : null,
    ...(stored.generalized_entropy_index !== undefined
      ? { generalized_entropy_index: stored.generalized_entropy_index }
      : {}),
    ...(stored.theil_index !== undefined ? { theil_index: stored.theil_index } : {}),
  };
}

/** A slice's summary over its groups of at least `minGroupSize`, and the groups left out. */
export function evidenceSummary(
  slice: Pick<SliceResult, 'summary' | 'groups'>,
  minGroupSize: number,
  favorable: 'positive' | 'negative',
): { summary: SliceSummary; leftOut: Record<string, string>[] } {
  const eligible = eligibleGroups(slice.groups, minGroupSize);
  const leftOut = slice.groups.filter((g) => g.count < minGroupSize).map((g) => g.key);
  return { summary: summaryOver(slice, eligible, favorable), leftOut };
}

/** Stable identity of a group key, independent of property order. */
export function groupKeyId(key: Record<string, string>): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A per-group check (not a population share, whose denominator is the whole sample) of a group with fewer
 * than `minGroupSize` people on either side: its change is reported as "not enough data", status ok.
 */
export function notEnoughData(
  check: DriftCheck,
  sizes: ReadonlyMap<string, number>,
  minGroupSize: number,
): DriftCheck {
  if (check.key === undefined || check.kind === 'population') return check;
  const n = sizes.get(groupKeyId(check.key));
  if (n === undefined || n >= minGroupSize) return check;
  return {
    ...check,
    status: 'ok',
    message: `Not enough data: ${describeSubject(check.key)} has fewer than ${minGroupSize} people in one of the two audits, so a change in it is not assessed.`,
  };
}

/** The groups' keys and sizes of a result of any task. */
type SizedSlices = { slices: readonly { groups: readonly Pick<GroupResult, 'key' | 'count'>[] }[] };

/** The smaller size of each group over the two results (0 when a side lacks the group). */
export function smallerGroupSizes(baseline: SizedSlices, current: SizedSlices): Map<string, number> {
  const sizeOf = (r: SizedSlices): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of r.slices) for (const g of s.groups) m.set(groupKeyId(g.key), g.count);
    return m;
  };
  const a = sizeOf(baseline);
  const b = sizeOf(current);
  const out = new Map<string, number>();
  for (const id of new Set([...a.keys(), ...b.keys()])) out.set(id, Math.min(a.get(id) ?? 0, b.get(id) ?? 0));
  return out;
}
