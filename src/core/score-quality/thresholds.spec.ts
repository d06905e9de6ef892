import { computeFairness, type FairnessOptions, type SliceResult } from '../fairness';
import { createCsvIngestor, parseAuditConfig, type ColumnarBatch } from '../ingest';
import { argsortFloat64, mulberry32 } from '../stats';
import { sliceRows } from './groups';
import { equalizingThresholds, thresholdTable, type ScoreLabelRows } from './thresholds';

/** Seeded rows: two attributes, scores on a 0.01 grid (many ties, some exactly on the thresholds). */
function csv(rows: number, seed: number, weighted: boolean): string {
  const random = mulberry32(seed);
  const lines = [weighted ? 'y_true,score,race,sex,w' : 'y_true,score,race,sex'];
  for (let i = 0; i < rows; i++) {
    const race = ['A', 'B', 'C'][Math.floor(random() * 3)]!;
    const score = Math.round(random() * 100) / 100;
    const label = random() < score * (race === 'B' ? 0.8 : 1) ? 1 : 0;
    const sex = random() < 0.5 ? 'F' : 'M';
    lines.push([label, score, race, sex, ...(weighted ? [1 + Math.floor(random() * 3)] : [])].join(','));
  }
  return lines.join('\n');
}

function audit(text: string, threshold: number, weighted: boolean): ColumnarBatch {
  const config = parseAuditConfig({
    sensitiveAttributes: ['race', 'sex'],
    intersections: [['race', 'sex']],
    threshold,
    ...(weighted ? { weightColumn: 'w' } : {}),
  });
  const ingestor = createCsvIngestor(config);
  ingestor.write(new TextEncoder().encode(text));
  return ingestor.end().batch;
}

const OPTIONS: FairnessOptions = {
  favorableOutcome: 'positive',
  reference: { strategy: 'largest' },
  intersections: [['race', 'sex']],
  minGroupSize: 30,
  missingAttribute: 'group',
};

function rowsOf(batch: ColumnarBatch): ScoreLabelRows {
  return {
    scores: batch.scores!,
    labels: batch.labels!,
    weights: batch.weights,
    order: argsortFloat64(batch.scores!).order,
  };
}

describe.each([false, true])('thresholdTable (weighted: %s)', (weighted) => {
  const text = csv(600, weighted ? 11 : 7, weighted);
  const thresholds = [0, 0.1, 0.25, 0.5, 0.5001, 0.73, 0.99];
  const base = audit(text, 0.5, weighted);
  const slices = sliceRows(base, [['race', 'sex']]);
  const table = thresholdTable(rowsOf(base), slices, thresholds);

  it('every figure equals a fresh audit run at that threshold', () => {
    thresholds.forEach((t, k) => {
      const fresh = computeFairness(audit(text, t, weighted), OPTIONS);
      const freshSlices: {
        attributes: string[];
        groups: SliceResult['groups'] | { key: object; metrics: SliceResult['groups'][number]['metrics'] }[];
      }[] = [{ attributes: [], groups: [{ key: {}, metrics: fresh.overall.metrics }] }, ...fresh.slices];
      slices.forEach((slice, s) => {
        expect(slice.attributes).toEqual(freshSlices[s]!.attributes);
        slice.keys.forEach((_, g) => {
          const expected = freshSlices[s]!.groups[g]!.metrics;
          const point = table[s]![g]![k]!;
          for (const key of [
            'selection_rate',
            'true_positive_rate',
            'false_positive_rate',
            'positive_predictive_value',
          ] as const) {
            const want = expected[key]?.value ?? null;
            if (want === null) expect([t, s, g, key, point[key]]).toEqual([t, s, g, key, null]);
            else expect(point[key]).toBeCloseTo(want, 12);
          }
        });
      });
    });
  });

  it('net benefit and alerts follow from the counts (Vickers: TP/n − FP/n · t/(1 − t))', () => {
    const overall = table[0]![0]![3]!; // t = 0.5: the odds weight is 1
    const sel = overall.selection_rate!;
    const tpr = overall.true_positive_rate!;
    const fpr = overall.false_positive_rate!;
    const ppv = overall.positive_predictive_value!;
    expect(overall.alerts_per_1000).toBeCloseTo(1000 * sel, 10);
    // TP/n = sel·ppv and FP/n = sel·(1 − ppv).
    expect(overall.net_benefit).toBeCloseTo(sel * ppv - sel * (1 - ppv), 12);
    expect(tpr).toBeGreaterThan(fpr);
  });
});

describe('equalizingThresholds', () => {
  it('gives each group the largest threshold whose TPR reaches the target, checked against a brute-force scan', () => {
    const text = csv(500, 3, false);
    const batch = audit(text, 0.5, false);
    const slices = sliceRows(batch, []);
    const race = slices[1]!;
    const found = equalizingThresholds(rowsOf(batch), race, 0.7, 0.05);
    race.keys.forEach((_, g) => {
      // Brute force over the group's distinct scores, highest first.
      const rows = [...batch.scores!.keys()].filter((i) => race.rowGroup[i] === g);
      const positives = rows.filter((i) => batch.labels![i] === 1).length;
      const candidates = [...new Set(rows.map((i) => batch.scores![i]!))].sort((a, b) => b - a);
      const best = candidates.find(
        (t) => rows.filter((i) => batch.labels![i] === 1 && batch.scores![i]! >= t).length / positives >= 0.7,
      );
      expect(found[g]!.threshold).toBe(best);
      const tp = rows.filter((i) => batch.labels![i] === 1 && batch.scores![i]! >= best!).length;
      const flagged = rows.filter((i) => batch.scores![i]! >= best!).length;
      expect(found[g]!.true_positive_rate).toBeCloseTo(tp / positives, 14);
      expect(found[g]!.alerts_per_1000).toBeCloseTo((1000 * flagged) / rows.length, 10);
      expect(found[g]!.withinTolerance).toBe(Math.abs(tp / positives - 0.7) <= 0.05);
    });
  });

  it('a group that cannot reach the target (no positives) gets no threshold', () => {
    const text = 'y_true,score,race,sex\n0,0.9,A,F\n0,0.2,A,F\n1,0.8,B,F\n0,0.1,B,F';
    const batch = audit(text, 0.5, false);
    const found = equalizingThresholds(rowsOf(batch), sliceRows(batch, [])[1]!, 0.5, 0.01);
    expect(found.map((f) => f.threshold)).toEqual([null, 0.8]);
  });
});
