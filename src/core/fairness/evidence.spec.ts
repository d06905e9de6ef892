/**
 * Intervals where evidence is thin (zero events, rates of 1, tiny groups), estimates kept inside their
 * ranges and intervals, the family of Holm's adjustment, and the minimum detectable ratio.
 */
import { AttributeColumn, ColumnarBatch } from '../ingest/batch';
import { holmAdjust, mulberry32, normalCdf, normalQuantile } from '../stats';
import { computeFairness } from './compute-fairness';
import { Disparity, FairnessOptions, FairnessResult, GroupResult, MetricValue } from './types';

const Z = 1.959963984540054;
const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [],
  minGroupSize: 30,
  missingAttribute: 'group',
};

/** Rows of groups given as [name, rows, selected]; labels follow the prediction unless `labels` says. */
function groupsBatch(groups: [string, number, number][], extra: Partial<ColumnarBatch> = {}): ColumnarBatch {
  const names: string[] = [];
  const predictions: number[] = [];
  for (const [name, rows, selected] of groups) {
    for (let i = 0; i < rows; i++) {
      names.push(name);
      predictions.push(i < selected ? 1 : 0);
    }
  }
  const levels = groups.map(([name]) => name);
  const attribute: AttributeColumn = {
    name: 'g',
    levels,
    codes: Uint16Array.from(names, (n) => levels.indexOf(n)),
  };
  return {
    rowCount: predictions.length,
    predictions: Uint8Array.from(predictions),
    attributes: [attribute],
    ...extra,
  };
}

function group(result: FairnessResult, name: string): GroupResult {
  return result.slices[0]!.groups.find((g) => g.key.g === name)!;
}

describe('the ratio interval of a disparity is Koopman’s score interval', () => {
  it('matches the published limits for Perondi 2004 (7/34 against a reference of 1/34)', () => {
    // Fagerland, Lydersen and Laake (2017), ch. 4; R contingencytables: Koopman 1.2209 to 42.5757.
    const result = computeFairness(
      groupsBatch([
        ['A', 34, 1],
        ['B', 34, 7],
      ]),
      OPTIONS,
    );
    const d = group(result, 'B').disparities.selection_rate!;
    expect(d.ratio).toBeCloseTo(7, 10);
    expect(d.ratioCiLow).toBeCloseTo(1.2209, 4);
    expect(d.ratioCiHigh).toBeCloseTo(42.5757, 4);
    expect(result.conventions.intervals.ratio).toBe('koopman');
  });

  it('is defined when the group has no events (Ritland 2007: 0/16 against 15/72), where Katz was null', () => {
    // Nam's (1995) closed form: 0 to 0.961902.
    const result = computeFairness(
      groupsBatch([
        ['A', 16, 0],
        ['B', 72, 15],
      ]),
      OPTIONS,
    );
    const d = group(result, 'A').disparities.selection_rate!;
    expect(d.ratio).toBe(0);
    expect(d.ratioCiLow).toBe(0);
    expect(d.ratioCiHigh).toBeCloseTo(0.961902, 5);
  });

  it('is unbounded above (ratioCiHigh null) when the reference has no events', () => {
    const result = computeFairness(
      groupsBatch([
        ['A', 16, 3],
        ['B', 72, 0],
      ]),
      OPTIONS,
    );
    const d = group(result, 'A').disparities.selection_rate!;
    expect(d.ratio).toBeNull();
    expect(d.ratioCiLow).toBeGreaterThan(0);
    expect(d.ratioCiHigh).toBeNull();
  });

  it('does not collapse to [1, 1] when both rates are 1: n1/(n1 + z²) to (n2 + z²)/n2', () => {
    const result = computeFairness(
      groupsBatch([
        ['A', 14, 14],
        ['B', 20, 20],
      ]),
      OPTIONS,
    );
    const d = group(result, 'A').disparities.selection_rate!;
    expect(d.ratio).toBe(1);
    expect(d.ratioCiLow).toBeCloseTo(14 / (14 + Z * Z), 8);
    expect(d.ratioCiHigh).toBeCloseTo((20 + Z * Z) / 20, 8);
  });
});

