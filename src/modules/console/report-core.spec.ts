/**
 * The console (public/assets/*.mjs, plain browser JS) draws its charts and suppresses small cells with a copy
 * of src/core/reports with the types stripped. These specs hold the copy to core: for the report fixture and
 * for hand-made slices, the console's tables, suppression and vega-lite specs equal the PDF view model's.
 */
import { join } from 'node:path';
import {
  buildReportViewModel,
  disparityChartSpec,
  suppressSlice,
  timelineChartSpec,
  scrubSmallCounts,
  formatValueWithInterval,
  metricLabel,
} from '../../core/reports';
import { buildSlice, sampleReportInput, TINY_GROUP } from '../../core/reports/report-fixture';

interface ConsoleRow {
  label: string;
  count: string;
  cells: { text: string }[];
  ratio: { text: string };
  flagLabels: string[];
}
interface ConsoleViews {
  tableColumns(metrics: unknown): { key: string; header: string }[];
  sliceView(
    slice: unknown,
    columns: unknown,
    band: [number, number],
  ): { title: string; rows: ConsoleRow[]; chart: unknown };
  hiddenGroupIds(metrics: unknown): Set<string>;
  timelineView(
    timeline: unknown,
    metric: string,
    attribute: string,
    hidden: Set<string>,
  ): { title: string; spec: unknown };
}
type Fn = (...args: unknown[]) => unknown;
type ConsoleCore = Record<string, Fn>;

const ASSETS = join(__dirname, '..', '..', '..', 'public', 'assets');

async function load(): Promise<{ views: ConsoleViews; core: ConsoleCore }> {
  // Native import() (kept by the jest transform): the console's files are browser ES modules.
  const viewsPath = join(ASSETS, 'views.mjs');
  const corePath = join(ASSETS, 'report-core.mjs');
  const views = (await import(viewsPath)) as ConsoleViews;
  const core = (await import(corePath)) as ConsoleCore;
  return { views, core };
}

describe('console report code = core report code', () => {
  it('builds the same group tables and disparity charts as the PDF view model', async () => {
    const { views } = await load();
    const input = sampleReportInput();
    const vm = buildReportViewModel(input);
    const band = input.result.conventions.fairnessBand;
    const columns = views.tableColumns(input.result);
    expect(columns.map((c) => c.header)).toEqual(vm.slices[0]!.columns.slice(0, -1));
    input.result.slices.forEach((slice, i) => {
      const view = views.sliceView(slice, columns, band);
      const pdf = vm.slices[i]!;
      expect(view.title).toBe(pdf.title);
      expect(view.chart).toEqual(pdf.chart);
      expect(
        view.rows.map((r) => ({
          label: r.label,
          count: r.count,
          cells: [...r.cells, r.ratio].map((c) => c.text),
          flags: r.flagLabels,
        })),
      ).toEqual(
        pdf.rows.map((r) => ({
          label: r.label,
          count: r.count,
          cells: r.cells.map((c) => c.text),
          flags: r.flagLabels,
        })),
      );
    });
    // The fixture exercises suppression (a group of 1 to 10 people).
    expect(JSON.stringify(vm.slices)).toContain(TINY_GROUP);
    expect(vm.suppressionApplied).toBe(true);
  });

  it('draws the same per-attribute trend charts as the PDF', async () => {
    const { views } = await load();
    const input = sampleReportInput({ timelinePoints: 6 });
    const vm = buildReportViewModel(input);
    const hidden = views.hiddenGroupIds(input.result);
    for (const series of input.timeline) {
      const view = views.timelineView(series, series.metric, series.attribute, hidden);
      const pdf = vm.drift.trends.find((tr) => tr.title === view.title);
      expect(pdf).toBeDefined();
      expect(view.spec).toEqual(pdf!.spec);
    }
  });

  it('suppresses, formats and draws exactly as core on hand-made slices', async () => {
    const { core } = await load();
    const c = (tp: number, fp: number, tn: number, fn: number) => ({ tp, fp, tn, fn });
    const slices = [
      buildSlice(
        ['race'],
        [
          { key: { race: 'White' }, c: c(300, 120, 500, 80) },
          { key: { race: 'Black' }, c: c(150, 90, 200, 60) },
          { key: { race: 'Tiny' }, c: c(3, 1, 2, 1) },
          { key: { race: 'Small' }, c: c(12, 9, 14, 11) },
        ],
      ),
      buildSlice(
        ['race', 'sex'],
        [
          { key: { race: 'White', sex: 'F' }, c: c(150, 60, 250, 40) },
          { key: { race: 'White', sex: 'M' }, c: c(150, 60, 250, 40) },
          { key: { race: 'Black', sex: 'F' }, c: c(7, 2, 100, 30) },
          { key: { race: 'Black', sex: 'M' }, c: c(143, 88, 100, 30) },
        ],
      ),
    ];
    for (const slice of slices) {
      expect(core.suppressSlice!(slice)).toEqual(suppressSlice(slice));
    }
    const groups = [
      { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
      { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
      { group: 'Other', ratio: null },
      { group: 'Tiny', ratio: 1.6, suppressed: true },
    ];
    expect(core.disparityChartSpec!({ title: 'race', groups }, 'selection_rate', [0.8, 1.25])).toEqual(
      disparityChartSpec({ title: 'race', groups }, 'selection_rate', [0.8, 1.25]),
    );
    const points = [
      { at: '2026-01-01T10:00:00Z', auditId: 'a', group: 'A', value: 0.4 },
      { at: '2026-02-01T10:00:00Z', auditId: 'b', group: 'A', value: 0.5 },
      { at: '2026-02-01T10:00:00Z', auditId: 'b', group: 'B', value: null },
    ];
    const opts = { band: [0.8, 1.25] as [number, number], omittedGroups: ['C'] };
    expect(core.timelineChartSpec!(points, 'impact_ratio', opts)).toEqual(
      timelineChartSpec(points, 'impact_ratio', opts),
    );
    const text = 'For Tiny (n = 7), 3 of 7 patients were flagged; 29 CFR 1607.4(D) applies to 12 rows.';
    expect(core.scrubSmallCounts!(text, [7, 3])).toBe(scrubSmallCounts(text, [7, 3]));
    expect(core.formatValueWithInterval!(0.4567, 0.41, 0.5)).toEqual(
      formatValueWithInterval(0.4567, 0.41, 0.5),
    );
    expect(core.metricLabel!('equal_opportunity_difference')).toBe(
      metricLabel('equal_opportunity_difference'),
    );
  });
});
