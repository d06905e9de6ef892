/**
 * Property tests of config.countColumn's promise: a cell table gives the results of its expanded rows.
 * Seeded random audits with many ties (scores on a coarse grid, few groups) are aggregated into cells (one
 * row per distinct attributes × label × prediction × score, with its count, in shuffled order) and every value
 * of the fairness metrics, the calibration and threshold reports and drift is compared.
 *
 * Exactness: every count, numerator, denominator, interval of a rate, test, AUC placement, median, KS, PSI
 * and bin share is computed from the same integers, so those agree to the last bit; sums of scores (mean
 * score, Brier, calibration sums and fits) add c·s once instead of s c times, so they may differ in the last
 * digits: every value is asserted equal within 1e-12 relative, and the share of values that are bit-identical
 * is asserted too (the integers and everything derived only from them).
 */
import { computeDrift } from '../drift';
import type { ColumnarBatch } from '../ingest/batch';
import { calibrationReport, DEFAULT_THRESHOLDS, thresholdReport } from '../score-quality';
import { mulberry32 } from '../stats';
import { computeFairness } from './compute-fairness';
import type { FairnessOptions } from './types';

const RELATIVE = 1e-12;

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

interface Shape {
  rows: number;
  /** Scores on a grid of this many steps in [0, 1] (ties). */
  grid: number;
  /** Shift of the positive class's score, so the AUC is informative. */
  shift: number;
  labels: boolean;
}

/** A random audit of rows: race (3 levels, unequal), sex (2), labels, predictions at 0.5, grid scores. */
function rowsBatch(seed: number, shape: Shape): ColumnarBatch {
  const random = mulberry32(seed);
  const n = shape.rows;
  const race = new Uint16Array(n);
  const sex = new Uint16Array(n);
  const labels = new Uint8Array(n);
  const predictions = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    race[i] = r < 0.6 ? 0 : r < 0.9 ? 1 : 2;
    sex[i] = random() < 0.5 ? 0 : 1;
    labels[i] = random() < 0.25 + 0.1 * race[i]! ? 1 : 0;
    const raw = Math.min(1, Math.max(0, random() * 0.7 + (labels[i] === 1 ? shape.shift : 0)));
    scores[i] = Math.round(raw * shape.grid) / shape.grid;
    predictions[i] = scores[i]! >= 0.5 ? 1 : 0;
  }
  return {
    rowCount: n,
    ...(shape.labels && { labels }),
    predictions,
    scores,
    attributes: [
      { name: 'race', levels: ['White', 'Black', 'Asian'], codes: race },
      { name: 'sex', levels: ['F', 'M'], codes: sex },
    ],
  };
}

/** The cell table of a batch of rows: one row per distinct combination, with its count, shuffled. */
function cellTable(batch: ColumnarBatch, seed: number): ColumnarBatch {
  const cells = new Map<string, { row: number; count: number }>();
  for (let i = 0; i < batch.rowCount; i++) {
    const key = [
      ...batch.attributes.map((a) => a.codes[i]),
      batch.labels?.[i] ?? '',
      batch.predictions[i],
      batch.scores?.[i],
    ].join('|');
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { row: i, count: 1 });
  }
  const list = [...cells.values()];
  const random = mulberry32(seed);
  for (let k = list.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [list[k], list[j]] = [list[j]!, list[k]!];
  }
  const pick = <T extends Uint8Array | Uint16Array | Float64Array>(values: T): T =>
    values.constructor === Float64Array
      ? (Float64Array.from(list, (c) => values[c.row]!) as T)
      : values.constructor === Uint16Array
        ? (Uint16Array.from(list, (c) => values[c.row]!) as T)
        : (Uint8Array.from(list, (c) => values[c.row]!) as T);
  return {
    rowCount: list.length,
    ...(batch.labels && { labels: pick(batch.labels) }),
    predictions: pick(batch.predictions),
    ...(batch.scores && { scores: pick(batch.scores) }),
    counts: Float64Array.from(list, (c) => c.count),
    attributes: batch.attributes.map((a) => ({ ...a, codes: pick(a.codes) })),
  };
}

interface Comparison {
  values: number;
  identical: number;
  worstRelative: number;
  mismatches: string[];
}

