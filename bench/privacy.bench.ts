/**
 * `npm run bench -- privacy`: how long noising a cell table takes per mechanism (the CLI's step, with the
 * cryptographic source it uses), and what the second pass of a noised audit's intervals costs next to the
 * audit itself. Prints wall and CPU time (the machine may be shared).
 */
import { cryptoRandomSource } from '../src/cli/crypto-random-source';
import { computeFairness, type FairnessOptions } from '../src/core/fairness';
import type { ColumnarBatch, PrivacyConfig } from '../src/core/ingest';
import { computeNoisedFairness, noiseCounts } from '../src/core/privacy';
import { mulberry32 } from '../src/core/stats';

const CELLS = 100_000;
const GEOMETRIC: PrivacyConfig = { mechanism: 'geometric', epsilon: 1 };
const MECHANISMS: PrivacyConfig[] = [
  { mechanism: 'geometric', epsilon: 1 },
  { mechanism: 'laplace', epsilon: 1 },
  { mechanism: 'gaussian', epsilon: 1, delta: 1e-6 },
  { mechanism: 'discrete_gaussian', epsilon: 1, delta: 1e-6 },
];

function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** A cell table of `cells` rows: 3 attributes, label, prediction and a count each. */
function cellBatch(cells: number): ColumnarBatch {
  const rand = mulberry32(7);
  const attr = (name: string, levels: number) => ({
    name,
    levels: Array.from({ length: levels }, (_, i) => `${name}${i}`),
    codes: Uint16Array.from({ length: cells }, () => Math.floor(rand() * levels)),
  });
  return {
    rowCount: cells,
    labels: Uint8Array.from({ length: cells }, () => (rand() < 0.3 ? 1 : 0)),
    predictions: Uint8Array.from({ length: cells }, () => (rand() < 0.25 ? 1 : 0)),
    counts: Float64Array.from({ length: cells }, () => Math.floor(rand() * 200)),
    attributes: [attr('race', 6), attr('sex', 2), attr('site', 40)],
  };
}

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

export async function run(): Promise<void> {
  const counts = Array.from({ length: CELLS }, (_, i) => i % 500);
  for (const config of MECHANISMS) {
    const t = timed(() => noiseCounts(counts, config, cryptoRandomSource()));
    console.log(
      `noise ${CELLS} cells, ${config.mechanism.padEnd(17)} wall ${t.wallMs.toFixed(0)} ms, CPU ${t.cpuMs.toFixed(0)} ms`,
    );
  }
  const plain = timed(() => computeFairness(cellBatch(CELLS), OPTIONS));
  const noised = timed(() => computeNoisedFairness(cellBatch(CELLS), OPTIONS, GEOMETRIC));
  console.log(
    `audit of a ${CELLS}-cell table: plain wall ${plain.wallMs.toFixed(0)} ms (CPU ${plain.cpuMs.toFixed(0)}), ` +
      `noised (second pass + widening) wall ${noised.wallMs.toFixed(0)} ms (CPU ${noised.cpuMs.toFixed(0)})`,
  );
  await Promise.resolve();
}
