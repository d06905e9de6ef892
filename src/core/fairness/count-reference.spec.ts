import REFERENCE from '../../../test/fixtures/counts/reference.json';
import { createCsvIngestor, parseAuditConfig } from '../ingest';
import { zCritical } from '../stats';
import { computeFairness } from './compute-fairness';
import type { GroupResult } from './types';

/**
 * A small tied cell table against numpy on its expanded rows (test/fixtures/counts/reference.py): counts,
 * rates with Wilson intervals, the scoring rate (median over people), the AUC with its ties and DeLong's
 * interval, Brier and mean score. Read through the CSV ingestor, so the 0-count row is dropped as at upload.
 */
type Reference = (typeof REFERENCE)['overall'];

const config = parseAuditConfig({
  sensitiveAttributes: ['race'],
  countColumn: 'n',
  scoreColumn: 'score',
  minGroupSize: 1,
});

function audit() {
  const ingestor = createCsvIngestor(config);
  ingestor.write(new TextEncoder().encode(REFERENCE.csv));
  const outcome = ingestor.end();
  const result = computeFairness(outcome.batch, {
    favorableOutcome: 'positive',
    reference: { strategy: 'largest' },
    intersections: [],
    minGroupSize: 1,
    missingAttribute: 'group',
  });
  return { outcome, result };
}

function expectClose(actual: number | null | undefined, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(expected)),
  );
}

function expectGroup(metrics: GroupResult['metrics'], expected: Reference): void {
  expect(metrics.count?.value).toBe(expected.count);
  for (const key of ['selection_rate', 'true_positive_rate', 'scoring_rate'] as const) {
    expectClose(metrics[key]?.value, expected[key].value);
    expectClose(metrics[key]?.ciLow, expected[key].ci[0]!);
    expectClose(metrics[key]?.ciHigh, expected[key].ci[1]!);
  }
  expectClose(metrics.roc_auc?.value, expected.roc_auc.value);
  // DeLong's variance through its logit interval (placements of tied people counted with their frequency).
  expectClose(metrics.roc_auc?.ciLow, expected.roc_auc.ci[0]!);
  expectClose(metrics.roc_auc?.ciHigh, expected.roc_auc.ci[1]!);
  expectClose(metrics.brier_score?.value, expected.brier_score);
  expectClose(metrics.mean_score?.value, expected.mean_score);
}

describe('countColumn against numpy on the expanded rows', () => {
  it('uses the reference z', () => {
    expect(zCritical(0.95)).toBeCloseTo(1.959963984540054, 12);
  });

  it('counts people, not cells, and drops the 0-count row', () => {
    const { outcome, result } = audit();
    expect(outcome.rowCount).toBe(REFERENCE.people);
    expect(outcome.cellCount).toBe(REFERENCE.cells);
    expect(outcome.batch.rowCount).toBe(REFERENCE.cells - 1);
    expect(result.overall.count).toBe(REFERENCE.people);
  });

  it('gives the whole sample the expanded rows values', () => {
    expectGroup(audit().result.overall.metrics, REFERENCE.overall);
  });

  it.each(['A', 'B'] as const)(
    'gives group %s the expanded rows values (B: an even count, median between two people)',
    (race) => {
      const group = audit().result.slices[0]!.groups.find((g) => g.key.race === race)!;
      expectGroup(group.metrics, REFERENCE.race[race]);
      expect(group.share).toBeCloseTo(REFERENCE.race[race].count / REFERENCE.people, 15);
    },
  );
});