/** Walks both values together: same shape, same strings and nulls, numbers within RELATIVE. */
function compare(rows: unknown, cells: unknown, path = '$', out?: Comparison): Comparison {
  const c = out ?? { values: 0, identical: 0, worstRelative: 0, mismatches: [] };
  if (typeof rows === 'number' && typeof cells === 'number') {
    c.values++;
    if (Object.is(rows, cells)) c.identical++;
    else {
      const relative = Math.abs(rows - cells) / Math.max(Math.abs(rows), Math.abs(cells));
      c.worstRelative = Math.max(c.worstRelative, relative);
      if (!(relative <= RELATIVE)) c.mismatches.push(`${path}: ${rows} (rows) vs ${cells} (cells)`);
    }
  } else if (Array.isArray(rows) && Array.isArray(cells)) {
    if (rows.length !== cells.length) c.mismatches.push(`${path}: length ${rows.length} vs ${cells.length}`);
    rows.forEach((v, i) => compare(v, cells[i], `${path}[${i}]`, c));
  } else if (isObject(rows) && isObject(cells)) {
    const keys = Object.keys(rows);
    if (keys.join() !== Object.keys(cells).join()) c.mismatches.push(`${path}: keys differ`);
    for (const k of keys) compare(rows[k], cells[k], `${path}.${k}`, c);
  } else if (rows !== cells) {
    c.mismatches.push(`${path}: ${String(rows)} vs ${String(cells)}`);
  }
  return c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expectSame(rows: unknown, cells: unknown): Comparison {
  const c = compare(rows, cells);
  expect(c.mismatches.slice(0, 5)).toEqual([]);
  expect(c.values).toBeGreaterThan(50);
  return c;
}

const SHAPES: Shape[] = [
  { rows: 3000, grid: 20, shift: 0.3, labels: true },
  { rows: 800, grid: 5, shift: 0.5, labels: true },
  { rows: 1500, grid: 100, shift: 0.1, labels: true },
  { rows: 400, grid: 10, shift: 0.2, labels: false },
];

describe('countColumn: a cell table gives the results of its expanded rows', () => {
  it.each(SHAPES.flatMap((shape, s) => [1, 2, 3].map((seed) => [seed + 10 * s, shape] as const)))(
    'fairness metrics, seed %i',
    (seed, shape) => {
      const rows = rowsBatch(seed, shape);
      const cells = cellTable(rows, seed + 1000);
      expect(cells.rowCount).toBeLessThan(rows.rowCount / 2);
      const c = expectSame(computeFairness(rows, OPTIONS), computeFairness(cells, OPTIONS));
      // Everything but the score sums is computed from the same integers: most values are bit-identical.
      expect(c.identical / c.values).toBeGreaterThan(0.9);
    },
  );

  it.each([1, 2, 3, 4, 5])('calibration and thresholds reports, seed %i', (seed) => {
    const shape = SHAPES[seed % 3]!;
    const rows = rowsBatch(seed, shape);
    const cells = cellTable(rows, seed + 1000);
    const z = 1.959963984540054;
    expectSame(
      calibrationReport(rows, OPTIONS.intersections, z),
      calibrationReport(cells, OPTIONS.intersections, z),
    );
    const audit = {
      threshold: 0.5,
      references: [{ race: 'White' }, { sex: 'F' }, { race: 'White', sex: 'F' }] as Record<string, string>[],
      tolerance: 0.02,
    };
    expectSame(
      thresholdReport(rows, OPTIONS.intersections, DEFAULT_THRESHOLDS, audit),
      thresholdReport(cells, OPTIONS.intersections, DEFAULT_THRESHOLDS, audit),
    );
  });

  it.each([1, 2, 3, 4])('drift, seed %i: cells on both sides, and cells against rows', (seed) => {
    const shape = SHAPES[seed % 3]!;
    const baseline = rowsBatch(seed, shape);
    const current = rowsBatch(seed + 500, { ...shape, shift: shape.shift * 0.7 });
    const side = (batch: ColumnarBatch) => ({ batch, result: computeFairness(batch, OPTIONS) });
    const expected = computeDrift(side(baseline), side(current));
    const baselineCells = cellTable(baseline, seed);
    const currentCells = cellTable(current, seed + 1);
    const c = expectSame(expected, computeDrift(side(baselineCells), side(currentCells)));
    expect(c.identical / c.values).toBeGreaterThan(0.9);
    expectSame(expected, computeDrift(side(baselineCells), side(current)));
    expectSame(expected, computeDrift(side(baseline), side(currentCells)));
    // The score checks are there (KS, PSI, medians), overall and per group.
    expect(expected.checks.filter((check) => check.statistic === 'ks').length).toBeGreaterThan(3);
  });
});
