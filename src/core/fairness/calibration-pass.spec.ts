import { calibrationFit } from '../score-quality/calibration';
import { levelsOf } from '../score-quality/levels';
import { mulberry32 } from '../stats';
import { calibrationByGroup, calibrationScope } from './calibration-pass';
import type { RankedPartition } from './ranking';

/**
 * The three ways calibrationByGroup compresses rows (a dense table for few distinct scores, a level buffer for
 * many, slices a batch at a time under a small budget) give the fits of each group's rows compressed on their
 * own (levelsOf, already checked against numpy in score-quality/calibration.spec.ts).
 */
describe('calibrationByGroup', () => {
  // 400 rows in score order, 2 cells (attribute level a, b); groups: 0 = whole sample, 1 = a, 2 = b.
  const random = mulberry32(5);
  const n = 400;
  const build = (decimals: number) => {
    const scores = Float64Array.from(
      { length: n },
      () => Math.round(random() * 10 ** decimals) / 10 ** decimals,
    ).sort();
    const cells = Uint8Array.from(scores, () => (random() < 0.4 ? 1 : 0));
    const labels = Uint8Array.from(scores, (s) => (random() < s * 0.8 ? 1 : 0));
    const weights = Float64Array.from(scores, () => 0.5 + random() * 2);
    const partition: RankedPartition = {
      cellLabels: Uint32Array.from(cells, (c, k) => c * 2 + labels[k]!),
      // cell 0 → groups (0, 1), cell 1 → groups (0, 2)
      groupOf: Int32Array.from([0, 1, 0, 2]),
      members: 2,
    };
    const rows = [n, cells.filter((c) => c === 0).length, cells.filter((c) => c === 1).length];
    const own = (g: number, w?: Float64Array) => {
      const idx = Array.from(scores.keys()).filter((k) => g === 0 || cells[k] === g - 1);
      return calibrationFit(
        levelsOf(
          idx.map((k) => scores[k]!),
          idx.map((k) => labels[k]!),
          w && idx.map((k) => w[k]!),
        ),
      );
    };
    return { scores, weights, partition, rows, own };
  };

  it.each([
    ['few distinct scores, dense table', 2, undefined],
    ['many distinct scores, level buffer, one slice per batch', 12, 1],
    ['few distinct scores, forced into the level buffer', 2, 1],
  ])('%s', (_, decimals, budget) => {
    const { scores, weights, partition, rows, own } = build(decimals);
    for (const w of [undefined, weights]) {
      const fits = calibrationByGroup(
        { scores, weights: w },
        [partition],
        rows,
        budget,
      );
      fits.forEach((fit, g) => {
        const expected = own(g, w);
        expect(fit!.total).toBeCloseTo(expected.total, 10);
        expect(fit!.observed).toBeCloseTo(expected.observed, 10);
        expect(fit!.ece).toBeCloseTo(expected.ece, 12);
        expect(fit!.design).toBeCloseTo(expected.design, 12);
        expect(fit!.slope!.value).toBeCloseTo(expected.slope!.value, 10);
        expect(fit!.intercept!.se).toBeCloseTo(expected.intercept!.se, 10);
      });
    }
  });

  it('calibration needs every score in [0, 1]', () => {
    expect(calibrationScope(Float64Array.from([0, 0.5, 1]))).toBeNull();
    expect(calibrationScope(Float64Array.from([-0.01, 0.5]))).toBe('scores_outside_unit_interval');
    expect(calibrationScope(Float64Array.from([0.5, 1.01]))).toBe('scores_outside_unit_interval');
  });
});
