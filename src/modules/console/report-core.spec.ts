/**
 * The console (public/assets/*.mjs, plain browser JS) builds its tables and charts from core's browser modules
 * (src/core/reports/browser.ts compiled to ES modules, served at /assets/core/). These specs load the console's
 * views over a fresh compile of those modules and check that its tables and vega-lite specs equal the PDF
 * view model's for the same data.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReportViewModel } from '../../core/reports';
import { sampleReportInput, TINY_GROUP } from '../../core/reports/report-fixture';

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

const ROOT = join(__dirname, '..', '..', '..');
const ASSETS = join(ROOT, 'public', 'assets');

/** Compiles core's browser modules as `npm run build:console` does, with explicit .js imports for Node. */
function compileBrowserCore(): string {
  const out = mkdtempSync(join(tmpdir(), 'fairwatch-console-core-'));
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.console.json', '--outDir', out],
    { cwd: ROOT },
  );
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)],
    );
  for (const file of walk(out)) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.js'"));
  }
  return out;
}

async function load(): Promise<{ views: ConsoleViews }> {
  const core = compileBrowserCore();
  const source = readFileSync(join(ASSETS, 'views.mjs'), 'utf8').replace(
    "'/assets/core/reports/browser.js'",
    `'${pathToFileURL(join(core, 'reports', 'browser.js')).href}'`,
  );
  const viewsPath = join(core, 'views.mjs');
  writeFileSync(viewsPath, source);
  // Native import() (kept by the jest transform): the console's files are browser ES modules.
  return { views: (await import(viewsPath)) as ConsoleViews };
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
      expect(pdf?.title).toBe(view.title);
      expect(view.spec).toEqual(pdf!.spec);
    }
  });
});
