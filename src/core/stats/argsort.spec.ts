import { argsortFloat64 } from './argsort';

describe('argsortFloat64', () => {
  it('orders negatives, zeros, ties and large magnitudes numerically and stably', () => {
    const values = Float64Array.from([0.5, -2, 1e300, -0, 0, 0.5, -1e-300, 3, -Infinity, Infinity]);
    const { order, sorted } = argsortFloat64(values);
    expect(Array.from(sorted)).toEqual([-Infinity, -2, -1e-300, -0, 0, 0.5, 0.5, 3, 1e300, Infinity]);
    expect(Array.from(order)).toEqual([8, 1, 6, 3, 4, 0, 5, 7, 2, 9]);
  });

  it('sorts the same special values through the radix path (more than 1,024 values)', () => {
    const special = [0.5, -2, 1e300, 0, 0.5, -1e-300, 3, -Infinity, Infinity];
    const values = Float64Array.from({ length: 9 * 120 }, (_, i) => special[i % 9]!);
    const expected = [-Infinity, -2, -1e-300, 0, 0.5, 0.5, 3, 1e300, Infinity].flatMap((v) =>
      Array<number>(120).fill(v),
    );
    expect(Array.from(argsortFloat64(values).sorted)).toEqual(expected);
  });

  it('agrees with a comparison sort on many values sharing digits', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1000) / 997 - 0.3);
    const expected = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]! || a - b);
    expect(Array.from(argsortFloat64(values).order)).toEqual(expected);
  });
});
