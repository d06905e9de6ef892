import { buildReportViewModel, disparityChartSpec, timelineChartSpec } from '../../../core/reports';
import type { ReportViewModel } from '../../../core/reports';
import { sampleReportInput } from '../../../../test/support/report-fixture';
import { readChart } from './direct-charts';
import { renderReportPdf } from './render-report-pdf';

describe('direct charts (pdfkit drawing from the vega-lite spec)', () => {
  const vm = buildReportViewModel(sampleReportInput({ timelinePoints: 10 }));

  it('recognises every chart of the report', () => {
    const specs = [...vm.slices.map((s) => s.chart), ...vm.drift.trends.map((t) => t.spec)].filter(
      (s) => s !== null,
    );
    expect(specs.length).toBeGreaterThanOrEqual(7);
    for (const spec of specs) expect(readChart(spec)).not.toBeNull();
  });

  it('reads the disparity chart from the spec: band, rule at 1, groups in order, status colours and shapes, legend', () => {
    const spec = disparityChartSpec({
      title: 'race',
      groups: [
        { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
        { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
        { group: 'Asian', ratio: 0.95, ciLow: 0.85, ciHigh: 1.05 },
        { group: 'Tiny', ratio: 1.6, suppressed: true },
      ],
    });
    const m = readChart(spec);
    if (m?.kind !== 'disparity') throw new Error('not a disparity chart');
    expect(m.band).toMatchObject({ lo: 0.8, hi: 1.25 });
    expect(m.rule.value).toBe(1);
    expect(m.groups).toEqual(['White', 'Black', 'Asian']);
    expect(m.rows.map((r) => [r.group, r.shape, r.color])).toEqual([
      ['White', 'square', '#546e7a'],
      ['Black', 'triangle-down', '#c62828'],
      ['Asian', 'circle', '#2e7d32'],
    ]);
    expect(m.legend.map((l) => l.label)).toEqual(['Within band', 'Outside band', 'Reference']);
    expect(m.subtitle.join(' ')).toContain('Tiny');
  });

  it('reads the timeline chart: dates or audit order on x, groups sorted with tableau10 colours, band in the y domain', () => {
    const pts = (days: string[]) =>
      days.flatMap((d, i) => [
        { at: `${d}T10:00:00Z`, auditId: `a${i}`, group: 'sex', value: 0.9 - i / 100 },
        { at: `${d}T10:00:00Z`, auditId: `a${i}`, group: 'race', value: 0.85 - i / 100 },
      ]);
    const dated = readChart(
      timelineChartSpec(pts(['2026-01-01', '2026-02-01', '2026-03-01']), 'impact_ratio', {
        band: [0.8, 1.25],
      }),
    );
    if (dated?.kind !== 'timeline') throw new Error('not a timeline');
    expect(dated.x.type).toBe('temporal');
    expect(dated.series.map((s) => [s.group, s.color, s.points.length])).toEqual([
      ['race', '#4c78a8', 3],
      ['sex', '#f58518', 3],
    ]);
    expect(dated.y.domain[0]).toBeLessThanOrEqual(0.83);
    expect(dated.y.domain[1]).toBeGreaterThanOrEqual(1.25);
    const ordinal = readChart(timelineChartSpec(pts(['2026-01-01', '2026-01-01']), 'selection_rate'));
    if (ordinal?.kind !== 'timeline' || ordinal.x.type !== 'ordinal')
      throw new Error('not an ordinal timeline');
    expect(ordinal.x.values).toEqual(['Audit 1', 'Audit 2']);
  });

  it('leaves any other spec to vega, and the report still renders it', async () => {
    const bar = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Custom bar chart',
      width: 200,
      height: 80,
      data: { values: [{ k: 'a', v: 3 }] },
      mark: 'bar',
      encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } },
    };
    expect(readChart(bar)).toBeNull();
    expect(readChart({ ...(vm.slices[0]?.chart ?? {}), transform: [{ filter: 'true' }] })).toBeNull();
    const custom: ReportViewModel = {
      ...vm,
      slices: vm.slices.map((s, i) => (i === 0 ? { ...s, chart: bar } : s)),
    };
    const pdf = await renderReportPdf(custom);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  });
});

describe('direct charts: edge cases', () => {
  it('leaves an empty timeline (every group left out) to vega', () => {
    expect(readChart(timelineChartSpec([], 'selection_rate', { omittedGroups: ['Asian'] }))).toBeNull();
  });
});
