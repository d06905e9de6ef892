import { join } from 'node:path';
import { DomainError } from '../core/errors';
import { computeFairness, type FairnessOptions } from '../core/fairness';
import { encodeBatch, MISSING_CODE, type ColumnarBatch } from '../core/ingest';
import { mulberry32 } from '../core/stats';
import { CRASH_BY_EXITING, CRASH_BY_THROWING } from '../../test/fixtures/crashing-compute-worker';
import { ComputePool, type WorkerExit } from './compute-pool';

const CRASHING_ENTRY = join(__dirname, '../../test/fixtures/crashing-compute-worker.ts');

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

/**
 * A seeded batch: race (4 levels), sex (2), optional weights, missing race codes when `missing`, labels
 * and scores unless `labelFree`; scores with ties (rounded to 3 digits) so the AUCs exercise them.
 */
function seededBatch(
  rows: number,
  seed: number,
  extra: { weights?: boolean; missing?: boolean; labelFree?: boolean } = {},
): ColumnarBatch {
  const random = mulberry32(seed);
  const race = new Uint16Array(rows);
  const sex = new Uint16Array(rows);
  const labels = new Uint8Array(rows);
  const predictions = new Uint8Array(rows);
  const scores = new Float64Array(rows);
  const weights = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    race[i] = extra.missing && random() < 0.05 ? MISSING_CODE : Math.floor(random() * 4);
    sex[i] = random() < 0.45 ? 1 : 0;
    const s = Math.round((0.1 + 0.6 * random() + 0.05 * ((race[i] ?? 0) % 4)) * 1000) / 1000;
    scores[i] = s;
    labels[i] = random() < s ? 1 : 0;
    predictions[i] = s >= 0.5 ? 1 : 0;
    weights[i] = 0.5 + random();
  }
  return {
    rowCount: rows,
    ...(!extra.labelFree && { labels }),
    predictions,
    ...(!extra.labelFree && { scores }),
    ...(extra.weights && { weights }),
    attributes: [
      { name: 'race', levels: ['A', 'B', 'C', 'D'], codes: race },
      { name: 'sex', levels: ['F', 'M'], codes: sex },
    ],
  };
}

