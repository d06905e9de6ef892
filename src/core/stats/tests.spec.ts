import { compareProportions, fisherExactTwoSided, holmAdjust, twoProportionZTest } from './tests';

describe('twoProportionZTest', () => {
  it('matches a hand computation (= scipy chi2_contingency([[15,35],[25,25]], correction=False))', () => {
    // pooled p = 40/100 = 0.4; se = √(0.4·0.6·(1/50 + 1/50)) = √0.0096 = 0.0979796;
    // z = (0.3 − 0.5)/0.0979796 = −2.041241; p = 2Φ(−2.041241) = 0.041227.
    expect(twoProportionZTest(15, 50, 25, 50)).toBeCloseTo(0.041227, 6);
  });

  it('is undefined when the outcome never varies', () => {
    expect(twoProportionZTest(0, 50, 0, 50)).toBeNull();
  });
});

describe('fisherExactTwoSided', () => {
  it("reproduces R's fisher.test on Fisher's tea-tasting table", () => {
    // R documentation example TeaTasting = [[3, 1], [1, 3]]: p-value = 0.4857 (= 34/70).
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(34 / 70, 10);
  });

  it('sums the tables no more likely than the observed one', () => {
    // [[0, 5], [5, 0]]: margins 5/5, 5/5; P(a = 0) = P(a = 5) = 1/C(10,5) = 1/252, the two extremes.
    expect(fisherExactTwoSided(0, 5, 5, 0)).toBeCloseTo(2 / 252, 12);
  });
});

describe('compareProportions', () => {
  it('uses Fisher when an expected cell is below 5', () => {
    // 3/4 vs 1/4: expected positives 4·4/8 = 2 < 5 → the tea-tasting table.
    expect(compareProportions(3, 4, 1, 4)).toEqual({ pValue: expect.closeTo(34 / 70, 10), test: 'fisher' });
  });

  it('uses the z-test when every expected cell is at least 5', () => {
    expect(compareProportions(15, 50, 25, 50)).toEqual({ pValue: expect.closeTo(0.041227, 6), test: 'z' });
  });
});

describe('holmAdjust', () => {
  it('steps down and keeps the order (R: p.adjust(c(.01,.04,.03,.02,.05), "holm"))', () => {
    // sorted .01·5 = .05, .02·4 = .08, .03·3 = .09, .04·2 = .08 → .09 (running max), .05·1 → .09.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.02, 0.05]);
    [0.05, 0.09, 0.09, 0.08, 0.09].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
  });

  it('leaves nulls out of the count', () => {
    // m = 2: 0.02·2 = 0.04, then max(0.04, 0.03·1) = 0.04.
    expect(holmAdjust([null, 0.03, 0.02])).toEqual([
      null,
      expect.closeTo(0.04, 12),
      expect.closeTo(0.04, 12),
    ]);
  });
});
