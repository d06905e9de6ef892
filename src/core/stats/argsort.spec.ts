import { argsortFloat64, argsortWithPayload } from './argsort';

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

describe('argsortFloat64 on values that tie in their high 32 bits', () => {
  const byComparison = (values: Float64Array): number[] =>
    Array.from(values.keys()).sort((a, b) => values[a]! - values[b]! || a - b);

  it('orders short runs that differ only in the low bits (insertion sort)', () => {
    const values = Float64Array.from(
      { length: 4000 },
      (_, i) => (1 + (i % 1000)) * (1 + ((i * 31) % 17) * 2 ** -45),
    );
    expect(Array.from(argsortFloat64(values).order)).toEqual(byComparison(values));
  });

  it('orders long runs of positives and of negatives (radix sort of the low words), stably', () => {
    for (const sign of [1, -1]) {
      for (const length of [3000, 70_000]) {
        const values = Float64Array.from({ length }, (_, i) => sign * (0.5 + ((i * 7919) % 5000) * 2 ** -50));
        const { order, sorted } = argsortFloat64(values);
        expect(Array.from(order)).toEqual(byComparison(values));
        expect(Array.from(sorted)).toEqual(Array.from(order, (row) => values[row]!));
      }
    }
  });
});

describe('argsortWithPayload', () => {
  it("carries each row's word into score order, through the comparison, radix and tie-fixing paths", () => {
    const cases = [
      Float64Array.from({ length: 500 }, (_, i) => ((i * 7919) % 97) / 97),
      Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1000) / 997 - 0.3),
      Float64Array.from({ length: 4000 }, (_, i) => (1 + (i % 1000)) * (1 + ((i * 31) % 17) * 2 ** -45)),
      Float64Array.from({ length: 3000 }, (_, i) => -(0.5 + ((i * 7919) % 5000) * 2 ** -50)),
    ];
    for (const values of cases) {
      const payload = Uint32Array.from(values, (_, i) => (i * 2654435761) >>> 0);
      const carried = argsortWithPayload(values, payload);
      const plain = argsortFloat64(values);
      expect(Array.from(carried.order)).toEqual(Array.from(plain.order));
      expect(Array.from(carried.payload)).toEqual(Array.from(plain.order, (row) => payload[row]!));
    }
  });
});
