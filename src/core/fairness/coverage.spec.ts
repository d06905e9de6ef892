/**
 * The coverage study, small and seeded (the large one: `npm run bench -- coverage`): datasets simulated
 * with a known truth and run through computeFairness. Coverage must not fall more than three binomial
 * standard errors below the nominal 95%: 0.95 − 3·√(0.95·0.05/2000) = 0.9354.
 */
import { aucScenario, holmNullScenario, ratioScenario } from '../../../bench/support/coverage-study';

const FLOOR_2000 = 0.95 - 3 * Math.sqrt((0.95 * 0.05) / 2000);

describe('coverage of the intervals (2,000 seeded datasets per scenario)', () => {
  it('Koopman ratio interval, 20 + 20 rows at p = 0.05: always defined, covers ratio 1', () => {
    // Katz was null in 36–46% of these datasets (a group with no events: 1 − (1 − 0.95^20)² = 0.588 have a zero).
    const s = ratioScenario(2000, 101, 20, 0.05);
    expect(s.defined).toBe(2000);
    expect(s.hits / s.defined).toBeGreaterThanOrEqual(FLOOR_2000);
  });

  it('AUC interval, 5 + 5 rows with true AUC 0.9 (perfect separation in many datasets)', () => {
    // DeLong's [1, 1] covered 68% here; the score-type interval takes over where DeLong collapses.
    const s = aucScenario(2000, 102, 5, 0.9);
    expect(s.defined).toBe(2000);
    expect(s.hits / s.defined).toBeGreaterThanOrEqual(FLOOR_2000);
  });

  it('AUC interval, 30 + 30 rows with true AUC 0.8 (DeLong on the logit scale)', () => {
    const s = aucScenario(2000, 103, 30, 0.8);
    expect(s.hits / s.defined).toBeGreaterThanOrEqual(FLOOR_2000);
  });
});

describe("Holm's family under the null (1,000 seeded datasets of 4 × 50 rows, no disparity)", () => {
  it('family "slice" keeps the chance of any adjusted p < 0.05 in the slice at 5% (+ 3 binomial SE)', () => {
    const s = holmNullScenario(1000, 104, 50, 'slice');
    expect(s.hits / s.defined).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / 1000));
  });

  it('family "metric" does not: more than 10% of null slices show some adjusted p < 0.05', () => {
    const s = holmNullScenario(1000, 104, 50, 'metric');
    expect(s.hits / s.defined).toBeGreaterThan(0.1);
  });
});
