import type { ControlOutcome, Metrics } from '../client';
import { TINY_GROUP, sampleReportInput } from '../../test/support/report-fixture';
import { disparityRows, publishedSliceRows, renderDisparityTable } from './audit-tables';
import { gateVerdict } from './release-gate';

const outcome = (
  framework: ControlOutcome['framework'],
  controlId: string,
  status: ControlOutcome['status'],
) =>
  ({
    framework,
    controlId,
    title: controlId,
    status,
    evidence: [],
    rationale: '',
    policyVersion: 0,
    catalogVersion: '2026.11.1',
  }) satisfies ControlOutcome;

describe('gateVerdict', () => {
  it('fails on a failing control of the gated frameworks, naming it', () => {
    const v = gateVerdict(
      ['eeoc-ugesp'],
      [
        outcome('eeoc-ugesp', '29 CFR 1607.4(D)', 'fail'),
        outcome('eeoc-ugesp', '29 CFR 1607.4(B)', 'review'),
      ],
    );
    expect(v.passed).toBe(false);
    expect(v.message).toBe('Gate FAILED: 1 control of eeoc-ugesp fails (eeoc-ugesp 29 CFR 1607.4(D)).');
  });

  it('passes when only review or other frameworks fail, counting reviews of the gated ones', () => {
    const v = gateVerdict(
      ['eeoc-ugesp'],
      [
        outcome('eeoc-ugesp', '29 CFR 1607.4(B)', 'review'),
        outcome('hipaa', '45 CFR 164.514(b)', 'fail'),
        outcome('hipaa', 'CMS', 'review'),
      ],
    );
    expect(v.passed).toBe(true);
    expect(v.failed).toEqual([]);
    expect(v.message).toBe('Gate passed: no control of eeoc-ugesp fails (1 needs review).');
  });
});

describe('the audit summary passes the disclosure step', () => {
  const result = sampleReportInput().result;
  const metrics = result as unknown as Metrics;

  it('prints no count from 1 to 10 and no rate that could reveal one; the partner cell is suppressed', () => {
    const rows = disparityRows(metrics).filter((r) => r.attributes.join() === 'race');
    const tiny = rows.find((r) => r.group === TINY_GROUP)!;
    expect([tiny.countText, tiny.selectionRate, tiny.worstRatio]).toEqual(['<=10', null, null]);
    // Asian (300) is the next-smallest race group: withheld with it, not called <=10
    const asian = rows.find((r) => r.group === 'Asian')!;
    expect([asian.countText, asian.hidden]).toEqual([
      'suppressed',
      ['selection_rate', 'false_positive_rate', 'true_positive_rate'],
    ]);
    const black = rows.find((r) => r.group === 'Black')!;
    expect(black.countText).toBe('900');
    expect(black.selectionRate).toBeCloseTo(262 / 900, 12); // (140 + 122) / 900 from the fixture's cells
    const table = renderDisparityTable(rows);
    expect(table).not.toMatch(/\s6\s/);
    expect(table).toContain('suppressed');
  });

  it('slice summaries leave out the tiny group and the withheld one (race: Black 262/900 over White 960/2400)', () => {
    const race = publishedSliceRows(metrics).find((s) => s.attributes.join() === 'race')!;
    expect(race.summary.demographic_parity_ratio).toBeCloseTo(262 / 900 / (960 / 2400), 12);
    // race × sex: the tiny cells and their partners Asian × Female/Male are out; Black × Male 122/420 is lowest
    const inter = publishedSliceRows(metrics).find((s) => s.attributes.join() === 'race,sex')!;
    expect(inter.summary.demographic_parity_ratio).toBeCloseTo(122 / 420 / (500 / 1250), 12);
  });
});
