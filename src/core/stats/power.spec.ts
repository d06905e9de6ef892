import { normalCdf, normalQuantile } from './distributions';
import { groupSizeToDetect, minDetectableRatios, powerMultiplier } from './power';

/** Power of the two-sided z-test with the unpooled variance: both tails. */
function power(p: number, r: number, n: number, m: number, alpha: number): number {
  const sd = Math.sqrt((p * (1 - p)) / n + (r * (1 - r)) / m);
  const z = normalQuantile(1 - alpha / 2);
  return normalCdf(Math.abs(r - p) / sd - z) + normalCdf(-Math.abs(r - p) / sd - z);
}

describe('powerMultiplier', () => {
  it('is z_0.975 + z_0.8 = 1.959964 + 0.841621 for α = 0.05 and 80% power', () => {
    expect(powerMultiplier(0.05, 0.8)).toBeCloseTo(2.801585, 6);
  });
});

describe('minDetectableRatios', () => {
  it('matches the textbook sample size: 0.4 against 0.6 needs 94.2 per group (k²·0.48/0.04)', () => {
    // n = (z_0.975 + z_0.8)²·(0.6·0.4 + 0.4·0.6)/(0.6 − 0.4)² = 7.848879·0.48/0.04 = 94.1865.
    const ratios = minDetectableRatios(0.6, 94.1865, 94.1865, 0.05, 0.8);
    expect((ratios?.below ?? 0) * 0.6).toBeCloseTo(0.4, 4);
  });

  it('has 80% power at both limits (the far tail is negligible here)', () => {
    const r = minDetectableRatios(0.3, 150, 900, 0.05, 0.8)!;
    expect(power(r.below! * 0.3, 0.3, 150, 900, 0.05)).toBeCloseTo(0.8, 4);
    expect(power(r.above! * 0.3, 0.3, 150, 900, 0.05)).toBeCloseTo(0.8, 4);
  });

  it('is null below when even a rate of 0 would be missed, and null above when the rate would pass 1', () => {
    // 0.2 against 5 rows: 0.04 < k²·0.2·0.8/5 = 0.251, so nothing below is detectable.
    expect(minDetectableRatios(0.2, 5, 5, 0.05, 0.8)?.below).toBeNull();
    // 0.9 with 5 people against 20: a = 1 + k²/5 = 2.569776, b = −(1.8 + 1.569776) = −3.369776,
    // c = 0.81 − k²·0.09/20 = 0.774680; the upper root (3.369776 + √3.392460)/5.139552 = 1.0140 exceeds 1.
    expect(minDetectableRatios(0.9, 5, 20, 0.05, 0.8)?.above).toBeNull();
    expect(minDetectableRatios(1, 20, 1000, 0.05, 0.8)?.above).toBeNull();
  });

  it('is null for empty groups and a reference rate of 0', () => {
    expect(minDetectableRatios(0, 20, 20, 0.05, 0.8)).toBeNull();
    expect(minDetectableRatios(0.5, 0, 20, 0.05, 0.8)).toBeNull();
  });
});

describe('groupSizeToDetect', () => {
  it('is the closed form k²p(1 − p)/((r − p)² − k²r(1 − r)/m) and gives 80% power there', () => {
    // r = 0.5, ratio 0.8 → p = 0.4; m = 500: (0.1² − 7.848879·0.25/500) = 0.01 − 0.003924 = 0.006076;
    // n = 7.848879·0.24/0.006076 = 310.0 (six-digit intermediates).
    const n = groupSizeToDetect(0.8, 0.5, 500, 0.05, 0.8)!;
    expect(n).toBeCloseTo(310.0, 0);
    expect(power(0.4, 0.5, n, 500, 0.05)).toBeCloseTo(0.8, 4);
    expect(minDetectableRatios(0.5, n, 500, 0.05, 0.8)?.below).toBeCloseTo(0.8, 8);
  });

  it('is null when the reference group itself is too small for any group size to suffice', () => {
    // (0.1)² = 0.01 < k²·0.25/100 = 0.0196: the reference's own noise hides a ratio of 0.8.
    expect(groupSizeToDetect(0.8, 0.5, 100, 0.05, 0.8)).toBeNull();
    expect(groupSizeToDetect(1, 0.5, 100, 0.05, 0.8)).toBeNull();
    expect(groupSizeToDetect(0.8, 0, 100, 0.05, 0.8)).toBeNull();
  });
});
