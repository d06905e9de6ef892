/**
 * The synthetic audit every benchmark uses: 3 attributes with 5, 3 and 4 levels, labels, scores and
 * predictions (score >= 0.5), from a seeded PRNG so every run sees the same data.
 */
import type { FairnessOptions } from '../../src/core/fairness';
import type { ColumnarBatch } from '../../src/core/ingest/batch';
import { mulberry32 } from '../../src/core/stats';

export const ATTRIBUTES = [
  { name: 'race', levels: ['A', 'B', 'C', 'D', 'E'] },
  { name: 'sex', levels: ['F', 'M', 'X'] },
  { name: 'age_band', levels: ['18-34', '35-49', '50-64', '65+'] },
];

/** One 2-way intersection (race × sex), reference = the largest group. */
export const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

/** `shift` moves race group B's scores up by that much and doubles its label probability. */
export function syntheticBatch(rows: number, seed: number, shift = 0): ColumnarBatch {
  const random = mulberry32(seed);
  const codes = ATTRIBUTES.map(() => new Uint16Array(rows));
  const scores = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  const predictions = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    ATTRIBUTES.forEach((attribute, a) => (codes[a]![i] = Math.floor(random() * attribute.levels.length)));
    const shifted = codes[0]![i] === 1 && shift > 0;
    const s0 = 0.05 + (0.7 * (random() + random() + random())) / 3;
    const score = Math.round((shifted ? s0 + shift : s0) * 1e6) / 1e6;
    scores[i] = score;
    labels[i] = random() < 0.5 * s0 * (shifted ? 2 : 1) ? 1 : 0;
    predictions[i] = score >= 0.5 ? 1 : 0;
  }
  const attributes = ATTRIBUTES.map((attribute, a) => ({ ...attribute, codes: codes[a]! }));
  return { rowCount: rows, labels, predictions, scores, attributes };
}
