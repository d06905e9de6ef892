import type { GroupResult, MetricValue, SliceResult } from '../fairness/types';
import { sliceLines, suppressSlice } from './suppression';

function rate(num: number, den: number): MetricValue {
  return { value: den === 0 ? null : num / den, ciLow: null, ciHigh: null, numerator: num, denominator: den };
}

/** A group with the given size and selection numerator (selection_rate = sel / n). */
function group(
  key: Record<string, string>,
  n: number,
  sel: number,
  extra: Partial<GroupResult['metrics']> = {},
): GroupResult {
  return {
    key,
    count: n,
    share: 0,
    metrics: { count: { value: n }, selection_rate: rate(sel, n), ...extra },
    disparities: { selection_rate: { difference: 0, ratio: 1 } },
    flags: [],
  };
}

function slice(
  groups: GroupResult[],
  attributes = ['race'],
  reference: Record<string, string> = groups[0]?.key ?? {},
): SliceResult {
  return {
    attributes,
    reference,
    groups,
    summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
  };
}

describe('suppressSlice', () => {
  it('hides a group of 7 and all its rates, and picks the next-smallest group as its complement', () => {
    const s = suppressSlice(
      slice([
        group({ race: 'White' }, 500, 200),
        group({ race: 'Black' }, 120, 40),
        group({ race: 'Asian' }, 60, 20),
        group({ race: 'Other' }, 7, 3),
      ]),
    );
    expect(s.groups.map((g) => g.countSuppressed)).toEqual([false, false, true, true]);
    expect(s.groups[3]?.countReason).toBe('small_count');
    expect(s.groups[2]?.countReason).toBe('complementary'); // 60 is the next-smallest, not 120
    expect(s.groups[3]?.suppressedMetrics.selection_rate).toBe('count');
    expect(s.groups[2]?.suppressedMetrics.selection_rate).toBe('count');
    expect(s.groups[3]?.suppressedDisparities).toEqual(['selection_rate']);
    expect(s.groups[0]?.suppressedMetrics).toEqual({});
    expect(s.applied).toBe(true);
    expect(s.totalSuppressed).toBe(false);
  });

  it('does not add a complement when two counts are already hidden', () => {
    const s = suppressSlice(
      slice(
        [
          group({ r: 'A' }, 500, 200),
          group({ r: 'B' }, 60, 20),
          group({ r: 'C' }, 7, 3),
          group({ r: 'D' }, 4, 1),
        ],
        ['r'],
      ),
    );
    expect(s.groups.map((g) => g.countReason)).toEqual([null, null, 'small_count', 'small_count']);
  });

  it('hides a rate 3/40 but keeps the count of 40', () => {
    const s = suppressSlice(
      slice(
        [
          group({ r: 'A' }, 400, 100, { true_positive_rate: rate(50, 80) }),
          group({ r: 'B' }, 40, 12, { true_positive_rate: rate(3, 40) }),
          group({ r: 'C' }, 100, 30, { true_positive_rate: rate(25, 45) }),
        ],
        ['r'],
      ),
    );
    const b = s.groups[1];
    expect(b?.countSuppressed).toBe(false);
    expect(b?.suppressedMetrics.true_positive_rate).toBe('small_numerator_or_denominator');
    expect(b?.suppressedMetrics.selection_rate).toBeUndefined();
    // the only other hidden TPR numerator would be recoverable from the total: the smallest-denominator
    // shown TPR (C, 45) is suppressed as its complement; A keeps its TPR
    expect(s.groups[2]?.suppressedMetrics.true_positive_rate).toBe('complementary');
    expect(s.groups[0]?.suppressedMetrics.true_positive_rate).toBeUndefined();
  });

  it('hides a rate whose denominator minus numerator is small (35/40)', () => {
    const s = suppressSlice(
      slice([group({ r: 'A' }, 400, 100), group({ r: 'B' }, 40, 35), group({ r: 'C' }, 50, 11)], ['r']),
    );
    expect(s.groups[1]?.suppressedMetrics.selection_rate).toBe('small_numerator_or_denominator');
    expect(s.groups[2]?.suppressedMetrics.selection_rate).toBe('complementary');
  });

  it('shows a count of 0 and a rate of 0/50', () => {
    const s = suppressSlice(
      slice([group({ r: 'A' }, 400, 100), group({ r: 'B' }, 50, 0), group({ r: 'C' }, 0, 0)], ['r']),
    );
    expect(s.groups.every((g) => !g.countSuppressed)).toBe(true);
    expect(s.groups.every((g) => Object.keys(g.suppressedMetrics).length === 0)).toBe(true);
    expect(s.applied).toBe(false);
  });

  it('flags the total when the only non-empty group is small', () => {
    const s = suppressSlice(slice([group({ r: 'A' }, 8, 2), group({ r: 'B' }, 0, 0)], ['r']));
    expect(s.groups[0]?.countSuppressed).toBe(true);
    expect(s.totalSuppressed).toBe(true);
  });

  it('infers denominators when the engine gives no numerator/denominator', () => {
    const bare = (v: number): MetricValue => ({ value: v });
    const g = (k: string, n: number, sr: number, br: number, tpr: number): GroupResult => ({
      key: { r: k },
      count: n,
      share: 0,
      metrics: { selection_rate: bare(sr), base_rate: bare(br), true_positive_rate: bare(tpr) },
      disparities: {},
      flags: [],
    });
    // B: 200 rows, base rate 0.03 → 6 positives: its TPR (and base rate) must go
    const s = suppressSlice(
      slice([g('A', 1000, 0.3, 0.2, 0.6), g('B', 200, 0.3, 0.03, 0.5), g('C', 300, 0.3, 0.2, 0.6)], ['r']),
    );
    expect(s.groups[1]?.suppressedMetrics.true_positive_rate).toBe('small_numerator_or_denominator');
    expect(s.groups[1]?.suppressedMetrics.base_rate).toBe('small_numerator_or_denominator');
    expect(s.groups[1]?.suppressedMetrics.selection_rate).toBeUndefined();
  });

  it('suppresses every disparity of a metric whose reference is suppressed, and impact ratios when the top group is', () => {
    const groups = [group({ r: 'A' }, 400, 100), group({ r: 'B' }, 300, 290), group({ r: 'C' }, 200, 50)];
    const top = groups[1];
    if (top?.disparities.selection_rate) top.disparities.selection_rate.impactRatio = 1;
    const s = suppressSlice(slice(groups, ['r'], { r: 'B' }));
    expect(s.groups[1]?.suppressedMetrics.selection_rate).toBe('small_numerator_or_denominator');
    expect(s.groups[0]?.suppressedDisparities).toEqual(['selection_rate']);
    expect(s.groups[0]?.impactRatioSuppressed).toBe(true);
  });

  it('complements an intersection cell within its row, so the marginal count cannot reveal it', () => {
    const k = (race: string, sex: string): Record<string, string> => ({ race, sex });
    const groups = [
      group(k('White', 'F'), 500, 200),
      group(k('White', 'M'), 480, 200),
      group(k('Black', 'F'), 300, 90),
      group(k('Black', 'M'), 6, 2),
      group(k('Asian', 'F'), 40, 15),
      group(k('Asian', 'M'), 45, 15),
    ];
    const sl = slice(groups, ['race', 'sex']);
    expect(sliceLines(sl)).toHaveLength(1 + 2 + 3);
    const s = suppressSlice(sl);
    const hidden = s.groups
      .map((g, i) => (g.countSuppressed ? `${groups[i]?.key.race}/${groups[i]?.key.sex}` : null))
      .filter(Boolean);
    // Black/M (6) hidden; row Black: Black/F is its only partner; column M: Asian/M (45) is the smallest;
    // then column F holds Black/F alone → Asian/F (40); row Asian then has two.
    expect(hidden).toEqual(['Black/F', 'Black/M', 'Asian/F', 'Asian/M']);
  });
});
