/**
 * Which group is worst off: the one rule the report's findings, the CLI's group table, the audit headline
 * (`summary.slices[].lowestImpactRatio` of POST /v1/audits) and the console's model list all rank by.
 *
 * The rule: a group's disparity on a rate is how far its ratio lies from parity on the log scale, |ln ratio|,
 * so a group at half the comparator's rate (0.5) is as far off as one at twice it (2.0), and a ratio of 0
 * against a positive comparator is the farthest of all (Infinity). Larger is worse. A group's worst rate is
 * the rate with the largest distance; ties go to the rate listed first. Ties between groups keep the
 * result's order (slices in order, then groups in order). A ratio that is null or not finite, or that the
 * caller hides (small-cell suppression), takes no part.
 *
 * The comparator is the slice's reference group (Disparity.ratio; the reference itself takes no part), or,
 * for the selection rate, the group with the highest favourable rate (Disparity.impactRatio, NYC LL144's
 * impact ratio, always ≤ 1, so the farthest is the lowest).
 */
import type { Disparity, RateKey, SliceResult } from './types';

/** The ratio of a rate a disparity is measured by: to the reference group, or to the most favoured group. */
export type DisparityComparator = 'reference' | 'most_favoured';

export interface RankedDisparity {
  /** Index of the slice in the result, and of the group in its slice. */
  slice: number;
  group: number;
  rate: RateKey;
  comparator: DisparityComparator;
  ratio: number;
  /** |ln ratio|: 0 at parity, Infinity for a ratio of 0. */
  distance: number;
  disparity: Disparity;
}

export interface RankOptions {
  /** The rates that take part, in order of precedence for ties. */
  rates: readonly RateKey[];
  /** Which ratio of each rate (default: to the reference group). */
  comparator?: (rate: RateKey) => DisparityComparator;
  /** Whether a ratio must not be used (for example it is suppressed in what is published). */
  hidden?: (slice: number, group: number, rate: RateKey, comparator: DisparityComparator) => boolean;
}

/** |ln ratio|, the distance of a ratio from parity: 0.5 and 2 are equally far; a ratio of 0 is Infinity. */
export function disparityDistance(ratio: number): number {
  return ratio <= 0 ? Number.POSITIVE_INFINITY : Math.abs(Math.log(ratio));
}

/** Every (group, rate) ratio that takes part, the farthest from parity first (the rule above). */
export function rankDisparities(
  slices: readonly Pick<SliceResult, 'groups'>[],
  options: RankOptions,
): RankedDisparity[] {
  const comparatorOf = options.comparator ?? (() => 'reference' as const);
  const ranked: RankedDisparity[] = [];
  slices.forEach((s, si) =>
    s.groups.forEach((g, gi) => {
      for (const rate of options.rates) {
        const comparator = comparatorOf(rate);
        if (comparator === 'reference' && g.flags.includes('reference')) continue;
        const disparity = g.disparities[rate];
        const ratio = comparator === 'reference' ? disparity?.ratio : disparity?.impactRatio;
        if (disparity === undefined || ratio === null || ratio === undefined || !Number.isFinite(ratio))
          continue;
        if (options.hidden?.(si, gi, rate, comparator)) continue;
        ranked.push({
          slice: si,
          group: gi,
          rate,
          comparator,
          ratio,
          distance: disparityDistance(ratio),
          disparity,
        });
      }
    }),
  );
  // Array.prototype.sort is stable: equal distances keep the order above (slice, group, rate).
  return ranked.sort((a, b) => compareDistance(b.distance, a.distance));
}

/** Each group's worst rate, the worst group first: the first entry of each group in rankDisparities' order. */
export function worstPerGroup(ranked: readonly RankedDisparity[]): RankedDisparity[] {
  const seen = new Set<string>();
  return ranked.filter((r) => {
    const id = `${r.slice}:${r.group}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Numeric order in which two Infinities are equal (Infinity − Infinity is NaN). */
function compareDistance(a: number, b: number): number {
  return a === b ? 0 : a - b;
}
