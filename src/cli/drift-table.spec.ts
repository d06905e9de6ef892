import type { DriftReport, Metrics } from '../client';
import { TINY_GROUP, sampleDrift, sampleReportInput } from '../../test/support/report-fixture';
import { renderDriftTable } from './drift-table';

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
