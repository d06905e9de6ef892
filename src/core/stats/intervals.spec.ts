import {
  clampTo,
  containing,
  katzRatioInterval,
  logitInterval,
  mannWhitneyScoreInterval,
  newcombeDifferenceInterval,
  scoreRatioInterval,
  wilsonInterval,
} from './intervals';
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

describe('scoreRatioInterval (Koopman; Miettinen–Nurminen)', () => {
  // Perondi et al. 2004 (7/34 vs 1/34), the worked example of Fagerland, Lydersen and Laake, "Statistical
  // Analysis of Contingency Tables" (2017), ch. 4; the same figures are asserted by the R package
  // contingencytables (tests/testthat/test-ch4.R): Koopman 1.2209 to 42.5757, Miettinen–Nurminen
  // 1.2086 to 43.0330 (Katz 0.9096 to 53.8695).
  it('matches the published Koopman interval for Perondi 2004', () => {
    const interval = scoreRatioInterval(7, 34, 1, 34, Z, 'koopman');
    expect(interval?.low).toBeCloseTo(1.2209, 4);
    expect(interval?.high).toBeCloseTo(42.5757, 4);
  });

  it('matches the published Miettinen–Nurminen interval for Perondi 2004', () => {
    const interval = scoreRatioInterval(7, 34, 1, 34, Z, 'miettinen-nurminen');
    expect(interval?.low).toBeCloseTo(1.2086, 4);
    expect(interval?.high).toBeCloseTo(43.033, 3);
  });

  it('keeps Katz for comparison: the same table gives 0.9096 to 53.8695', () => {
    const interval = katzRatioInterval(7, 34, 1, 34, Z);
    expect(interval?.low).toBeCloseTo(0.9096, 4);
    expect(interval?.high).toBeCloseTo(53.8695, 3);
  });

  it('is defined with 0 events in the group (Ritland et al. 2007: 0/16 vs 15/72)', () => {
    // Nam's (1995, Biom J 37:375) non-iterative cubic solution (R PropCIs::riskscoreci, evaluated
    // separately in Python) gives 0 to 0.961902.
    const interval = scoreRatioInterval(0, 16, 15, 72, Z);
    expect(interval?.low).toBe(0);
    expect(interval?.high).toBeCloseTo(0.961902, 5);
    // Katz has nothing to say here.
    expect(katzRatioInterval(0, 16, 15, 72, Z)).toBeNull();
  });

  it('is unbounded above with 0 events in the reference, and the mirror image of the swapped table', () => {
    const interval = scoreRatioInterval(15, 72, 0, 16, Z);
    expect(interval?.high).toBe(Infinity);
    expect(interval?.low).toBeCloseTo(1 / 0.961902, 5);
  });

  it('is [0, ∞) when neither sample has an event, and null for an empty sample', () => {
    expect(scoreRatioInterval(0, 10, 0, 12, Z)).toEqual({ low: 0, high: Infinity });
    expect(scoreRatioInterval(0, 0, 3, 12, Z)).toBeNull();
  });

  it('does not collapse to [1, 1] when both rates are 1: closed form n1/(n1 + z²) to (n2 + z²)/n2', () => {
    // With both rates 1 the restricted MLE is p̃2 = 1 (θ < 1) or 1/θ (θ > 1), so the statistic is
    // n1(1 − θ)/θ below 1 and n2(θ − 1) above: its roots are the closed form (also PropCIs' special case).
    const interval = scoreRatioInterval(14, 14, 20, 20, Z);
    expect(interval?.low).toBeCloseTo(14 / (14 + Z * Z), 10);
    expect(interval?.high).toBeCloseTo((20 + Z * Z) / 20, 10);
    expect(katzRatioInterval(14, 14, 20, 20, Z)).toEqual({ low: 1, high: 1 });
  });

  it('puts the statistic at z² on both limits (constrained MLE found here by golden-section search)', () => {
    // Independent of the quadratic the implementation solves: maximise the log-likelihood under p1 = θ·p2.
    const [x1, n1, x2, n2] = [9, 40, 21, 50];
    const statistic = (theta: number): number => {
      const logLik = (p2: number): number =>
        x1 * Math.log(theta * p2) +
        (n1 - x1) * Math.log(1 - theta * p2) +
        x2 * Math.log(p2) +
        (n2 - x2) * Math.log(1 - p2);
      let [lo, hi] = [1e-12, Math.min(1, 1 / theta) - 1e-12];
      for (let i = 0; i < 200; i++) {
        const a = lo + (hi - lo) * 0.381966;
        const b = lo + (hi - lo) * 0.618034;
        if (logLik(a) < logLik(b)) lo = a;
        else hi = b;
      }
      const p2 = (lo + hi) / 2;
      const p1 = theta * p2;
      return (
        (x1 / n1 - theta * (x2 / n2)) ** 2 / ((p1 * (1 - p1)) / n1 + (theta * theta * p2 * (1 - p2)) / n2)
      );
    };
    const interval = scoreRatioInterval(x1, n1, x2, n2, Z);
    expect(statistic(interval!.low)).toBeCloseTo(Z * Z, 6);
    expect(statistic(interval!.high)).toBeCloseTo(Z * Z, 6);
    expect(interval!.low).toBeLessThan(9 / 40 / (21 / 50));
    expect(interval!.high).toBeGreaterThan(9 / 40 / (21 / 50));
  });

  it('covers 0.05 / 0.05 with n = 20 each in ≥ 93.5% of 2,000 seeded draws, where Katz is often undefined', () => {
    // The simulation study's worst case: with p = 0.05 and n = 20, P(x = 0) = 0.95^20 = 0.358 per group.
    const random = mulberry32(14);
    let covered = 0;
    let katzUndefined = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const [x1, x2] = [binomial(random, 20, 0.05), binomial(random, 20, 0.05)];
      const interval = scoreRatioInterval(x1, 20, x2, 20, Z);
      if (interval !== null && interval.low <= 1 && 1 <= interval.high) covered++;
      if (katzRatioInterval(x1, 20, x2, 20, Z) === null) katzUndefined++;
    }
    // 0.95 − 3·√(0.95·0.05/2000) = 0.935 (three binomial standard errors below nominal).
    expect(covered / 2000).toBeGreaterThanOrEqual(0.935);
    // 1 − (1 − 0.358)² = 0.588 of tables have a zero somewhere.
    expect(katzUndefined / 2000).toBeGreaterThan(0.55);
  });

  it('covers 0.30 / 0.20 with n = 150 each in 93.5–96.5% of 2,000 seeded draws', () => {
    const random = mulberry32(13);
    let covered = 0;
    for (let draw = 0; draw < 2000; draw++) {
      const interval = scoreRatioInterval(
        binomial(random, 150, 0.3),
        150,
        binomial(random, 150, 0.2),
        150,
        Z,
      );
      if (interval !== null && interval.low <= 1.5 && 1.5 <= interval.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThanOrEqual(0.935);
    expect(covered / 2000).toBeLessThanOrEqual(0.965);
  });
});

describe('mannWhitneyScoreInterval (Newcombe 2006, method 5)', () => {
  // V(θ) = θ(1 − θ)/(mn)·[1 + (N/2 − 1)((1 − θ)/(2 − θ) + θ/(1 + θ))]; the limits solve (A − θ)² = z²V(θ).
  const v = (theta: number, m: number, n: number): number =>
    ((theta * (1 - theta)) / (m * n)) *
    (1 + ((m + n) / 2 - 1) * ((1 - theta) / (2 - theta) + theta / (1 + theta)));

  it('does not collapse under perfect separation of 5 + 5 rows', () => {
    const interval = mannWhitneyScoreInterval(1, 5, 5, Z);
    expect(interval?.high).toBe(1);
    // The lower limit is the root of (1 − θ)² − z²V(θ) on (0, 1), found here by scanning a grid of 10⁶ points.
    let root = 0;
    for (let i = 1; i < 1e6; i++) {
      const theta = i / 1e6;
      if ((1 - theta) ** 2 <= Z * Z * v(theta, 5, 5)) {
        root = theta;
        break;
      }
    }
    expect(interval?.low).toBeCloseTo(root, 5);
  });

  it('is symmetric about ½ at A = ½ and mirrors A = 0 and A = 1', () => {
    const half = mannWhitneyScoreInterval(0.5, 8, 8, Z)!;
    expect(half.low + half.high).toBeCloseTo(1, 10);
    const zero = mannWhitneyScoreInterval(0, 5, 5, Z)!;
    const one = mannWhitneyScoreInterval(1, 5, 5, Z)!;
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(1 - one.low, 10);
  });

  it('satisfies its defining equation at both limits for A = 0.8, m = 12, n = 30', () => {
    const { low, high } = mannWhitneyScoreInterval(0.8, 12, 30, Z)!;
    expect((0.8 - low) ** 2 - Z * Z * v(low, 12, 30)).toBeCloseTo(0, 12);
    expect((0.8 - high) ** 2 - Z * Z * v(high, 12, 30)).toBeCloseTo(0, 12);
  });

  it('is null for an empty class or an AUC outside [0, 1]', () => {
    expect(mannWhitneyScoreInterval(1, 0, 5, Z)).toBeNull();
    expect(mannWhitneyScoreInterval(1.2, 5, 5, Z)).toBeNull();
  });
});

describe('clampTo and containing', () => {
  it('clamps estimates to their range and leaves null alone', () => {
    expect(clampTo(1.0000000000000002, 0, 1)).toBe(1);
    expect(clampTo(-1.0000000000000007, -1, 1)).toBe(-1);
    expect(clampTo(0.3, 0, 1)).toBe(0.3);
    expect(clampTo(null, 0, 1)).toBeNull();
  });

  it('widens an interval to contain its estimate and cuts it to the range', () => {
    // The rounding cases of the simulation study: 0/10 with ciLow 2e-17, 14/14 with ciHigh 1 − 2.2e-16.
    expect(containing({ low: 2e-17, high: 0.2775 }, 0, 0, 1)).toEqual({ low: 0, high: 0.2775 });
    expect(containing({ low: 0.7847, high: 1 - 2.2e-16 }, 1, 0, 1)).toEqual({ low: 0.7847, high: 1 });
    expect(containing({ low: -1.2, high: 0.4 }, -1.0000000000000007, -1, 1)).toEqual({ low: -1, high: 0.4 });
    expect(containing({ low: 0.2, high: 0.4 }, 0.3, 0, 1)).toEqual({ low: 0.2, high: 0.4 });
    expect(containing(null, 0.3, 0, 1)).toBeNull();
  });

  it('leaves an interval alone when the estimate is null', () => {
    expect(containing({ low: 0.2, high: 0.4 }, null, 0, 1)).toEqual({ low: 0.2, high: 0.4 });
  });
});
