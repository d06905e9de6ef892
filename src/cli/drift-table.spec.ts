import type { DriftReport, Metrics } from '../client';
import { TINY_GROUP, sampleDrift, sampleReportInput } from '../../test/support/report-fixture';
import { renderDriftTable, renderTaskDriftTable } from './drift-table';

describe('drift table: the figures of checks a report suppresses are suppressed', () => {
  const metrics = sampleReportInput().result as unknown as Metrics;
  const checks = sampleDrift().checks as DriftReport['checks'];
  const rows = renderDriftTable(checks, metrics).trimEnd().split('\n');
  const row = (pattern: RegExp): string[] => rows.find((l) => pattern.test(l))!.split(/\s{2,}/);

  it('hides every figure of a check about a group of 1 to 10 people, and of a summary resting on a withheld group', () => {
    // The tiny group (6 people): its z statistic 2.1 and p 0.04 would be printed otherwise.
    expect(row(new RegExp(TINY_GROUP)).slice(-4)).toEqual([
      'suppressed',
      'suppressed',
      'suppressed',
      'suppressed',
    ]);
    // race's impact ratio rests on Asian (300 people), withheld as the tiny group's partner: 0.84 -> 0.72 is not printed.
    expect(row(/impact_ratio/).slice(-4)).toEqual(['suppressed', 'suppressed', 'suppressed', 'suppressed']);
    expect(rows.join('\n')).not.toMatch(/0\.84|2\.1000|0\.0400/);
  });

  it('prints the figures of checks about no hidden group', () => {
    expect(row(/^ALERT\s+score/).slice(-4)).toEqual(['0.2700', '-', '-', '-']);
    expect(row(/age_band/).slice(-4)).toEqual(['0.1400', '-', '-', '-']);
    expect(row(/chi_square/).slice(-4)).toEqual(['1.2000', '0.2700', '-', '-']);
  });
});

describe('drift table of a regression or multiclass audit: counts 1–10 stay hidden', () => {
  const check = (over: Partial<DriftReport['checks'][number]>): DriftReport['checks'][number] => ({
    kind: 'performance',
    statistic: 'z_test',
    value: 2.5,
    pValue: 0.0123,
    baseline: 0.4,
    current: 0.55,
    status: 'alert',
    message: '',
    ...over,
  });
  const sizes = {
    slices: [
      {
        attributes: ['race'],
        groups: [
          { key: { race: 'A' }, count: 400 },
          { key: { race: 'Tiny' }, count: 7 },
        ],
      },
      {
        attributes: ['sex'],
        groups: [
          { key: { sex: 'F' }, count: 200 },
          { key: { sex: 'M' }, count: 207 },
        ],
      },
    ],
  };
  const rows = renderTaskDriftTable(
    [
      check({ attributes: ['race'], key: { race: 'Tiny' }, metric: 'mean_absolute_error' }),
      check({ attributes: ['race'], key: { race: 'A' }, metric: 'selection_rate', class: 'urgent' }),
      check({
        kind: 'fairness',
        attributes: ['race'],
        metric: 'mean_absolute_error_ratio',
        statistic: 'band_crossing',
      }),
      check({ kind: 'fairness', attributes: ['sex'], metric: 'demographic_parity_ratio', class: 'urgent' }),
    ],
    sizes,
  )
    .trimEnd()
    .split('\n');
  const row = (pattern: RegExp): string[] => rows.find((l) => pattern.test(l))!.split(/\s{2,}/);

  it('suppresses the figures of a group of 7 and of a summary over its slice', () => {
    expect(row(/Tiny/).slice(-4)).toEqual(['suppressed', 'suppressed', 'suppressed', 'suppressed']);
    expect(row(/mean_absolute_error_ratio/).slice(-4)).toEqual([
      'suppressed',
      'suppressed',
      'suppressed',
      'suppressed',
    ]);
  });

  it('prints the figures about groups of 11 or more, naming the class', () => {
    expect(row(/selection_rate\[urgent\]/).slice(-4)).toEqual(['2.5000', '0.0123', '0.4000', '0.5500']);
    expect(row(/demographic_parity_ratio\[urgent\]/).slice(-4)).toEqual([
      '2.5000',
      '0.0123',
      '0.4000',
      '0.5500',
    ]);
  });
});
