import type { MetricValue } from '../fairness/types';
import type { RegressionGroupResult, RegressionResult } from '../tasks/types';
import { buildReportViewModel } from './view-model';
import { sampleMulticlassInput, sampleRegressionInput } from '../../../test/support/task-report-fixture';

const mv = (
  value: number | null,
  ciLow: number | null = null,
  ciHigh: number | null = null,
): MetricValue => ({
  value,
  ciLow,
  ciHigh,
});

/** A hand-built regression group: mean error and MAE given, the other figures fixed. */
function group(
  name: string,
  count: number,
  meanError: MetricValue,
  deciles: [number, number, number][] = [],
): RegressionGroupResult {
  return {
    key: { race: name },
    count,
    share: 0,
    metrics: {
      mean_target: mv(5000, 4800, 5200),
      mean_prediction: mv(5000 + (meanError.value ?? 0)),
      mean_error: meanError,
      mean_absolute_error: mv(1500.25, 1400, 1600),
      root_mean_squared_error: mv(2100),
      r2: mv(null),
    },
    disparities: {},
    // decile d: [mean target, ciLow, ciHigh], 20 people each
    predictionDeciles: deciles.map(([m, lo, hi], i) => ({
      decile: i + 1,
      count: 20,
      meanPrediction: null,
      meanTarget: mv(m, lo, hi),
    })),
    flags: name === 'White' ? ['reference'] : [],
  };
}

function regression(): RegressionResult {
  const white = group('White', 60, mv(100, 50, 150), [
    [1000, 900, 1100],
    [2000, 1900, 2100],
    [3000, 2900, 3100],
  ]);
  const black = group('Black', 60, mv(-1234.4, -1400, -1050), [
    [1050, 950, 1150], // overlaps White's
    [2500, 2200, 2800], // above White's 1,900–2,100
    [3600, 3300, 3900], // above White's 2,900–3,100
  ]);
  // the mean error difference as the engine gives it: −1,234.4 − 100 = −1,334.4
  black.disparities.mean_error = {
    difference: -1334.4,
    differenceCiLow: -1500,
    differenceCiHigh: -1100,
    ratio: -12.344,
  };
  return {
    task: 'regression',
    overall: { count: 135, metrics: { mean_target: mv(5000), mean_prediction: mv(4500) } },
    decileCutPoints: [100, 200, 300, 400, 500, 600, 700, 800, 900],
    slices: [
      {
        attributes: ['race'],
        reference: { race: 'White' },
        // Pacific Islander (3) is hidden (≤10); its partner is the next-smallest group, Asian (12)
        groups: [white, black, group('Asian', 12, mv(10)), group('Pacific Islander', 3, mv(-50))],
        summary: {},
      },
    ],
    conventions: {
      referenceStrategy: 'largest',
      confidenceLevel: 0.95,
      fairnessBand: [0.8, 1.25],
      minGroupSize: 30,
      missingAttribute: 'group',
      intervals: {
        mean: 't',
        rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
        r2: 'delta-method-t',
        difference: 'welch',
        ratio: 'delta-method-log',
      },
      tests: { means: 'welch-t', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: 'metric' },
    },
  };
}

