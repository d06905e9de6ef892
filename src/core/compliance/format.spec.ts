import { cadenceDays, headCount, percent, pointLimit, points } from './format';
import { compareProportions, holmAdjust } from '../stats';

describe('rationale formatting', () => {
  it('never prints a head count from 1 to 10 (CMS cell-size rule); 0 and 11+ are shown', () => {
    expect([0, 1, 7, 10, 11, 3696].map(headCount)).toEqual([
      '0',
      'fewer than 11',
      'fewer than 11',
      'fewer than 11',
      '11',
      '3696',
    ]);
  });

  it('does not round a ratio below the limit up to the limit', () => {
    expect(percent(0.7)).toBe('70%');
    expect(percent(0.7954, 0.8)).toBe('79.5%');
    expect(percent(0.8, 0.8)).toBe('80%');
  });

  it('writes gaps in percentage points', () => {
    expect(points(-0.15)).toBe('15 percentage points');
    expect(points(0.397)).toBe('39.7 percentage points');
    expect(pointLimit(0.1)).toBe('10-percentage-point limit');
  });

  it('reads monitoring cadences in days', () => {
    expect(cadenceDays('Monthly')).toBe(31);
    expect(cadenceDays('quarterly')).toBe(92);
    expect(cadenceDays('P90D')).toBe(90);
    expect(cadenceDays('every 2 weeks')).toBe(14);
    expect(cadenceDays('6 months')).toBe(186);
    expect(cadenceDays('when needed')).toBeNull();
  });
});

describe('significance against the most-favoured group', () => {
  it('matches the hand z-test of the 1607.4(D) example: 21/50 vs 48/80 → z = 2.0007, p = 0.04542', () => {
    expect(compareProportions(21, 50, 48, 80)).toEqual({ pValue: expect.closeTo(0.0454234, 6), test: 'z' });
  });

  it("uses Fisher's exact test when an expected cell is below 5: 3/7 vs 48/80 → p = 0.44138 (scipy fisher_exact)", () => {
    // Expected selected in the small group: 7·51/87 = 4.1 < 5.
    expect(compareProportions(3, 7, 48, 80)).toEqual({ pValue: expect.closeTo(0.441384, 5), test: 'fisher' });
  });

  it('Holm-adjusts step-down: [0.01, 0.04, 0.03] → [0.03, 0.06, 0.06]; nulls are not tests', () => {
    // Sorted .01·3 = .03, .03·2 = .06, .04·1 = .04 → running max .06.
    const adjusted = holmAdjust([0.01, 0.04, null, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeNull();
    expect(adjusted[3]).toBeCloseTo(0.06, 12);
  });
});
