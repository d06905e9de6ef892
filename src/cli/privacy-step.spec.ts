import { seededRandomSource } from '../core/privacy';
import type { CellTable } from './cell-table';
import {
  completeDomain,
  MAX_NOISED_CELLS,
  privacyFromOptions,
  PrivacyOptionError,
  privacyStep,
} from './privacy-step';

const TABLE: CellTable = {
  columns: ['race', 'y_true', 'y_pred'],
  countColumn: 'n',
  cells: [
    ['A', '1', '1'],
    ['A', '0', '0'],
    ['B', '0', '1'],
  ],
  counts: [12, 30, 4],
};

describe('fairwatch aggregate --epsilon', () => {
  it('reads the options: geometric by default, discrete Gaussian with δ, none without ε', () => {
    expect(privacyFromOptions({})).toBeNull();
    expect(privacyFromOptions({ epsilon: '0.5' })).toEqual({ mechanism: 'geometric', epsilon: 0.5 });
    expect(privacyFromOptions({ epsilon: '1', delta: '1e-6' })).toEqual({
      mechanism: 'discrete_gaussian',
      epsilon: 1,
      delta: 1e-6,
    });
    expect(privacyFromOptions({ epsilon: '2', mechanism: 'laplace' })).toEqual({
      mechanism: 'laplace',
      epsilon: 2,
    });
  });

  it.each([
    [{ epsilon: '0' }, '--epsilon must be a finite number > 0'],
    [{ epsilon: 'x' }, '--epsilon must be a finite number > 0'],
    [{ epsilon: '1', mechanism: 'gaussian' }, '--delta is required with mechanism "gaussian"'],
    [
      { epsilon: '1', delta: '1e-6', mechanism: 'laplace' },
      '--delta is not used by mechanism "laplace" (it is ε-DP)',
    ],
    [{ delta: '1e-6' }, '--delta and --mechanism need --epsilon'],
  ])('refuses %j', (opts, message) => {
    expect(() => privacyFromOptions(opts)).toThrow(new PrivacyOptionError(message));
  });

  it('completes the domain: every combination of the values, the absent ones with count 0', () => {
    const complete = completeDomain(TABLE);
    expect(complete.cells).toHaveLength(2 * 2 * 2);
    const count = (cell: string[]): number | undefined =>
      complete.counts[complete.cells.findIndex((c) => c.join() === cell.join())];
    expect(count(['A', '1', '1'])).toBe(12);
    expect(count(['B', '0', '1'])).toBe(4);
    expect(count(['B', '1', '0'])).toBe(0);
    expect(complete.counts.reduce((a, b) => a + b, 0)).toBe(46);
  });

  it('refuses a domain of more than MAX_NOISED_CELLS cells', () => {
    const wide: CellTable = {
      columns: ['a', 'b'],
      countColumn: 'n',
      cells: Array.from({ length: 1500 }, (_, i) => [`a${i}`, `b${i}`]),
      counts: new Array<number>(1500).fill(1),
    };
    expect(1500 * 1500).toBeGreaterThan(MAX_NOISED_CELLS);
    expect(() => completeDomain(wide)).toThrow(PrivacyOptionError);
  });

  it('noises every cell of the completed table with the chosen mechanism (integers ≥ 0)', async () => {
    const step = privacyStep({ epsilon: '0.5' }, () => seededRandomSource(11))!;
    const noised = await step(TABLE);
    expect(noised.cells).toHaveLength(8);
    expect(noised.counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
    expect(noised.counts).not.toEqual(completeDomain(TABLE).counts);
    expect(privacyStep({}, () => seededRandomSource(1))).toBeNull();
  });
});