describe('buildReportViewModel: a regression audit', () => {
  const vm = buildReportViewModel(sampleRegressionInput(regression()));
  const task = vm.task;
  if (task?.task !== 'regression') throw new Error('expected a regression section');
  const slice = task.slices[0];
  if (!slice) throw new Error('no slice');
  const row = (label: string) => slice.metrics.rows.find((r) => r.label === label);

  it('prints each group’s figures on the target’s scale, with intervals', () => {
    // mean target 5,000 → no decimals; MAE 1,500.25 → "1,500"; R² undefined → "—"
    expect(row('Black')?.cells.map((c) => c.text)).toEqual([
      '5,000 (4,800–5,200)',
      '3,766',
      '-1,234 (-1,400–-1,050)',
      '1,500 (1,400–1,600)',
      '2,100',
      '—',
    ]);
    expect(slice.differences.rows.find((r) => r.label === 'Black')?.cells[2]?.text).toBe(
      '-1,334 (-1,500–-1,100)',
    );
  });

  it('hides a group of 1 to 10 and its partner', () => {
    expect(row('Pacific Islander')?.count).toBe('≤10');
    expect(row('Asian')?.count).toBe('suppressed');
    expect(row('Asian')?.cells.every((c) => c.suppressed)).toBe(true);
    expect(vm.suppressionApplied).toBe(true);
  });

  it('says in words which way the model errs for a group, with the interval of the difference', () => {
    expect(vm.executiveSummary.findings[0]?.text).toBe(
      "For Black patients the model's predictions of cost are lower, relative to the actual cost, than for White patients, by 1,334 on average (difference in mean error -1,334, 95% interval -1,500 to -1,100): it under-predicts for Black patients by 1,234 and over-predicts for White patients by 100.",
    );
  });

  it('compares the mean target decile by decile: higher for Black patients in 2 of 3 deciles', () => {
    expect(slice.deciles?.verdicts).toEqual([
      'At the same prediction, Black patients had a mean cost higher in 2 of 3 deciles compared than White patients (95% intervals apart): equal predictions do not mean an equal cost; at the same prediction the model under-predicts cost for Black patients relative to White patients.',
    ]);
    expect(slice.deciles?.ranges.slice(0, 2)).toEqual(['≤ 100', '100–200']);
    const chart = slice.deciles?.chart;
    expect(chart?.series.map((s) => [s.label, s.points.map((p) => p.y)])).toEqual([
      ['White', [1000, 2000, 3000]],
      ['Black', [1050, 2500, 3600]],
    ]);
    expect(chart?.subtitle.join(' ')).toContain('Asian, Pacific Islander');
  });

  it("states the task's interval methods and leaves out the binary pages", () => {
    const intervals = vm.methodology.conventions.find((c) => c.term === 'Intervals')?.text;
    expect(intervals).toBe(
      "95% intervals: Student's t for the means (mean cost, mean prediction, mean error, MAE); the square root of the mean squared error's t interval for RMSE; the delta method with a t critical value for R²; Welch's t for differences; the delta method on the log scale for ratios. Shown as \"value (low–high)\".",
    );
    expect(vm.slices).toEqual([]);
    expect(vm.calibration).toBeNull();
    expect(vm.thresholds).toBeNull();
  });
});

describe('buildReportViewModel: a multiclass audit (the triage fixture)', () => {
  const vm = buildReportViewModel(sampleMulticlassInput());
  const task = vm.task;
  if (task?.task !== 'multiclass') throw new Error('expected a multiclass section');
  const slice = task.slices[0];
  if (!slice) throw new Error('no slice');

  it('prints accuracy and its ratio to the reference', () => {
    // White 395 of 500 correct = 0.79; Black 190 of 300 = 0.633; ratio 0.633 / 0.79 = 0.802
    const black = slice.accuracy.rows.find((r) => r.label === 'Black');
    expect(black?.cells[0]?.value).toBe('0.63');
    expect(black?.cells[1]?.value).toBe('0.80');
    expect(slice.accuracy.rows.find((r) => r.label === 'White')?.cells[0]?.value).toBe('0.79');
  });

  it('prints the one-vs-rest figures per class, and flags the TPR ratio outside the band', () => {
    // "high": White 45 of 65 = 0.692, Black 20 of 58 = 0.345; ratio 0.498
    const high = slice.classes.find((c) => c.className === 'high');
    const black = high?.rows.find((r) => r.label === 'Black');
    expect(black?.cells.map((c) => c.value)).toEqual(['0.12', '0.34', '0.07', '0.54', '0.82', '0.50']);
    expect(black?.flagLabels).toContain('outside band (TPR ratio)');
  });

  it('hides the group of 7 and its partner in every table', () => {
    const rows = [slice.accuracy, ...slice.classes].map((t) => t.rows);
    for (const r of rows) {
      expect(r.find((x) => x.label === 'American Indian or Alaska Native')?.count).toBe('≤10');
      expect(r.find((x) => x.label === 'Asian')?.cells.every((c) => c.suppressed)).toBe(true);
    }
  });

  it('words the worst gap as a finding', () => {
    expect(vm.executiveSummary.findings[0]?.text).toMatch(
      /^Black patients whose class is "high" are recognised as "high" at 50% of the rate of White patients \(true positive rate 0\.34 against 0\.69; below the fairness band's lower limit of 80%; 95% interval of the ratio/,
    );
  });
});
