import { DomainError } from '../errors';
import { chiSquareHomogeneity, holm, twoProportionZ } from './hypothesis-tests';
import { jsDistance } from './js-distance';
import { kolmogorovSurvival, ksTwoSample } from './ks';
import { binShares, decileEdges, psi, PSI_EPSILON, scorePsiDeciles, scorePsiEqualWidth } from './psi';
import { quantileLinear } from './quantile';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

describe('quantileLinear (numpy default "linear")', () => {
  it('matches np.quantile([1, 2, 3, 4], q)', () => {
    // h = 3·0.25 = 0.75 → 1 + 0.75·(2 − 1) = 1.75
    expect(quantileLinear(f64([1, 2, 3, 4]), 0.25)).toBeCloseTo(1.75, 15);
    // np.quantile([1,2,3,4], [0.1, 0.5, 0.9]) = [1.3, 2.5, 3.7]
    expect(quantileLinear(f64([1, 2, 3, 4]), 0.1)).toBeCloseTo(1.3, 14);
    expect(quantileLinear(f64([1, 2, 3, 4]), 0.5)).toBeCloseTo(2.5, 14);
    expect(quantileLinear(f64([1, 2, 3, 4]), 0.9)).toBeCloseTo(3.7, 14);
  });

  it('matches numpy to the last bit, including its upper-neighbour form when t ≥ 0.5', () => {
    // [float(q) for q in np.quantile(np.arange(1, 11), [0.3, 0.6, 0.7])] = [3.6999999999999997, 6.3999999999999995, 7.3]
    const oneToTen = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(quantileLinear(oneToTen, 0.3)).toBe(3.6999999999999997);
    expect(quantileLinear(oneToTen, 0.6)).toBe(6.3999999999999995);
    expect(quantileLinear(oneToTen, 0.7)).toBe(7.3);
  });

  it('returns the extremes at 0 and 1 and rejects an empty sample', () => {
    expect(quantileLinear(f64([2, 5, 9]), 0)).toBe(2);
    expect(quantileLinear(f64([2, 5, 9]), 1)).toBe(9);
    expect(() => quantileLinear(f64([]), 0.5)).toThrow(DomainError);
  });
});

