/**
 * The suppression index: every slice of a result with suppressSlice's verdict, and lookups of what is hidden
 * across all of them (a group's count, a metric of it) and why, in words that are true of it. Everything the
 * report, the console and the CLI print about a group asks it first.
 */
import type { ControlEvidence } from '../compliance/types';
import type { DisparityComparator } from '../fairness/rank-disparities';
import type { RateKey, SliceResult } from '../fairness/types';
import { isSmallCount, keyId } from './format';
import { suppressSlice } from './suppression';
import type { CountSuppressionReason, MetricSuppressionReason, SliceSuppression } from './suppression';

export interface SuppressedSlice {
  slice: SliceResult;
  sup: SliceSuppression;
}

/** Every slice of a result with its suppression, and lookups of what is suppressed across all of them. */
export class SuppressionIndex {
  /** The result's slices, in order, each with suppressSlice's verdict. */
  readonly slices: SuppressedSlice[];
  private readonly countHidden = new Set<string>();
  private readonly metricHidden = new Set<string>();
  private readonly countReasons = new Map<string, CountSuppressionReason>();
  private readonly metricReasons = new Map<string, MetricSuppressionReason>();
  /** Whether some group has 1 to 10 people (not only a rate resting on 1 to 10). */
  smallGroupPresent = false;
  /** Small counts (group sizes, numerators, denominators) of each suppressed group, by key. */
  private readonly smallByGroup = new Map<string, number[]>();
  applied = false;
  totalSuppressed = false;

  constructor(slices: readonly SliceResult[]) {
    this.slices = slices.map((slice) => ({ slice, sup: suppressSlice(slice) }));
    for (const s of this.slices) {
      if (s.sup.applied) this.applied = true;
      if (s.sup.totalSuppressed) this.totalSuppressed = true;
      s.slice.groups.forEach((g, i) => {
        const gs = s.sup.groups[i];
        if (!gs) return;
        const id = keyId(g.key);
        const small = this.smallByGroup.get(id) ?? [];
        if (gs.countSuppressed) {
          this.countHidden.add(id);
          small.push(g.count);
          if (gs.countReason) this.countReasons.set(id, gs.countReason);
          if (gs.countReason === 'small_count') this.smallGroupPresent = true;
        }
        for (const [m, why] of Object.entries(gs.suppressedMetrics)) {
          this.metricHidden.add(`${id}\u0002${m}`);
          if (why) this.metricReasons.set(`${id}\u0002${m}`, why);
        }
        for (const m of gs.suppressedDisparities) this.metricHidden.add(`${id}\u0002disparity.${m}`);
        if (gs.impactRatioSuppressed) this.metricHidden.add(`${id}\u0002impact_ratio`);
        for (const m of Object.values(g.metrics)) {
          if (m?.numerator !== undefined && isSmallCount(m.numerator)) small.push(m.numerator);
          if (m?.denominator !== undefined && isSmallCount(m.denominator)) small.push(m.denominator);
        }
        if (small.length > 0) this.smallByGroup.set(id, small);
      });
    }
  }

  /** The small counts of the groups an evidence list refers to (for scrubbing free text about them). */
  smallCountsOf(evidence: readonly ControlEvidence[]): number[] {
    return evidence.flatMap((e) => [
      ...(e.group ? (this.smallByGroup.get(keyId(e.group)) ?? []) : []),
      e.count ?? 0,
    ]);
  }

  /**
   * Why a group's figure is not shown, in words that are true of it: its own size, a partner's, or a
   * numerator (people predicted positive, with the outcome, ...) of 1 to 10. Null when it is shown.
   */
  hiddenReason(key: Record<string, string> | undefined, metric?: string): string | null {
    if (key === undefined) return null;
    const id = keyId(key);
    const count = this.countReasons.get(id);
    if (count === 'small_count') return 'the group has 1 to 10 people';
    if (count === 'complementary')
      return 'its figures are withheld so that a smaller group of 1 to 10 people cannot be worked out from the totals';
    if (metric === undefined || !this.metricHiddenFor(key, metric)) return null;
    const base = metric.replace(/^disparity\./, '').replace(/\.(difference|ratio)$/, '');
    const why =
      this.metricReasons.get(`${id}\u0002${base}`) ??
      (base === 'impact_ratio' ? this.metricReasons.get(`${id}\u0002selection_rate`) : undefined);
    switch (why) {
      case 'complementary':
        return 'the figure is withheld so that another figure resting on 1 to 10 people cannot be worked out';
      case 'small_numerator_or_denominator':
        return 'the figure rests on 1 to 10 people (for example the people predicted positive)';
      case 'depends_on_suppressed':
      case 'count':
      case 'unknown_denominator':
      case undefined:
        return 'the figure depends on a figure that is suppressed';
    }
  }

  /** hiddenReason in a few words, for evidence lists: "group of 1 to 10", "rests on 1 to 10 people", … */
  hiddenShort(key: Record<string, string> | undefined, metric?: string): string {
    const why = this.hiddenReason(key, metric) ?? '';
    if (why.startsWith('the group has')) return 'group of 1 to 10';
    if (why.startsWith('its figures are withheld')) return 'withheld with a smaller group';
    if (why.startsWith('the figure rests')) return 'rests on 1 to 10 people';
    if (why.startsWith('the figure is withheld')) return 'withheld with another small figure';
    return 'depends on a suppressed figure';
  }

  /**
   * Whether the ratio of a group's rate (slice and group by index) is not published: the group's count is
   * suppressed, or that ratio (to the reference: the disparity; to the most favoured group: the impact ratio).
   * rankDisparities' `hidden` for everything shared.
   */
  ratioHidden(slice: number, group: number, rate: RateKey, comparator: DisparityComparator): boolean {
    const gs = this.slices[slice]?.sup.groups[group];
    if (gs === undefined) return true;
    if (gs.countSuppressed) return true;
    return comparator === 'reference' ? gs.suppressedDisparities.includes(rate) : gs.impactRatioSuppressed;
  }

  groupHidden(key: Record<string, string> | undefined): boolean {
    return key !== undefined && this.countHidden.has(keyId(key));
  }

  /** Whether the group's own value of `metric` is not shown (its count or that metric is suppressed). */
  valueHidden(key: Record<string, string>, metric: string): boolean {
    const id = keyId(key);
    return this.countHidden.has(id) || this.metricHidden.has(`${id}\u0002${metric}`);
  }

  metricHiddenFor(key: Record<string, string> | undefined, metric: string): boolean {
    if (key === undefined) return false;
    const id = keyId(key);
    if (this.countHidden.has(id)) return true;
    // "true_positive_rate.difference", "disparity.selection_rate", "drift....": the rate underneath
    const base = metric
      .replace(/^disparity\./, '')
      .replace(/\.(difference|ratio)$/, '')
      .replace(/^.*\./, '');
    return (
      this.metricHidden.has(`${id}\u0002${metric}`) ||
      this.metricHidden.has(`${id}\u0002${base}`) ||
      this.metricHidden.has(`${id}\u0002disparity.${base}`)
    );
  }
}
