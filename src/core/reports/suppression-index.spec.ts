import type { GroupResult, SliceResult } from '../fairness/types';
import { SuppressionIndex } from './suppression-index';

/** A group with `selected` of `count` predicted positive, and its impact ratio against the top rate 0.8. */
function group(name: string, count: number, selected: number, reference = false): GroupResult {
  const rate = selected / count;
  return {
    key: { g: name },
    count,
    share: 0,
    metrics: { selection_rate: { value: rate, numerator: selected, denominator: count } },
    disparities: { selection_rate: { difference: null, ratio: rate / 0.05, impactRatio: rate / 0.8 } },
    flags: reference ? ['reference'] : [],
  };
}

describe('SuppressionIndex.ratioHidden: whether a ratio may be published', () => {
  // The reference selects 5 of 100: its rate rests on 5 people and is suppressed, with C (the smallest
  // other group, 100 of 200) as its partner. A (150 of 300) and the top group B (320 of 400) stay shown.
  const slice: SliceResult = {
    attributes: ['g'],
    reference: { g: 'ref' },
    groups: [group('ref', 100, 5, true), group('A', 300, 150), group('B', 400, 320), group('C', 200, 100)],
    summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
  };
  const idx = new SuppressionIndex([slice]);

  it("hides a ratio to a suppressed reference, but not the same group's impact ratio to a shown top group", () => {
    expect(idx.ratioHidden(0, 1, 'selection_rate', 'reference')).toBe(true);
    expect(idx.ratioHidden(0, 1, 'selection_rate', 'most_favoured')).toBe(false);
  });

  it("hides both ratios of a group whose own rate is suppressed (C, the reference's partner)", () => {
    expect(idx.ratioHidden(0, 3, 'selection_rate', 'reference')).toBe(true);
    expect(idx.ratioHidden(0, 3, 'selection_rate', 'most_favoured')).toBe(true);
  });

  it('hides a group it does not know', () => {
    expect(idx.ratioHidden(0, 9, 'selection_rate', 'reference')).toBe(true);
  });
});