describe('estimates stay in their ranges and inside their intervals', () => {
  /** Ranges of the calibration keys and their disparities (the rest are rates in [0, 1]). */
  const RANGES: Record<string, [number, number]> = {
    observed_expected_ratio: [0, Infinity],
    calibration_intercept: [-Infinity, Infinity],
    calibration_slope: [-Infinity, Infinity],
  };
  function check(label: string, m: MetricValue | Disparity | undefined, min: number, max: number): void {
    if (m === undefined) return;
    const key = label.split(' ')[1] ?? '';
    if ('difference' in m && key in RANGES) {
      // a difference of O/E or of slopes is unbounded; the O/E ratio is in [0, ∞), a slope ratio any sign
      const ranges: [number, number][] = [
        [-Infinity, Infinity],
        key === 'observed_expected_ratio' ? [0, Infinity] : [-Infinity, Infinity],
      ];
      [
        [m.difference, m.differenceCiLow, m.differenceCiHigh],
        [m.ratio, m.ratioCiLow, m.ratioCiHigh],
      ].forEach(([value, low, high], i) => inside(`${label} ${i}`, value, low, high, ...ranges[i]!));
      return;
    }
    if ('value' in m && key in RANGES) {
      inside(label, m.value, m.ciLow, m.ciHigh, ...RANGES[key]!);
      return;
    }
    const pairs: [number | null | undefined, number | null | undefined, number | null | undefined][] =
      'value' in m
        ? [[m.value, m.ciLow, m.ciHigh]]
        : [
            [m.difference, m.differenceCiLow, m.differenceCiHigh],
            [m.ratio, m.ratioCiLow, m.ratioCiHigh],
          ];
    pairs.forEach(([value, low, high], i) => {
      const [lo, hi] = i === 0 ? [min, max] : [0, Infinity];
      if (value === null || value === undefined) return;
      const where = `${label} ${i === 0 ? '' : 'ratio '}= ${value} in [${low}, ${high}]`;
      expect([where, value >= lo && value <= hi]).toEqual([where, true]);
      if (low !== null && low !== undefined)
        expect([where, low <= value && low >= lo]).toEqual([where, true]);
      if (high !== null && high !== undefined)
        expect([where, high >= value && high <= hi]).toEqual([where, true]);
    });
  }

  function inside(
    where: string,
    value: number | null | undefined,
    low: number | null | undefined,
    high: number | null | undefined,
    lo: number,
    hi: number,
  ): void {
    if (value === null || value === undefined) return;
    const text = `${where} = ${value} in [${low}, ${high}]`;
    expect([text, value >= lo && value <= hi]).toEqual([text, true]);
    if (low !== null && low !== undefined) expect([text, low <= value && low >= lo]).toEqual([text, true]);
    if (high !== null && high !== undefined)
      expect([text, high >= value && high <= hi]).toEqual([text, true]);
  }

  it('holds on 60 seeded weighted audits with separation, empty cells and rates of 0 and 1', () => {
    const random = mulberry32(61);
    for (let audit = 0; audit < 60; audit++) {
      const rows = 6 + Math.floor(random() * 30);
      const labels = Uint8Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0));
      const extreme = random() < 0.5;
      // Perfect separation half the time: every positive scores above every negative.
      const scores = Float64Array.from(labels, (y) => (extreme ? 0.5 * y + 0.4 * random() : random()));
      const predictions = Uint8Array.from(scores, (s) =>
        extreme ? (s >= 0.5 ? 1 : 0) : random() < 0.1 ? 1 : 0,
      );
      const weights = Float64Array.from(
        labels,
        () => [0.1, 0.2, 0.3, 0.7, 1 / 3, 2 / 3][Math.floor(random() * 6)]!,
      );
      const codes = Uint16Array.from(labels, () => Math.floor(random() * 3));
      const result = computeFairness(
        {
          rowCount: rows,
          labels,
          predictions,
          scores,
          weights,
          attributes: [{ name: 'g', levels: ['a', 'b', 'c'], codes }],
        },
        OPTIONS,
      );
      for (const [key, m] of Object.entries(result.overall.metrics))
        if (key !== 'count' && key !== 'mean_score') check(`overall ${key}`, m, 0, 1);
      for (const g of result.slices[0]!.groups) {
        for (const [key, m] of Object.entries(g.metrics))
          if (key !== 'count' && key !== 'mean_score') check(`${g.key.g} ${key}`, m, 0, 1);
        for (const [key, d] of Object.entries(g.disparities)) check(`${g.key.g} ${key} difference`, d, -1, 1);
      }
    }
  });

  it('gives a perfectly separating 5 + 5 group an AUC interval that does not collapse to [1, 1]', () => {
    const labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const result = computeFairness(
      {
        rowCount: 10,
        labels: Uint8Array.from(labels),
        predictions: Uint8Array.from(labels),
        scores: Float64Array.from([0.9, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]),
        attributes: [{ name: 'g', levels: ['a'], codes: new Uint16Array(10) }],
      },
      OPTIONS,
    );
    const auc = result.overall.metrics.roc_auc!;
    expect(auc.value).toBe(1);
    expect(auc.ciHigh).toBe(1);
    // Newcombe's method 5 with m = n = 5: (1 − θ)² = z²·θ(1 − θ)/25·[1 + 4((1 − θ)/(2 − θ) + θ/(1 + θ))],
    // i.e. 25(1 − θ) = z²θ[1 + 4((1 − θ)/(2 − θ) + θ/(1 + θ))]; the left side minus the right at the limit is 0.
    const t = auc.ciLow!;
    expect(25 * (1 - t) - Z * Z * t * (1 + 4 * ((1 - t) / (2 - t) + t / (1 + t)))).toBeCloseTo(0, 8);
    expect(t).toBeLessThan(0.7);
  });
});

