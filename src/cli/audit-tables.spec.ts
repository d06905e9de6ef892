import type { ControlOutcome, Metrics } from '../client';
import { TINY_GROUP, sampleReportInput } from '../../test/support/report-fixture';
import { disparityRows, publishedOverall, publishedSliceRows, renderDisparityTable } from './audit-tables';
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

describe('the overall line passes the disclosure step', () => {
  const base = sampleReportInput().result as unknown as Metrics;
  const withOverall = (overall: Metrics['overall'], slices = base.slices): Metrics => ({
    ...base,
    overall,
    slices,
  });

  it('suppresses an overall rate resting on 1 to 10 people and prints the others', () => {
    const shown = publishedOverall(
      withOverall({
        count: 1000,
        metrics: {
          selection_rate: { value: 0.005, numerator: 5, denominator: 1000 }, // 5 people predicted positive
          base_rate: { value: 0.3, numerator: 300, denominator: 1000 },
          accuracy: { value: 0.993, numerator: 993, denominator: 1000 }, // 7 wrong: the difference is small
        },
      }),
    );
    expect(shown.rate('selection_rate')).toBe('suppressed');
    expect(shown.rate('base_rate')).toBe('0.3000');
    expect(shown.rate('accuracy')).toBe('suppressed');
    expect(shown.rate('true_positive_rate')).toBe('-');
    expect([0, 1, 10, 11, 1000].map(shown.count)).toEqual(['0', '<=10', '<=10', '11', '1000']);
  });

  it('suppresses every overall rate of an audit of 1 to 10 people', () => {
    const shown = publishedOverall(
      withOverall({ count: 8, metrics: { selection_rate: { value: 0.5, numerator: 4, denominator: 8 } } }),
    );
    expect([shown.rate('selection_rate'), shown.count(8)]).toEqual(['suppressed', '<=10']);
  });

  it('prints no row count when a slice total must not be shown (one hidden group, no partner)', () => {
    const race = base.slices.find((s) => s.attributes.join() === 'race')!;
    const tiny = race.groups.find((g) => g.key.race === TINY_GROUP)!;
    // A slice of the tiny group (6 people) alone: no other group can be hidden with it, so its total, which is
    // the number of rows analysed, must not be shown.
    const lone = { ...race, groups: [tiny] };
    const shown = publishedOverall(withOverall(base.overall, [lone]));
    expect(shown.count(6)).toBe('suppressed');
    expect(shown.count(2406)).toBe('suppressed');
    expect(publishedOverall(base).count(base.overall.count)).toBe(String(base.overall.count));
  });
});
