/**
 * Score quality on 1M rows (the fairness bench's synthetic audit: 3 attributes, one intersection, continuous
 * scores in [0, 1]): the threshold what-if at 99 thresholds for every group of every slice, from one score sort
 * (the sort included, as on a cold audit, and excluded, as when the batch's score order is cached), and the
 * calibration report (metrics with two logistic fits per group, reliability curves). Median of 5 runs after
 * one warm-up.
 */
import { calibrationReport, DEFAULT_THRESHOLDS, thresholdReport } from '../src/core/score-quality';
import { argsortFloat64, zCritical } from '../src/core/stats';
import { OPTIONS, syntheticBatch } from './support/synthetic';
import { gc, timed } from './support/timing';

export async function run(): Promise<void> {
  const batch = syntheticBatch(1_000_000, 20240611);
  const audit = { threshold: 0.5, references: batch.attributes.map(() => null), tolerance: 0.02 };
  const order = argsortFloat64(batch.scores!);
  const cases: [string, () => unknown][] = [
    [
      'thresholds, 99 points, with the sort',
      () => thresholdReport(batch, OPTIONS.intersections, DEFAULT_THRESHOLDS, audit),
    ],
    [
      'thresholds, 99 points, cached order',
      () => thresholdReport(batch, OPTIONS.intersections, DEFAULT_THRESHOLDS, audit, order),
    ],
    ['calibration report', () => calibrationReport(batch, OPTIONS.intersections, zCritical(0.95))],
  ];
  for (const [name, f] of cases) {
    f(); // warm-up
    const runs = Array.from({ length: 5 }, () => {
      gc();
      return timed(f);
    });
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    console.log(
      `1M rows, ${name}: median wall ${median(runs.map((r) => r.ms)).toFixed(0)} ms, median CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`,
    );
  }
  await Promise.resolve();
}
