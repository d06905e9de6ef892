import type { ColumnarBatch } from '../../core/ingest';
import { BatchCache, batchBytes } from './batch-cache';

/** A batch of n rows with scores and one attribute: n (labels) + n (predictions) + 8n (scores) + 2n (codes) bytes. */
function batch(n: number): ColumnarBatch {
  return {
    rowCount: n,
    labels: new Uint8Array(n),
    predictions: new Uint8Array(n),
    scores: new Float64Array(n),
    attributes: [{ name: 'g', levels: ['a'], codes: new Uint16Array(n) }],
  };
}

describe('BatchCache', () => {
  it('counts the bytes of every typed array of a batch', () => {
    expect(batchBytes(batch(100))).toBe(100 + 100 + 800 + 200);
  });

  it('evicts the least recently used batches once over its byte budget', () => {
    const cache = new BatchCache(3 * 1200); // room for three 100-row batches (1,200 bytes each)
    cache.set('a', batch(100));
    cache.set('b', batch(100));
    cache.set('c', batch(100));
    expect(cache.get('a')?.rowCount).toBe(100); // 'a' is now the most recently used
    cache.set('d', batch(100)); // over budget: 'b' (least recently used) goes
    expect(
      [cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')].map((x) => x !== undefined),
    ).toEqual([true, false, true, true]);
    expect(cache.size).toBe(3);
  });

  it('never holds a batch larger than the whole budget', () => {
    const cache = new BatchCache(1000);
    cache.set('big', batch(100)); // 1,200 bytes
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("sorts a cached batch's scores once, counts the order against the budget, and leaves other batches uncached", () => {
    const cache = new BatchCache(2 * 1200 + 1200); // two 100-row batches and one score order (400 + 800 bytes)
    const a = batch(100);
    a.scores!.set([0.3, 0.1, 0.2]); // the 97 zeros sort first, then rows 1, 2, 0
    cache.set('a', a);
    const order = cache.scoreOrder('a', a);
    expect(Array.from(order!.sorted.slice(-3))).toEqual([0.1, 0.2, 0.3]);
    expect(Array.from(order!.order.slice(-3))).toEqual([1, 2, 0]);
    expect(cache.scoreOrder('a', a)).toBe(order); // not sorted again
    cache.set('b', batch(100));
    expect(cache.size).toBe(2); // 1,200 + 1,200 + 1,200 bytes: within budget
    cache.set('c', batch(100)); // over: 'a' with its order (2,400 bytes) goes
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((x) => x !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
    const stranger = batch(10);
    expect(cache.scoreOrder('b', stranger)).not.toBe(cache.scoreOrder('b', stranger)); // sorted, not kept
    const unscored = { ...batch(10), scores: undefined };
    cache.set('u', unscored);
    expect(cache.scoreOrder('u', unscored)).toBeUndefined();
  });
});