describe('psi', () => {
  it('is 0 for identical shares', () => {
    expect(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it('uses the 0.0001 epsilon for an empty bin', () => {
    // 2·(0.25 − 0.5)·ln(0.25/0.5) + (0.5 − 0.0001)·ln(0.5/0.0001)
    // = 2·0.1732868 + 0.4999·8.5171932 = 0.3465736 + 4.2577449 = 4.6043185
    expect(PSI_EPSILON).toBe(0.0001);
    expect(psi([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBeCloseTo(4.60431846666895, 12);
    expect(psi([0.25, 0.25, 0.5], [0.5, 0.5, 0])).toBeCloseTo(4.60431846666895, 12);
  });

  it('rejects bins that do not line up', () => {
    expect(() => psi([1], [0.5, 0.5])).toThrow(DomainError);
  });
});

describe('score binning', () => {
  it('cuts at the baseline deciles and sends a value on an edge to the upper bin', () => {
    // baseline 0..10: h = 10·p, so the deciles are exactly 1, 2, …, 9
    const edges = decileEdges(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(Array.from(edges)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 1 lies on the edge between bins 0 and 1 → bin 1; 9 and 10 → bin 9 (unbounded above); −5 → bin 0
    expect(Array.from(binShares(f64([-5, 1, 9, 10]), edges))).toEqual([0.25, 0.25, 0, 0, 0, 0, 0, 0, 0, 0.5]);
  });

  it('gives decile PSI 0 for the same sample and the hand value for a shifted one', () => {
    const baseline = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // edges 1.9, 2.8, …, 9.1: one value per bin
    expect(scorePsiDeciles(baseline, f64([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))).toBe(0);
    // current shares [0.2, 0.2, 0.1 ×6, 0, 0]:
    // 2·(0.2 − 0.1)·ln 2 + 2·(0.0001 − 0.1)·ln(0.0001/0.1) = 0.1386294 + 1.3801695 = 1.5187989
    expect(scorePsiDeciles(baseline, f64([1, 1, 2, 2, 3, 4, 5, 6, 7, 8]))).toBeCloseTo(
      1.5187989408526201,
      12,
    );
  });

  it('merges tied deciles instead of producing NaN', () => {
    // baseline 0 ×8, 1 ×2: deciles 0 (×7), 0.2 (h = 7.2), 1 (h = 8.1) → edges [0, 0.2, 1]
    const baseline = f64([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const edges = Array.from(decileEdges(baseline));
    expect(edges).toHaveLength(3);
    [0, 0.2, 1].forEach((edge, i) => expect(edges[i]).toBeCloseTo(edge, 15));
    expect(scorePsiDeciles(baseline, baseline)).toBe(0);
    // shares [0, 0.8, 0, 0.2] → [0, 0.5, 0, 0.5]; bins empty on both sides add (ε − ε)·ln 1 = 0
    // (0.5 − 0.8)·ln(0.5/0.8) + (0.5 − 0.2)·ln(0.5/0.2) = 0.1410011 + 0.2748872 = 0.4158883
    expect(scorePsiDeciles(baseline, f64([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]))).toBeCloseTo(
      0.41588830833596724,
      12,
    );
  });

  it('bins probabilities in ten equal-width bins, the last one closed', () => {
    const baseline = f64([0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]);
    expect(scorePsiEqualWidth(baseline, baseline)).toBe(0);
    // 0.1 → [0.1, 0.2); 1.0 → [0.9, 1]: shares 0.5 in bins 1 and 9, 0 elsewhere
    // 8·(0.0001 − 0.1)·ln(0.0001/0.1) + 2·(0.5 − 0.1)·ln 5 = 5.5206771 + 1.2875503 = 6.8082283
    const current = f64([0.1, 0.1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1]);
    expect(scorePsiEqualWidth(baseline, current)).toBeCloseTo(6.808228348909805, 12);
    expect(() => scorePsiEqualWidth(baseline, f64([1.5]))).toThrow(DomainError);
  });
});

describe('ksTwoSample (scipy.stats.ks_2samp, two-sided, method auto)', () => {
  it('gives D 0 and p 1 for identical samples', () => {
    const sample = f64([0.3, 0.1, 0.7, 0.7, 0.2]);
    expect(ksTwoSample(sample, sample)).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
  });

  it('gives D 1 and p = 2/C(10,5) for fully separated samples of 5 and 5', () => {
    // only the two paths "all a first" and "all b first" reach D = 1: 2/252 = 0.0079365079…
    const result = ksTwoSample(f64([1, 2, 3, 4, 5]), f64([6, 7, 8, 9, 10]));
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(2 / 252, 15);
  });

  it('gives p = 2/C(7,3) for separated samples of unequal sizes', () => {
    // ks_2samp([1,2,3], [4,5,6,7]) → D 1, p 0.05714285714285715 = 2/35
    const result = ksTwoSample(f64([1, 2, 3]), f64([4, 5, 6, 7]));
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(0.05714285714285715, 14);
  });

  it('matches scipy on interleaved samples and on ties', () => {
    // ks_2samp([0.1,0.4,0.7,0.2,0.9,0.35], [0.3,0.5,0.8,0.6,0.45,0.95,0.85]) → D 0.5238095238095238 (= 22/42),
    // p 0.2773892773892773
    const interleaved = ksTwoSample(
      f64([0.1, 0.4, 0.7, 0.2, 0.9, 0.35]),
      f64([0.3, 0.5, 0.8, 0.6, 0.45, 0.95, 0.85]),
    );
    expect(interleaved.statistic).toBeCloseTo(22 / 42, 15);
    expect(interleaved.pValue).toBeCloseTo(0.2773892773892773, 12);
    // ks_2samp([1,2,2,3,3,3], [2,3,3,4,4]) → D 0.4, p 0.6883116883116883
    const tied = ksTwoSample(f64([1, 2, 2, 3, 3, 3]), f64([2, 3, 3, 4, 4]));
    expect(tied.statistic).toBeCloseTo(0.4, 15);
    expect(tied.pValue).toBeCloseTo(0.6883116883116883, 12);
  });

  it('switches to the asymptotic p-value above 10 000 rows, close to scipy', () => {
    // a_i = (i + 0.5)/20000, b_j = ((j + 0.5)/15000)^1.05: ks_2samp → D 0.018 (D·n1·n2 = 5 400 000),
    // p 0.007649478311490246 (kstwo.sf(0.018, 8571))
    const a = Float64Array.from({ length: 20000 }, (_, i) => (i + 0.5) / 20000);
    const b = Float64Array.from({ length: 15000 }, (_, j) => ((j + 0.5) / 15000) ** 1.05);
    const result = ksTwoSample(a, b);
    expect(result.method).toBe('asymp');
    expect(result.statistic * 20000 * 15000).toBeCloseTo(5_400_000, 3);
    expect(result.pValue).toBeCloseTo(0.007649478311490246, 4);
  });

  it('keeps the exact p-value to 1M lattice cells and is continuous where it switches to the asymptotic one', () => {
    // 1000 × 1000 = 1M cells → exact; 1001 × 1000 → asymptotic. The same shift (0.08) on both sides gives
    // nearly the same D, so the two p-values must agree to about 10%.
    const grid = (n: number, shift: number) =>
      Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n + shift);
    const exact = ksTwoSample(grid(1000, 0), grid(1000, 0.08));
    const asymp = ksTwoSample(grid(1001, 0), grid(1000, 0.08));
    expect([exact.method, asymp.method]).toEqual(['exact', 'asymp']);
    expect(exact.statistic).toBeCloseTo(0.08, 2);
    expect(asymp.pValue / exact.pValue).toBeGreaterThan(0.9);
    expect(asymp.pValue / exact.pValue).toBeLessThan(1.1);
  });

  it('has the Kolmogorov survival function of scipy.stats.kstwobign.sf', () => {
    // kstwobign.sf([0.5, 1.0, 1.3580986393225505, 2.0]) = [0.963945244, 0.269999672, 0.05, 0.000670925256]
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.963945244, 8);
    expect(kolmogorovSurvival(1)).toBeCloseTo(0.269999672, 8);
    expect(kolmogorovSurvival(1.3580986393225505)).toBeCloseTo(0.05, 12);
    expect(kolmogorovSurvival(2)).toBeCloseTo(0.000670925256, 11);
  });

  it('rejects an empty sample', () => {
    expect(() => ksTwoSample(f64([]), f64([1]))).toThrow(DomainError);
  });
});

describe('jsDistance (scipy.spatial.distance.jensenshannon, base e)', () => {
  it('is 0 for identical and √ln 2 for disjoint distributions', () => {
    expect(jsDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(jsDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 15); // 0.8325546111576977
  });

  it('normalises weights and matches scipy', () => {
    // jensenshannon([0.5, 0.5], [0.9, 0.1]) = 0.31898154347735663; jensenshannon([1,2,3], [3,2,1]) = 0.29531004717204934
    expect(jsDistance([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(0.31898154347735663, 14);
    expect(jsDistance([1, 2, 3], [3, 2, 1])).toBeCloseTo(0.29531004717204934, 14);
  });
});

describe('chiSquareHomogeneity', () => {
  it('matches a hand 2×2 table', () => {
    // A = [10, 20], B = [30, 40]; column totals 40, 60; expected A = [12, 18], B = [28, 42]
    // X² = 4/12 + 4/18 + 4/28 + 4/42 = 0.7936508; dof 1;
    // p = erfc(√(X²/2)) = 0.37299848361348686 (chi2_contingency(..., correction=False))
    const result = chiSquareHomogeneity([10, 20], [30, 40]);
    expect(result.statistic).toBeCloseTo(0.7936507936507936, 14);
    expect(result.dof).toBe(1);
    expect(result.pValue).toBeCloseTo(0.37299848361348686, 10);
  });

  it('drops categories empty on both sides', () => {
    // chi2_contingency([[10,20,30],[25,15,20]], correction=False) → 9.142857142857142, dof 2, p 0.010343173196618252
    const result = chiSquareHomogeneity([10, 0, 20, 30], [25, 0, 15, 20]);
    expect(result.statistic).toBeCloseTo(9.142857142857142, 12);
    expect(result.dof).toBe(2);
    expect(result.pValue).toBeCloseTo(0.010343173196618252, 10);
  });

  it('has nothing to test with a single category', () => {
    expect(chiSquareHomogeneity([5, 0], [7, 0])).toEqual({ statistic: 0, dof: 0, pValue: 1 });
  });
});

describe('twoProportionZ', () => {
  it('matches a hand case', () => {
    // 40/100 vs 60/100: pooled 0.5, SE = √(0.25·0.02) = 0.0707107, z = 0.2/0.0707107 = 2√2
    // two-sided p = erfc(z/√2) = erfc(2) = 0.004677734981047266
    const result = twoProportionZ(40, 100, 60, 100);
    expect(result?.z).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(result?.pValue).toBeCloseTo(0.004677734981047266, 12);
    expect(twoProportionZ(60, 100, 40, 100)?.z).toBeCloseTo(-2 * Math.SQRT2, 12);
  });

  it('is null without a denominator and p 1 without variance', () => {
    expect(twoProportionZ(0, 0, 3, 10)).toBeNull();
    expect(twoProportionZ(0, 10, 0, 20)).toEqual({ z: 0, pValue: 1, p1: 0, p2: 0 });
  });
});

describe('holm', () => {
  it('adjusts step-down in the input order', () => {
    // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max(0.06, 0.04) = 0.06
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    expected.forEach((value, i) => expect(adjusted[i]).toBeCloseTo(value, 15));
  });

  it('keeps nulls out of the count and caps at 1', () => {
    // m = 2: 0.3·2 = 0.6, 0.7·1 = 0.7
    expect(holm([0.7, null, 0.3])).toEqual([0.7, null, 0.6]);
    expect(holm([0.6, 0.9])).toEqual([1, 1]);
  });
});
