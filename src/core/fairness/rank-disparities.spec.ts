import { disparityDistance, rankDisparities, worstPerGroup } from './rank-disparities';
import type { Disparity, GroupResult, RateKey } from './types';

/** A group with the given ratios to the reference (and impact ratio of the selection rate). */
function group(
  name: string,
  ratios: Partial<Record<RateKey, number | null>>,
  options: { reference?: boolean; impactRatio?: number } = {},
): GroupResult {
  const disparities: Partial<Record<RateKey, Disparity>> = {};
  for (const [rate, ratio] of Object.entries(ratios) as [RateKey, number | null][])
    disparities[rate] = { difference: null, ratio };
  if (options.impactRatio !== undefined)
    disparities.selection_rate = {
      ...(disparities.selection_rate ?? { difference: null, ratio: null }),
      impactRatio: options.impactRatio,
    };
  return {
    key: { g: name },
    count: 100,
    share: 0.25,
    metrics: {},
    disparities,
    flags: options.reference ? ['reference'] : [],
  };
}

const names = (ranked: ReturnType<typeof rankDisparities>, slices: { groups: GroupResult[] }[]): string[] =>
  ranked.map((r) => `${slices[r.slice]!.groups[r.group]!.key.g}:${r.rate}`);

describe('disparityDistance: |ln ratio|', () => {
  it('is 0 at parity, equal for a ratio and its reciprocal, and Infinity at 0', () => {
    expect(disparityDistance(1)).toBe(0);
    // ln 2 = 0.693147180559945 (hand value); 0.5 is as far below parity as 2 is above it
    expect(disparityDistance(2)).toBeCloseTo(0.693147180559945, 14);
    expect(disparityDistance(0.5)).toBeCloseTo(0.693147180559945, 14);
    expect(disparityDistance(0.8)).toBeCloseTo(0.22314355131421, 13); // -ln 0.8
    expect(disparityDistance(0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('rankDisparities: the one rule for the worst-off group', () => {
  const slices = [
    {
      groups: [
        group('ref', { selection_rate: 1, true_positive_rate: 1 }, { reference: true }),
        group('A', { selection_rate: 0.9, true_positive_rate: 2 }),
        group('B', { selection_rate: 0.5, true_positive_rate: 1.1 }),
        group('C', { selection_rate: 0, true_positive_rate: null }),
        group('D', { selection_rate: Number.NaN, true_positive_rate: 1.25 }),
      ],
    },
  ];
  const rates: RateKey[] = ['selection_rate', 'true_positive_rate'];

  it('puts the farthest ratio first (0 before everything), keeps ties in the result order, and leaves out the reference and undefined ratios', () => {
    // distances: A 0.105 / 0.693, B 0.693 / 0.0953, C Infinity, D 0.223 (TPR; NaN selection rate left out)
    const ranked = rankDisparities(slices, { rates });
    expect(names(ranked, slices)).toEqual([
      'C:selection_rate',
      'A:true_positive_rate', // ln 2, tied with B's selection rate (ln 2): A comes first in the slice
      'B:selection_rate',
      'D:true_positive_rate',
      'A:selection_rate',
      'B:true_positive_rate',
    ]);
    expect(ranked[1]!.ratio).toBe(2);
    expect(ranked[1]!.distance).toBeCloseTo(Math.LN2, 14);
  });

  it('gives each group once, by its worst rate; a tie between rates goes to the rate listed first', () => {
    const tied = [{ groups: [group('E', { selection_rate: 0.5, true_positive_rate: 2 })] }];
    expect(names(worstPerGroup(rankDisparities(tied, { rates })), tied)).toEqual(['E:selection_rate']);
    const reversed: RateKey[] = ['true_positive_rate', 'selection_rate'];
    expect(names(worstPerGroup(rankDisparities(tied, { rates: reversed })), tied)).toEqual([
      'E:true_positive_rate',
    ]);
    expect(names(worstPerGroup(rankDisparities(slices, { rates })), slices)).toEqual([
      'C:selection_rate',
      'A:true_positive_rate',
      'B:selection_rate',
      'D:true_positive_rate',
    ]);
  });

  it('leaves out what the caller hides, and only that', () => {
    const hidden = (s: number, g: number, rate: RateKey): boolean => g === 3 && rate === 'selection_rate';
    const ranked = worstPerGroup(rankDisparities(slices, { rates, hidden }));
    expect(names(ranked, slices)).toEqual([
      'A:true_positive_rate',
      'B:selection_rate',
      'D:true_positive_rate',
    ]);
  });

  it('ranks impact ratios (against the most favoured group) lowest first, the reference included', () => {
    const lowest = [
      {
        groups: [
          group('ref', {}, { reference: true, impactRatio: 0.6 }),
          group('top', {}, { impactRatio: 1 }),
          group('mid', {}, { impactRatio: 0.75 }),
        ],
      },
    ];
    const ranked = rankDisparities(lowest, {
      rates: ['selection_rate'],
      comparator: () => 'most_favoured',
    });
    expect(names(ranked, lowest)).toEqual(['ref:selection_rate', 'mid:selection_rate', 'top:selection_rate']);
    expect(ranked.map((r) => r.ratio)).toEqual([0.6, 0.75, 1]);
    expect(ranked.every((r) => r.comparator === 'most_favoured')).toBe(true);
  });

  it('ranks across slices, keeping slice order on ties', () => {
    const two = [
      { groups: [group('X', { selection_rate: 0.5 })] },
      { groups: [group('Y', { selection_rate: 2 })] },
    ];
    expect(names(rankDisparities(two, { rates: ['selection_rate'] }), two)).toEqual([
      'X:selection_rate',
      'Y:selection_rate',
    ]);
    const three = [...two, { groups: [group('Z', { selection_rate: 0.25 })] }];
    expect(rankDisparities(three, { rates: ['selection_rate'] }).map((r) => r.slice)).toEqual([2, 0, 1]);
  });
});
