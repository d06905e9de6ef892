import { buildReportViewModel } from '../view-model';
import { TINY_GROUP, sampleReportInput } from '../../../../test/support/report-fixture';
import { bandStatus, disparityChart, disparityDomain } from './disparity-chart';
import { auditLabels, timelineChart, timelineDomain } from './timeline-chart';
import { STATUS_COLORS, wrapList } from './model';
import type { ChartModel } from './model';

const groupsPlotted = (c: ChartModel): string[] =>
  c.kind === 'disparity'
    ? c.series.flatMap((s) => s.points.map((p) => String(p.y)))
    : c.series.filter((s) => s.points.length > 0).map((s) => s.label);

describe('disparity chart model', () => {
  const chart = disparityChart(
    {
      title: 'race',
      groups: [
        { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
        { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
        { group: 'Asian', ratio: 0.95, ciLow: 0.85, ciHigh: 1.05 },
        { group: 'Tiny', ratio: 1.6, suppressed: true },
        { group: 'Nobody selected', ratio: null },
      ],
    },
    'selection_rate',
    [0.8, 1.25],
  );

  it('plots the shown groups in table order, each in its status series, and names the rest', () => {
    expect(chart.y).toEqual({
      type: 'category',
      title: null,
      values: ['White', 'Black', 'Asian'],
      labelAngle: 0,
    });
    expect(chart.series.map((s) => [s.label, s.shape, s.color, s.points.map((p) => p.y)])).toEqual([
      ['Within band', 'circle', STATUS_COLORS.within, ['Asian']],
      ['Outside band', 'triangle-down', STATUS_COLORS.outside, ['Black']],
      ['Reference', 'square', STATUS_COLORS.reference, ['White']],
    ]);
    expect(chart.series[1]?.points[0]).toEqual({ x: 0.73, y: 'Black', lo: 0.65, hi: 0.81 });
    expect(chart.subtitle).toEqual([
      'Shaded: fairness band 0.8–1.25; line at 1 = parity with the reference',
      'Not shown (small-cell suppression): Tiny',
      'Not shown (undefined ratio): Nobody selected',
    ]);
    expect(JSON.stringify(chart.series)).not.toContain('Tiny');
    expect(chart.description).not.toContain('Tiny');
    expect(chart.description).toContain('Black 0.73 (0.65–0.81), outside band');
    expect(chart.legend.map((l) => l.label)).toEqual(['Within band', 'Outside band', 'Reference']);
    expect(chart.height).toBe(60); // 20 points per row
  });

  it('shades the band and draws parity at 1 on a ratio axis in tenths', () => {
    expect(chart.bands).toEqual([{ axis: 'x', from: 0.8, to: 1.25, color: '#e8f5e9' }]);
    expect(chart.rules).toEqual([{ axis: 'x', value: 1, color: '#424242', dashed: true }]);
    // lowest: min(0.8 − 0.1, 0.65) = 0.65 → 0.6; highest: max(1.25 + 0.1, 1.07) = 1.35 → 1.4
    expect(chart.x).toMatchObject({ type: 'linear', domain: [0.6, 1.4], nice: false });
  });

  it('keeps the axis within 0–5 and always shows the band with room', () => {
    expect(disparityDomain([], [0.8, 1.25])).toEqual([0.7, 1.4]);
    expect(disparityDomain([{ ratio: 7, lo: 6, hi: 9 }], [0.8, 1.25])).toEqual([0.7, 5]);
    expect(disparityDomain([{ ratio: 0.05, lo: 0, hi: 0.1 }], [0.8, 1.25])).toEqual([0, 1.4]);
  });

  it('takes the status from the caller (unrounded ratio) over the printed ratio, inclusive band', () => {
    expect(bandStatus(0.8, [0.8, 1.25])).toBe('within');
    expect(bandStatus(0.7999, [0.8, 1.25])).toBe('outside');
    expect(bandStatus(1.25, [0.8, 1.25])).toBe('within');
    const c = disparityChart({ title: 't', groups: [{ group: 'A', ratio: 0.8, band: 'outside' }] });
    expect(c.series.find((s) => s.label === 'Outside band')?.points.map((p) => p.y)).toEqual(['A']);
  });
});

describe('timeline chart model', () => {
  const pts = (days: string[], labels?: string[]) =>
    days.flatMap((d, i) => [
      { at: `${d}T10:00:00Z`, auditId: `a${i}`, group: 'sex', value: 0.9 - i / 100, label: labels?.[i] },
      {
        at: `${d}T10:00:00Z`,
        auditId: `a${i}`,
        group: 'race',
        value: i === 1 ? null : 0.85 - i / 100,
        label: labels?.[i],
      },
    ]);

  it('names audits by label, else by date when each has its own day, else by position', () => {
    expect([...auditLabels(pts(['2026-01-01', '2026-02-01'], ['Q1', 'Q2'])).values()]).toEqual(['Q1', 'Q2']);
    expect([...auditLabels(pts(['2026-01-01', '2026-02-01'])).values()]).toEqual([
      '2026-01-01',
      '2026-02-01',
    ]);
    expect([...auditLabels(pts(['2026-01-01', '2026-01-01'])).values()]).toEqual(['Audit 1', 'Audit 2']);
  });

  it('draws one line per group in alphabetical order with tableau10 colours, null values left out', () => {
    const c = timelineChart(pts(['2026-01-01', '2026-02-01', '2026-03-01']), 'impact_ratio', {
      band: [0.8, 1.25],
    });
    expect(c.x).toEqual({
      type: 'category',
      title: 'Audit',
      values: ['2026-01-01', '2026-02-01', '2026-03-01'],
      labelAngle: -30,
    });
    expect(c.series.map((s) => [s.label, s.color, s.line, s.points.map((p) => p.x)])).toEqual([
      ['race', '#4c78a8', true, ['2026-01-01', '2026-03-01']],
      ['sex', '#f58518', true, ['2026-01-01', '2026-02-01', '2026-03-01']],
    ]);
    // values 0.83–0.9 and the band 0.8–1.25: the domain spans both, made nice by the renderer
    expect(c.y).toMatchObject({ type: 'linear', title: 'Impact ratio', domain: [0.8, 1.25], nice: true });
    expect(c.bands).toEqual([{ axis: 'y', from: 0.8, to: 1.25, color: '#e8f5e9' }]);
    expect(c.subtitle).toEqual(['Shaded: fairness band 0.8–1.25']);
  });

  it('spans the values drawn; one value gets ±0.5', () => {
    expect(timelineDomain([0.3, 0.41, 0.29])).toEqual([0.29, 0.41]);
    const [lo, hi] = timelineDomain([0.4, 0.4]);
    expect(lo).toBeCloseTo(-0.1, 12);
    expect(hi).toBeCloseTo(0.9, 12);
    expect(timelineDomain([])).toEqual([0, 1]);
  });

  it('names the groups left out', () => {
    const c = timelineChart([], 'selection_rate', { omittedGroups: ['Asian'] });
    expect(c.series).toEqual([]);
    expect(c.subtitle).toEqual(['Not shown (small-cell suppression): Asian']);
    expect(c.description).toContain('No group can be shown');
  });
});

describe('charts of the report view model', () => {
  const vm = buildReportViewModel(sampleReportInput({ timelinePoints: 10 }));
  const charts = [
    ...vm.slices.map((s) => s.chart).filter((c): c is ChartModel => c !== null),
    ...vm.drift.trends.map((t) => t.chart),
  ];

  it('plots no group whose figures are suppressed, and names it instead', () => {
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const c of charts) expect(groupsPlotted(c)).not.toContain(TINY_GROUP);
    const race = vm.slices.find((s) => s.title === 'race');
    // the table shows White and Black; Asian (the partner) and the tiny group are suppressed
    expect(race?.rows.map((r) => [r.label, r.count])).toEqual([
      ['White', '2,400'],
      ['Black', '900'],
      ['Asian', 'suppressed'],
      [TINY_GROUP, '≤10'],
    ]);
    expect(groupsPlotted(race!.chart!)).toEqual(['Black', 'White']);
    expect(race?.chart?.y).toMatchObject({ values: ['White', 'Black'] });
    expect(race?.chart?.subtitle.join(' ')).toContain(`Asian, ${TINY_GROUP}`);
  });

  it("plots each group at the table's ratio and interval, marked with the table's flag", () => {
    for (const s of vm.slices) {
      if (!s.chart) continue;
      for (const series of s.chart.series)
        for (const p of series.points) {
          const row = s.rows.find((r) => r.label === p.y);
          // the point is the table's ratio cell: the same value and the same interval
          const ratio = row?.cells.at(-1);
          expect(Number(ratio?.value)).toBe(p.x);
          expect(ratio?.interval).toBe(`(${p.lo?.toFixed(2)}–${p.hi?.toFixed(2)})`);
          expect(row?.flags.includes('outside_band')).toBe(series.label === 'Outside band');
          expect(row?.flags.includes('reference')).toBe(series.label === 'Reference');
        }
    }
  });

  it('prints no more than two decimals of any plotted value', () => {
    expect(JSON.stringify(charts.map((c) => c.series)).match(/\d\.\d{3,}/g) ?? []).toEqual([]);
  });
});

describe('wrapList', () => {
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
});
