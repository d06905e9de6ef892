import { shownSiteCounts } from './site-counts';

describe('shownSiteCounts', () => {
  it('shows counts of 0 and 11 or more as they are', () => {
    expect(shownSiteCounts([0, 11, 500])).toEqual([
      { rowCount: 0, suppressed: null },
      { rowCount: 11, suppressed: null },
      { rowCount: 500, suppressed: null },
    ]);
  });

  it('withholds 1 and 10, and the smallest other non-empty count when only one is withheld', () => {
    // With the total (after close: the pooled audit's row count) 7 = total - 40 - 25 if only 7 were hidden.
    expect(shownSiteCounts([7, 40, 25, 0])).toEqual([
      { rowCount: null, suppressed: '1-10' },
      { rowCount: 40, suppressed: null },
      { rowCount: null, suppressed: 'partner' },
      { rowCount: 0, suppressed: null },
    ]);
    expect(shownSiteCounts([1, 10, 30]).map((s) => s.suppressed)).toEqual(['1-10', '1-10', null]);
  });

  it('has no partner to hide when the withheld count is the only one', () => {
    expect(shownSiteCounts([3])).toEqual([{ rowCount: null, suppressed: '1-10' }]);
  });
});
