/**
 * Report rendering: build the view model and render the PDF for a 3-attribute + 1 intersection result
 * with 10 past audits. The first render includes font loading and cold text shaping (the report's charts are
 * chart models drawn with pdfkit, modules/reports/pdf/charts); then 5 warm
 * renders: mean, and the minimum of wall and of CPU time (the machine is shared, so CPU time is the steadier figure).
 *
 * The bench runs itself in a child process with SWC_NODE_IGNORE_DYNAMIC set, so that import() stays native as
 * in the built app (@swc-node/register otherwise rewrites it to require()).
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { buildReportViewModel } from '../src/core/reports';
import { sampleReportInput } from '../test/support/report-fixture';
import { renderReportPdf } from '../src/modules/reports/pdf';

async function measure(): Promise<void> {
  const input = sampleReportInput({ timelinePoints: 10 });
  interface Run {
    vm: number;
    pdf: number;
    cpu: number;
    bytes: number;
    pages: number;
  }
  const once = async (): Promise<Run> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const vm = buildReportViewModel(input);
    const t1 = performance.now();
    const buf = await renderReportPdf(vm);
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    const pages = (buf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    return { vm: t1 - t0, pdf: t2 - t1, cpu: (c.user + c.system) / 1000, bytes: buf.length, pages };
  };
  const first = await once();
  console.log(
    `first render (cold fonts): view model ${first.vm.toFixed(1)} ms, PDF ${first.pdf.toFixed(0)} ms, total ${(first.vm + first.pdf).toFixed(0)} ms (CPU ${first.cpu.toFixed(0)} ms); ${first.pages} pages, ${(first.bytes / 1024).toFixed(1)} KB`,
  );
  const runs: Run[] = [];
  for (let i = 0; i < 5; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    runs.push(await once());
  }
  const mean = (f: (r: Run) => number): number => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  console.log(
    `next 5 renders, mean: view model ${mean((r) => r.vm).toFixed(1)} ms, PDF ${mean((r) => r.pdf).toFixed(0)} ms, total ${mean((r) => r.vm + r.pdf).toFixed(0)} ms, CPU ${mean((r) => r.cpu).toFixed(0)} ms (wall min ${Math.min(...runs.map((r) => r.vm + r.pdf)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.vm + r.pdf)).toFixed(0)}; CPU min ${Math.min(...runs.map((r) => r.cpu)).toFixed(0)})`,
  );
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores; RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
  );
}

export async function run(): Promise<void> {
  if (process.env.SWC_NODE_IGNORE_DYNAMIC) {
    await measure();
    return;
  }
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', '@swc-node/register', __filename], {
    env: { ...process.env, SWC_NODE_IGNORE_DYNAMIC: '1', REPORT_BENCH_CHILD: '1' },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`report bench child exited with ${String(r.status)}`);
}

if (process.env.REPORT_BENCH_CHILD === '1' && require.main === module) {
  measure().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
