/**
 * Fairness engine throughput: computeFairness on synthetic audits of 1M and 5M rows (3 attributes with
 * 5, 3 and 4 levels, one 2-way intersection, labels, predictions, continuous scores), generated with a
 * seeded PRNG. After two warm-up runs (the JIT is still tiering up in the first), prints the wall and CPU
 * (user + system) times of 7 runs with their minima and the median wall (CPU time is the steadier figure on a
 * busy machine), rows/s at the fastest wall and peak RSS.
 */
import { computeFairness } from '../src/core/fairness';
import { ColumnarBatch } from '../src/core/ingest/batch';
import { OPTIONS, syntheticBatch } from './support/synthetic';
import { gc, timed } from './support/timing';

/** Wall and CPU milliseconds of one full computation. */
function measure(batch: ColumnarBatch): { wall: number; cpu: number } {
  const { ms, cpu } = timed(() => computeFairness(batch, OPTIONS));
  return { wall: ms, cpu };
}

export async function run(): Promise<void> {
  for (const rowCount of [1_000_000, 5_000_000]) {
    const batch = syntheticBatch(rowCount, 20240611);
    gc();
    const rssBefore = process.memoryUsage().rss;
    measure(batch); // warm-up
    measure(batch);
    const runs = Array.from({ length: 7 }, () => {
      gc();
      return measure(batch);
    });
    const minWall = Math.min(...runs.map((r) => r.wall));
    const minCpu = Math.min(...runs.map((r) => r.cpu));
    const medianWall = runs.map((r) => r.wall).sort((a, b) => a - b)[runs.length >> 1]!;
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `${(rowCount / 1e6).toFixed(0)}M rows: wall ${runs.map((r) => r.wall.toFixed(0)).join('/')} ms, ` +
        `CPU ${runs.map((r) => r.cpu.toFixed(0)).join('/')} ms (min wall ${minWall.toFixed(0)} ms, ` +
        `min CPU ${minCpu.toFixed(0)} ms, median wall ${medianWall.toFixed(0)} ms), ${(rowCount / minWall / 1e3).toFixed(2)}M rows/s, ` +
        `RSS before ${mb(rssBefore)} MB, peak RSS ${mb(peak)} MB`,
    );
  }
  await Promise.resolve();
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
