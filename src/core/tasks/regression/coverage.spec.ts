import { mulberry32, normalCdf } from '../../stats';
import type { ColumnarBatch } from '../../ingest/batch';
import { computeRegression } from './compute-regression';

/**
 * Do the closed-form intervals of RMSE, R² and MAE cover their true values about 95% of the time? A seeded
 * simulation: samples of n rows with prediction = target + e, e ~ N(0.5, 1) independent of the target, so
 * MSE = 0.25 + 1, R² = 1 − MSE/Var(y) and MAE = E|e| are known exactly. Two target distributions: normal, and
 * exponential (skewed, kurtosis 9, like lengths of stay). With 400 samples, a true 95% coverage lies in
 * [0.92, 0.975] with probability > 99%.
 */
const SAMPLES = 400;
const ROWS = 300;
const ERROR_MEAN = 0.5;
const MSE = ERROR_MEAN ** 2 + 1;
/** E|e| for e ~ N(μ, 1): √(2/π)·exp(−μ²/2) + μ(1 − 2Φ(−μ)). */
const MAE =
  Math.sqrt(2 / Math.PI) * Math.exp(-(ERROR_MEAN ** 2) / 2) + ERROR_MEAN * (1 - 2 * normalCdf(-ERROR_MEAN));

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function coverage(target: (random: () => number) => number, varianceY: number, seed: number) {
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const truth = {
    root_mean_squared_error: Math.sqrt(MSE),
    r2: 1 - MSE / varianceY,
    mean_absolute_error: MAE,
  };
  const hits = { root_mean_squared_error: 0, r2: 0, mean_absolute_error: 0 };
  for (let s = 0; s < SAMPLES; s++) {
    const targets = new Float64Array(ROWS);
    const predictions = new Float64Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
      targets[i] = target(random);
      predictions[i] = targets[i]! + ERROR_MEAN + normal();
    }
    const batch: ColumnarBatch = {
      rowCount: ROWS,
      predictions: new Uint8Array(ROWS),
      targets,
      predictedValues: predictions,
      attributes: [],
    };
    const { metrics } = computeRegression(batch, {
      reference: { strategy: 'largest' },
      intersections: [],
      minGroupSize: 1,
      missingAttribute: 'group',
    }).overall;
    for (const key of Object.keys(hits) as (keyof typeof hits)[]) {
      const m = metrics[key]!;
      if (m.ciLow! <= truth[key] && truth[key] <= m.ciHigh!) hits[key]++;
    }
  }
  return Object.fromEntries(Object.entries(hits).map(([k, n]) => [k, n / SAMPLES])) as Record<string, number>;
}

/** Each key's coverage, as "key: share" lines, expected within [0.92, 0.975]. */
function expectNear95(shares: Record<string, number>): void {
  for (const [key, share] of Object.entries(shares)) {
    expect(`${key}: ${share >= 0.92 && share <= 0.975 ? 'within' : share}`).toBe(`${key}: within`);
  }
}

describe('interval coverage (seeded simulation)', () => {
  it('covers about 95% with a normal target', () => {
    const normal = gaussian(mulberry32(99));
    expectNear95(coverage(() => 5 + 2 * normal(), 4, 1));
  });

  it('covers about 95% with a skewed (exponential) target', () => {
    expectNear95(coverage((random) => -3 * Math.log(1 - random()), 9, 2));
  });
});
