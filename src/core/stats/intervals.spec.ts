import { katzRatioInterval, logitInterval, newcombeDifferenceInterval, wilsonInterval } from './intervals';
import { zCritical } from './distributions';
import { mulberry32 } from './prng';

const Z = zCritical(0.95);

function binomial(random: () => number, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (random() < p) x++;
  return x;
}

describe('wilsonInterval', () => {
  // Newcombe (1998a, Stat Med 17:857), Table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998a', (x, n, low, high) => {
    const interval = wilsonInterval(x, n, Z);
    expect(interval?.low).toBeCloseTo(low, 4);
    expect(interval?.high).toBeCloseTo(high, 4);
  });

  it('is undefined for n = 0', () => {
    expect(wilsonInterval(0, 0, Z)).toBeNull();
  });

  it('covers p = 0.3 with n = 60 in 93–97% of 2,000 seeded draws', () => {
    const random = mulberry32(11);
    let covered = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const interval = wilsonInterval(binomial(random, 60, 0.3), 60, Z);
      if (interval !== null && interval.low <= 0.3 && 0.3 <= interval.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 2000).toBeLessThanOrEqual(0.97);
  });
});

describe('newcombeDifferenceInterval (method 10)', () => {
  // Newcombe (1998b, Stat Med 17:873), Table II, method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0],
  ])('%i/%i − %i/%i matches Newcombe 1998b', (x1, n1, x2, n2, low, high) => {
    const interval = newcombeDifferenceInterval(x1, n1, x2, n2, Z);
    expect(interval?.low).toBeCloseTo(low, 4);
    expect(interval?.high).toBeCloseTo(high, 4);
  });

  it('combines the two Wilson intervals by hand for 6/7 − 2/7', () => {
    // Wilson 6/7: centre (6/7 + z²/14)/(1 + z²/7) ± …  → (0.486869, 0.974321); Wilson 2/7 → (0.082214, 0.641068).
    // d = 4/7 = 0.571429; δ = √((0.857143 − 0.486869)² + (0.641068 − 0.285714)²) = √0.263380 = 0.513206;
    // ε = √((0.974321 − 0.857143)² + (0.285714 − 0.082214)²) = √0.055143 = 0.234826.
    const interval = newcombeDifferenceInterval(6, 7, 2, 7, Z);
    // (six-digit intermediates, so compared to 4 decimals)
    expect(interval?.low).toBeCloseTo(0.571429 - 0.513206, 4);
    expect(interval?.high).toBeCloseTo(0.571429 + 0.234826, 4);
  });

  it('covers 0.40 − 0.25 with n = 80, 70 in 93–97% of 2,000 seeded draws', () => {
    const random = mulberry32(12);
    let covered = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const interval = newcombeDifferenceInterval(
        binomial(random, 80, 0.4),
        80,
        binomial(random, 70, 0.25),
        70,
        Z,
      );
      if (interval !== null && interval.low <= 0.15 && 0.15 <= interval.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 2000).toBeLessThanOrEqual(0.97);
  });
});

describe('katzRatioInterval', () => {
  it('matches a hand computation for 20/100 over 10/100', () => {
    // RR = 2; se = √(1/20 − 1/100 + 1/10 − 1/100) = √0.13 = 0.360555;
    // exp(ln 2 ± 1.959964·0.360555) = 2·exp(±0.706676) = (0.98656, 4.05448).
    const interval = katzRatioInterval(20, 100, 10, 100, Z);
    expect(interval?.low).toBeCloseTo(0.98656, 4);
    expect(interval?.high).toBeCloseTo(4.05448, 4);
  });

  it('is undefined when a count of successes is 0', () => {
    expect(katzRatioInterval(0, 10, 3, 10, Z)).toBeNull();
  });

  it('covers 0.30 / 0.20 with n = 150 each in 93–97% of 2,000 seeded draws', () => {
    const random = mulberry32(13);
    let covered = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const interval = katzRatioInterval(binomial(random, 150, 0.3), 150, binomial(random, 150, 0.2), 150, Z);
      if (interval !== null && interval.low <= 1.5 && 1.5 <= interval.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 2000).toBeLessThanOrEqual(0.97);
  });
});

describe('logitInterval', () => {
  it('is symmetric on the logit scale', () => {
    // p = 0.8, se = 0.05: logit 0.8 = ln 4 = 1.386294; half-width 1.959964·0.05/0.16 = 0.612489;
    // logistic(0.773806) = 1/(1 + e^−0.773806) = 0.684344, logistic(1.998783) = 0.880669 (Python math.exp).
    const interval = logitInterval(0.8, 0.05, Z);
    expect(interval?.low).toBeCloseTo(0.684344, 5);
    expect(interval?.high).toBeCloseTo(0.880669, 5);
  });

  it('collapses at 1 with zero variance and is undefined at 1 with a positive one', () => {
    expect(logitInterval(1, 0, Z)).toEqual({ low: 1, high: 1 });
    expect(logitInterval(1, 0.1, Z)).toBeNull();
  });
});
