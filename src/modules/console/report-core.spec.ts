/**
 * The console (public/assets/app.js and its modules in public/assets/console/, plain browser JS) builds its tables, trend charts, drift checks and control
 * rationales with core's report code (src/core/reports/browser.ts compiled to ES modules, served at
 * /assets/core/). These specs load a fresh compile of those modules, check that the console imports only what
 * they export, and that they build the same tables and chart models as the PDF view model for the same data.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Browser from '../../core/reports/browser';
import { buildReportViewModel } from '../../core/reports';
import { sampleReportInput, TINY_GROUP } from '../../../test/support/report-fixture';

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

/** app.js and the modules under public/assets/console/, with their text. */
function consoleModules(): { file: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)],
    );
  return [join(ASSETS, 'app.js'), ...walk(join(ASSETS, 'console'))]
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

let compiled: Promise<typeof Browser> | undefined;

/** The compiled browser modules (compiled once per run); native import(): they are ES modules. */
function load(): Promise<typeof Browser> {
  compiled ??= import(join(compileBrowserCore(), 'reports', 'browser.js')) as Promise<typeof Browser>;
  return compiled;
}

describe('console report code = core report code', () => {
  it('exports everything the console imports', async () => {
    const core = await load();
    const modules = consoleModules();
    const names = modules.flatMap(({ text }) =>
      [...text.matchAll(/import \{([^}]*)\} from '\/assets\/core\/reports\/browser\.js'/g)].flatMap((m) =>
        (m[1] ?? '')
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    );
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !(n in core))).toEqual([]);
    // The console's modules import only each other and core's report code: every table is built by core.
    for (const { file, text } of modules) {
      for (const [, spec] of text.matchAll(/\bfrom '([^']+)'/g)) {
        if (spec === '/assets/core/reports/browser.js') continue;
        expect([file, spec]).toEqual([file, expect.stringMatching(/^\.{1,2}\/[\w/.-]+\.js$/)]);
        expect(existsSync(join(dirname(file), spec!))).toBe(true);
      }
    }
  });

  it('builds the same group tables and disparity charts as the PDF view model', async () => {
    const core = await load();
    const input = sampleReportInput();
    const vm = buildReportViewModel(input);
    const band = input.result.conventions.fairnessBand;
    const columns = core.tableColumns(input.result);
    expect(columns.map((c) => c.header)).toEqual(vm.slices[0]!.columns.slice(0, -1));
    const idx = new core.SuppressionIndex(input.result.slices);
    idx.slices.forEach((s, i) => {
      // called as public/assets/console/views/audit.js calls it, with the result's conventions
      const c = input.result.conventions;
      const view = core.buildSliceView(s, columns, band, c.minGroupSize, c.favorableOutcome, c.evidence, {
        confidenceLevel: c.confidenceLevel,
        ratio: c.intervals.ratio,
      });
      const pdf = vm.slices[i]!;
      expect(view.title).toBe(pdf.title);
      expect(view.chart).toEqual(pdf.chart);
      expect(
        view.rows.map((r) => ({
          label: r.label,
          count: r.count,
          cells: r.cells.map((c) => c.text),
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
      expect(view).toEqual(pdf);
    });
    // The fixture exercises suppression (a group of 1 to 10 people).
    expect(JSON.stringify(vm.slices)).toContain(TINY_GROUP);
    expect(vm.suppressionApplied).toBe(true);
    expect(idx.applied).toBe(true);
  });

  it('draws the same per-attribute trend charts as the PDF', async () => {
    const core = await load();
    const input = sampleReportInput({ timelinePoints: 6 });
    const vm = buildReportViewModel(input);
    const idx = new core.SuppressionIndex(input.result.slices);
    for (const series of input.timeline) {
      const view = core.trendView(series, idx);
      const pdf = vm.drift.trends.find((tr) => tr.title === view.title);
      expect(pdf?.title).toBe(view.title);
      expect(view.chart).toEqual(pdf!.chart);
      expect(view.note).toBe(pdf!.note);
    }
  });

  it('prints the same drift checks and control rationales as the PDF', async () => {
    const core = await load();
    const input = sampleReportInput();
    const vm = buildReportViewModel(input);
    const idx = new core.SuppressionIndex(input.result.slices);
    const checks = (input.drift?.checks ?? []).filter((c) => c.status !== 'ok');
    // The report orders its checks by importance (alerts first); the console lists them as the API does.
    const byText = (a: { subject: string; message: string }, b: { subject: string; message: string }) =>
      `${a.subject}|${a.message}`.localeCompare(`${b.subject}|${b.message}`);
    expect(checks.length).toBeLessThanOrEqual(12);
    expect(checks.map((c) => core.driftCheckView(c, idx)).sort(byText)).toEqual(
      [...vm.drift.checks].sort(byText),
    );
    expect(vm.drift.checks.some((c) => c.statistic === 'suppressed')).toBe(true);
    const rationales = new Map(
      vm.compliance.frameworks.flatMap((f) => f.controls.map((c) => [c.controlId, c.rationale] as const)),
    );
    for (const c of input.controls) expect(core.controlRationale(c, idx)).toBe(rationales.get(c.controlId));
  });
});
