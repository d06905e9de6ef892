/**
 * Fairness engine throughput: computeFairness on synthetic audits of 1M and 5M rows (3 attributes with
 * 5, 3 and 4 levels, one 2-way intersection, labels, predictions, continuous scores), generated with a
 * seeded PRNG. After one warm-up run, prints the wall and CPU (user + system) times of 5 runs with their
 * minima (CPU time is the steadier figure on a busy machine), rows/s at the fastest wall and peak RSS.
 */
import { computeFairness, FairnessOptions } from '../src/core/fairness';
import { ColumnarBatch } from '../src/core/ingest/batch';
import { mulberry32 } from '../src/core/stats';

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

function syntheticBatch(rowCount: number, seed: number): ColumnarBatch {
  const random = mulberry32(seed);
  const attribute = (
    name: string,
    levelCount: number,
  ): { name: string; levels: string[]; codes: Uint16Array } => ({
    name,
    levels: Array.from({ length: levelCount }, (_, i) => `${name}-${i}`),
    codes: new Uint16Array(rowCount),
  });
  const attributes = [attribute('race', 5), attribute('sex', 3), attribute('age', 4)];
  const labels = new Uint8Array(rowCount);
  const predictions = new Uint8Array(rowCount);
  const scores = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    for (const a of attributes) a.codes[i] = Math.floor(random() * a.levels.length);
    const race = attributes[0]!.codes[i]!;
    const label = random() < 0.3 + 0.05 * race ? 1 : 0;
    const score = Math.min(1, Math.max(0, 0.35 + 0.3 * label + 0.25 * (random() - 0.5) + 0.02 * race));
    labels[i] = label;
    scores[i] = score;
    predictions[i] = score >= 0.5 ? 1 : 0;
  }
  return { rowCount, labels, predictions, scores, attributes };
}

/** Wall and CPU (user + system) milliseconds of one run; CPU time is steadier when the machine is busy. */
function measure(batch: ColumnarBatch): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  computeFairness(batch, OPTIONS);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

export async function run(): Promise<void> {
  for (const rowCount of [1_000_000, 5_000_000]) {
    const batch = syntheticBatch(rowCount, 20240611);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    measure(batch); // warm-up
    const runs = Array.from({ length: 5 }, () => {
      global.gc?.();
      return measure(batch);
    });
    const minWall = Math.min(...runs.map((r) => r.wall));
    const minCpu = Math.min(...runs.map((r) => r.cpu));
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `${(rowCount / 1e6).toFixed(0)}M rows: wall ${runs.map((r) => r.wall.toFixed(0)).join('/')} ms, ` +
        `CPU ${runs.map((r) => r.cpu.toFixed(0)).join('/')} ms (min wall ${minWall.toFixed(0)} ms, ` +
        `min CPU ${minCpu.toFixed(0)} ms), ${(rowCount / minWall / 1e3).toFixed(2)}M rows/s, ` +
        `RSS before ${mb(rssBefore)} MB, peak RSS ${mb(peak)} MB`,
    );
  }
  await Promise.resolve();
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
