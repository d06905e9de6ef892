import { disparityChartSpec, timelineChartSpec, wrapList } from './chart-specs';

interface Layer {
  data?: { values: Record<string, unknown>[] };
  mark: { type: string };
  encoding: Record<string, { field?: string; type?: string; timeUnit?: string }>;
}

describe('chart specs', () => {
  it('draws ratios with the band and a rule at 1, leaving suppressed groups out and naming them', () => {
    const spec = disparityChartSpec(
      {
        title: 'race',
        groups: [
          { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
          { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
          { group: 'Tiny', ratio: 1.6, suppressed: true },
        ],
      },
      'selection_rate',
      [0.8, 1.25],
    ) as {
      data: { values: { group: string; status: string }[] };
      layer: Layer[];
      title: { subtitle: string[] };
    };
    expect(spec.data.values.map((v) => [v.group, v.status])).toEqual([
      ['White', 'Reference'],
      ['Black', 'Outside band'],
    ]);
    expect(spec.layer[0]?.mark.type).toBe('rect');
    expect(spec.layer[0]?.data?.values).toEqual([{ lo: 0.8, hi: 1.25 }]);
    expect(spec.layer[1]?.data?.values).toEqual([{ one: 1 }]);
    expect(spec.title.subtitle).toContain('Not shown (small-cell suppression): Tiny');
    expect(JSON.stringify(spec)).not.toMatch(/"url"/);
  });

  it('wraps long lists of left-out groups into lines', () => {
    const items = [
      'American Indian or Alaska Native × Female',
      'American Indian or Alaska Native × Male',
      'Asian × Female',
    ];
    expect(wrapList('Not shown', items, 60)).toEqual([
      'Not shown: American Indian or Alaska Native × Female,',
      '  American Indian or Alaska Native × Male, Asian × Female',
    ]);
  });

  it('uses dates on the x axis when audits fall on distinct days, else audit order', () => {
    const pts = (days: string[]) =>
      days.flatMap((d, i) => [
        { at: `${d}T10:00:00Z`, auditId: `a${i}`, group: 'A', value: 0.4 },
        { at: `${d}T10:00:00Z`, auditId: `a${i}`, group: 'B', value: null },
      ]);
    const dated = timelineChartSpec(pts(['2026-01-01', '2026-02-01']), 'selection_rate') as {
      layer: Layer[];
    };
    const line = dated.layer[0];
    expect(line?.encoding.x?.timeUnit).toBe('yearmonthdate');
    expect(line?.data?.values).toHaveLength(2); // null values dropped
    const same = timelineChartSpec(pts(['2026-01-01', '2026-01-01']), 'selection_rate') as { layer: Layer[] };
    expect(same.layer[0]?.encoding.x).toMatchObject({ field: 'audit', type: 'ordinal' });
    expect(same.layer[0]?.data?.values.map((v) => v.audit)).toEqual(['Audit 1', 'Audit 2']);
  });
});