describe('Holm’s family', () => {
  const batch = (): ColumnarBatch => {
    const random = mulberry32(5);
    const rows = 600;
    const codes = Uint16Array.from({ length: rows }, () => Math.floor(random() * 4));
    const labels = Uint8Array.from(codes, (c) => (random() < 0.3 + 0.05 * c ? 1 : 0));
    const predictions = Uint8Array.from(labels, (y, i) =>
      random() < (y ? 0.7 : 0.2) + 0.04 * codes[i]! ? 1 : 0,
    );
    return {
      rowCount: rows,
      labels,
      predictions,
      attributes: [{ name: 'g', levels: ['a', 'b', 'c', 'd'], codes }],
    };
  };

  it('is each metric of a slice by default, and says so', () => {
    const result = computeFairness(batch(), OPTIONS);
    expect(result.conventions.multipleTesting).toEqual({ method: 'holm', family: 'metric' });
    const groups = result.slices[0]!.groups;
    const raw = groups.map((g) => g.disparities.true_positive_rate?.pValue ?? null);
    expect(groups.map((g) => g.disparities.true_positive_rate?.pValueAdjusted ?? null)).toEqual(
      holmAdjust(raw),
    );
  });

  it('is every test of the slice with multipleTesting "slice": (m − rank + 1)·p, running maximum, by hand', () => {
    const result = computeFairness(batch(), { ...OPTIONS, multipleTesting: 'slice' });
    expect(result.conventions.multipleTesting).toEqual({ method: 'holm', family: 'slice' });
    const entries = result.slices[0]!.groups.flatMap((g) =>
      Object.values(g.disparities).filter((d) => d.pValue !== null && d.pValue !== undefined),
    );
    const m = entries.length;
    expect(m).toBeGreaterThan(20); // 3 non-reference groups × the tested rates
    const sorted = [...entries].sort((a, b) => a.pValue! - b.pValue!);
    let running = 0;
    sorted.forEach((d, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * d.pValue!));
      expect(d.pValueAdjusted).toBeCloseTo(running, 12);
    });
  });

  it('rejects an unknown family and an alpha outside (0, 1) with invalid_config', () => {
    expect(() =>
      computeFairness(batch(), { ...OPTIONS, multipleTesting: 'audit' as unknown as 'slice' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_config' }) as Error);
    expect(() => computeFairness(batch(), { ...OPTIONS, alpha: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }) as Error,
    );
  });
});

describe('minimum detectable ratio', () => {
  /** Power of the two-sided z-test (unpooled variance) to tell a rate p from r with group sizes n and m. */
  function power(p: number, r: number, n: number, m: number, alpha: number): number {
    const sd = Math.sqrt((p * (1 - p)) / n + (r * (1 - r)) / m);
    const zAlpha = normalQuantile(1 - alpha / 2);
    return normalCdf(Math.abs(r - p) / sd - zAlpha) + normalCdf(-Math.abs(r - p) / sd - zAlpha);
  }

  it('is the ratio the test detects with 80% power, on both sides, for a group of 40 against 200 at 50%', () => {
    const result = computeFairness(
      groupsBatch([
        ['A', 40, 18],
        ['B', 200, 100],
      ]),
      OPTIONS,
    );
    const d = group(result, 'A').disparities.selection_rate!;
    // The far tail adds < 0.0001 to the power here, so the power at the limits is 0.80 to 4 decimals.
    expect(power(d.minDetectableRatio! * 0.5, 0.5, 40, 200, 0.05)).toBeCloseTo(0.8, 3);
    expect(power(d.minDetectableRatioAbove! * 0.5, 0.5, 40, 200, 0.05)).toBeCloseTo(0.8, 3);
    // Hand check: k = 1.959964 + 0.841621 = 2.801585, k² = 7.848879; (0.5 − p)² = k²(p(1 − p)/40 + 0.25/200)
    // ⇒ 1.196222p² − 1.196222p + (0.25 − 0.009811) = 0 ⇒ p = ½ ± √(1.196222² − 4·1.196222·0.240189)/(2·1.196222)
    // = 0.5 ∓ √0.281669/2.392444 = 0.5 ∓ 0.221838, ratios 0.556324 and 1.443676 (six-digit intermediates).
    expect(d.minDetectableRatio).toBeCloseTo(0.556324, 4);
    expect(d.minDetectableRatioAbove).toBeCloseTo(1.443676, 4);
    expect(group(result, 'B').disparities.selection_rate?.minDetectableRatio).toBeNull(); // the reference
    expect(result.conventions.evidence).toEqual({
      alpha: 0.05,
      power: 0.8,
      method: 'two-proportion-z-unpooled',
    });
  });

  it('narrows with 100 times the people, and follows alpha', () => {
    const small = computeFairness(
      groupsBatch([
        ['A', 40, 18],
        ['B', 200, 100],
      ]),
      OPTIONS,
    );
    const large = computeFairness(
      groupsBatch([
        ['A', 4000, 1800],
        ['B', 20000, 10000],
      ]),
      OPTIONS,
    );
    const strict = computeFairness(
      groupsBatch([
        ['A', 40, 18],
        ['B', 200, 100],
      ]),
      { ...OPTIONS, alpha: 0.01 },
    );
    const [s, l, t] = [small, large, strict].map(
      (r) => group(r, 'A').disparities.selection_rate!.minDetectableRatio!,
    );
    expect(l).toBeGreaterThan(0.95);
    expect(s).toBeLessThan(0.6);
    expect(t!).toBeLessThan(s!);
    expect(power(t! * 0.5, 0.5, 40, 200, 0.01)).toBeCloseTo(0.8, 3);
  });

  it('is null when no rate below the reference is detectable, and on TPR and FPR as well', () => {
    // 5 people against a reference of 5 at 20%: even a rate of 0 is not detected with 80% power.
    const labels = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0];
    const result = computeFairness(
      {
        ...groupsBatch([
          ['A', 5, 1],
          ['B', 5, 1],
        ]),
        labels: Uint8Array.from(labels),
      },
      { ...OPTIONS, reference: { strategy: 'explicit', groups: { g: 'B' } } },
    );
    const d = group(result, 'A').disparities;
    expect(d.selection_rate?.minDetectableRatio).toBeNull();
    expect(d.true_positive_rate).toHaveProperty('minDetectableRatio');
    expect(d.false_positive_rate).toHaveProperty('minDetectableRatio');
    expect(d.accuracy).not.toHaveProperty('minDetectableRatio');
  });
});