describe('ComputePool', () => {
  const pools: ComputePool[] = [];
  const pool = (size: number, entry?: string, onWorkerExit?: (e: WorkerExit) => void): ComputePool => {
    const p = new ComputePool({ size, ...(entry && { entry }), ...(onWorkerExit && { onWorkerExit }) });
    pools.push(p);
    return p;
  };
  afterAll(() => Promise.all(pools.map((p) => p.close())));

  const cases: [string, ColumnarBatch, FairnessOptions][] = [
    ['labels, scores, intersection', seededBatch(50_000, 1), OPTIONS],
    [
      'weights, missing attribute values dropped, explicit reference, favorable = negative',
      seededBatch(30_000, 2, { weights: true, missing: true }),
      {
        ...OPTIONS,
        favorableOutcome: 'negative',
        missingAttribute: 'drop',
        reference: { strategy: 'explicit', groups: { race: 'C', sex: 'M' } },
      },
    ],
    ['label-free', seededBatch(20_000, 3, { labelFree: true }), { ...OPTIONS, intersections: [] }],
  ];

  it.each(cases)(
    'computes in a worker exactly what computeFairness and encodeBatch compute in-thread (%s)',
    async (_, batch, options) => {
      const expected = computeFairness(batch, options);
      const input = structuredClone(batch);
      const running = pool(1).run({ kind: 'audit', batch: input, options });
      // the arrays moved to the worker (transferred, not copied): detached here
      expect(input.predictions.byteLength).toBe(0);
      expect(input.attributes[0]?.codes.byteLength).toBe(0);
      const output = await running;
      expect(output.result).toStrictEqual(expected);
      expect(output.blob).toStrictEqual(encodeBatch(batch));
    },
  );

  it('computes in the calling thread with size 0, leaving the batch in place', async () => {
    const [, batch, options] = cases[1]!;
    const input = structuredClone(batch);
    const p = pool(0);
    const output = await p.run({ kind: 'audit', batch: input, options });
    expect(output.result).toStrictEqual(computeFairness(batch, options));
    expect(output.blob).toStrictEqual(encodeBatch(batch));
    expect(input).toStrictEqual(batch);
    expect(p.workerCount).toBe(0);
  });

  it('rejects a DomainError in the calling thread with size 0 too', async () => {
    const options: FairnessOptions = {
      ...OPTIONS,
      reference: { strategy: 'explicit', groups: { race: 'Z' } },
    };
    await expect(pool(0).run({ kind: 'audit', batch: seededBatch(100, 8), options })).rejects.toThrow(
      new DomainError('invalid_config', 'Reference group race=Z does not exist in the data'),
    );
  });

  it('queues more tasks than workers and answers each with its own result', async () => {
    const p = pool(1);
    const batches = [11, 12, 13, 14].map((seed) => seededBatch(5_000, seed));
    const expected = batches.map((b) => computeFairness(b, OPTIONS));
    const outputs = await Promise.all(
      batches.map((b) => p.run({ kind: 'audit', batch: structuredClone(b), options: OPTIONS })),
    );
    expect(outputs.map((o) => o.result)).toStrictEqual(expected);
    expect(p.workerCount).toBe(1);
  });

  it('rejects with the same DomainError as in-thread (code, message, details), then keeps working', async () => {
    const batch = seededBatch(2_000, 4);
    const options: FairnessOptions = {
      ...OPTIONS,
      reference: { strategy: 'explicit', groups: { race: 'Z' } },
    };
    let inThread: unknown;
    try {
      computeFairness(batch, options);
    } catch (err) {
      inThread = err;
    }
    expect(inThread).toBeInstanceOf(DomainError);
    const p = pool(1);
    const failed = await p
      .run({ kind: 'audit', batch: structuredClone(batch), options })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DomainError);
    const { code, message, errors } = failed as DomainError;
    const expected = inThread as DomainError;
    expect({ code, message, errors }).toStrictEqual({
      code: expected.code,
      message: expected.message,
      errors: expected.errors,
    });
    expect(code).toBe('invalid_config');
    const ok = await p.run({ kind: 'audit', batch: structuredClone(batch), options: OPTIONS });
    expect(ok.result).toStrictEqual(computeFairness(batch, OPTIONS));
  });

  it.each([
    ['throws an uncaught error', CRASH_BY_THROWING, /deliberate crash/],
    ['exits', CRASH_BY_EXITING, /exit code 3/],
  ])('fails only the task of a worker that %s, and replaces the worker', async (_, minGroupSize, why) => {
    const exits: WorkerExit[] = [];
    const p = pool(1, CRASHING_ENTRY, (e) => exits.push(e));
    const batch = seededBatch(2_000, 5);
    const expected = computeFairness(batch, OPTIONS);
    // a task before the crash, the crashing task, and one queued behind it
    const before = await p.run({ kind: 'audit', batch: structuredClone(batch), options: OPTIONS });
    expect(before.result).toStrictEqual(expected);
    const crashing = p.run({
      kind: 'audit',
      batch: structuredClone(batch),
      options: { ...OPTIONS, minGroupSize },
    });
    const queued = p.run({ kind: 'audit', batch: structuredClone(batch), options: OPTIONS });
    const failed = await crashing.catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(DomainError); // a crash is not the client's fault: a 500
    expect((failed as Error).message).toMatch(/compute worker stopped while computing/);
    expect((failed as Error).message).toMatch(why);
    expect((await queued).result).toStrictEqual(expected);
    expect(exits).toHaveLength(1);
    expect(p.workerCount).toBe(1); // the replacement
  });

  it('fails a task that cannot start its worker, without stopping later tasks from trying', async () => {
    const p = pool(1, join(__dirname, 'no-such-worker.js'));
    const batch = seededBatch(100, 6);
    await expect(p.run({ kind: 'audit', batch, options: OPTIONS })).rejects.toThrow(/compute worker stopped/);
    await expect(p.run({ kind: 'audit', batch: seededBatch(100, 6), options: OPTIONS })).rejects.toThrow(
      /compute worker stopped/,
    );
    expect(p.workerCount).toBe(0);
  });

  it('refuses tasks once closed', async () => {
    const p = pool(1);
    await p.close();
    await expect(p.run({ kind: 'audit', batch: seededBatch(10, 7), options: OPTIONS })).rejects.toThrow(
      /closed/,
    );
  });

  it('refuses a size that is not a whole number >= 0', () => {
    expect(() => new ComputePool({ size: -1 })).toThrow(/whole number/);
    expect(() => new ComputePool({ size: 1.5 })).toThrow(/whole number/);
  });
});
