/**
 * Multiclass audits end to end over HTTP, against a binary audit of the same size: the real app in a child
 * process (bench/support/app-server.ts) on a fresh PostgreSQL database, 1M-row CSVs streamed from disk as
 * multipart/form-data. Prints per upload: wall time, the server's CPU time (user + system, /proc/<pid>/stat:
 * the machine may be shared, so CPU time is the steadier figure) and the server's phase timings (receive =
 * parse + hash, compute = the metrics in a worker thread, persist = encode + one transaction). Each upload
 * runs REPEATS times; the median is printed with the range.
 *
 * Files: the binary audit CSV of e2e-audit.bench.ts (bench/support/audit-csv.ts) and a multiclass CSV with
 * the same attributes and 5 classes (triage levels "ESI 1".."ESI 5"), both seeded. BENCH_ROWS (default
 * 1000000), BENCH_REPEATS (default 3). Database: fw_bench_mc_<pid> on BENCH_DATABASE_SERVER (default
 * postgres://postgres@127.0.0.1:5432/test), dropped at the end.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/core/stats';
import { admin, withDatabase } from '../test/support/test-database';
import { request, startAppServer, type AppServer } from './support/app-server';
import { CSV_CONFIG, CSV_LEVELS, multipartCsvBody, writeAuditCsv } from './support/audit-csv';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const CLASSES = ['ESI 1', 'ESI 2', 'ESI 3', 'ESI 4', 'ESI 5'];
/** Share of rows triaged at the true level; the rest one level off. */
const AGREEMENT = 0.7;
const MULTICLASS_CONFIG = {
  task: 'multiclass',
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  sensitiveAttributes: CSV_CONFIG.sensitiveAttributes,
  intersections: CSV_CONFIG.intersections,
};

function writeMulticlassCsv(path: string, rows: number, seed: number): void {
  const random = mulberry32(seed);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'patient_id,y_true,y_pred,race,sex,age_band,visit_note\n');
    const block = 50_000;
    for (let start = 0; start < rows; start += block) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + block); i++) {
        const race = Math.floor(random() * 5);
        const level = Math.min(4, Math.floor(random() * 4.6 + 0.1 * race));
        const off = random() < AGREEMENT ? 0 : random() < 0.5 ? -1 : 1;
        const predicted = Math.min(4, Math.max(0, level + off));
        lines.push(
          `MRN${10_000_000 + i},${CLASSES[level]},${CLASSES[predicted]},${CSV_LEVELS.race[race]},` +
            `${CSV_LEVELS.sex[Math.floor(random() * 3)]},${CSV_LEVELS.age_band[Math.floor(random() * 4)]},` +
            `triage note ${i % 89}\n`,
        );
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Run {
  wall: number;
  cpu: number;
  receive: number;
  compute: number;
  persist: number;
}

async function upload(server: AppServer, modelId: string, file: string, config: object): Promise<Run> {
  const pid = server.child.pid as number;
  const body = multipartCsvBody(file, `Bearer ${ADMIN_KEY}`, config);
  const logCount = server.logs.length;
  const cpuBefore = cpuSeconds(pid);
  const start = process.hrtime.bigint();
  const res = await request(server.port, 'POST', `/v1/models/${modelId}/audits`, body.headers, body.stream);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuSeconds(pid) - cpuBefore;
  if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  await new Promise((r) => setTimeout(r, 300)); // the server's log line may trail its answer
  const phases = server.logs.slice(logCount).find((l) => l.msg === 'Audit submitted') ?? {};
  const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  return {
    wall,
    cpu,
    receive: num(phases.receiveMs),
    compute: num(phases.computeMs),
    persist: num(phases.persistMs),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function line(name: string, runs: readonly Run[]): string {
  const col = (pick: (r: Run) => number, digits: number): string => {
    const v = runs.map(pick);
    return `${median(v).toFixed(digits)} [${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)}]`;
  };
  return [
    name.padEnd(11),
    col((r) => r.wall, 2).padStart(20),
    col((r) => r.cpu, 2).padStart(20),
    col((r) => r.receive, 0).padStart(18),
    col((r) => r.compute, 0).padStart(18),
    col((r) => r.persist, 0).padStart(18),
  ].join(' ');
}

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const database = `fw_bench_mc_${process.pid}`;
  const binaryFile = join(tmpdir(), `fairwatch-bench-mc-binary-${rows}.csv`);
  const multiclassFile = join(tmpdir(), `fairwatch-bench-mc-multiclass-${rows}.csv`);
  writeAuditCsv(binaryFile, rows, 42);
  writeMulticlassCsv(multiclassFile, rows, 42);
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  let server: AppServer | undefined;
  try {
    server = await startAppServer(withDatabase(serverUrl, database), ADMIN_KEY);
    const model = await request(
      server.port,
      'POST',
      '/v1/models',
      { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      () => Buffer.from(JSON.stringify({ name: 'bench', version: '1' })),
    );
    const modelId = (JSON.parse(model.body) as { id: string }).id;
    const mb = (f: string): string => (statSync(f).size / 1024 / 1024).toFixed(1);
    console.log(
      `${rows.toLocaleString('en-US')} rows; binary CSV ${mb(binaryFile)} MB, multiclass CSV (5 classes) ${mb(multiclassFile)} MB; ` +
        `median [min–max] of ${repeats} uploads each, interleaved`,
    );
    const binary: Run[] = [];
    const multiclass: Run[] = [];
    await upload(server, modelId, binaryFile, CSV_CONFIG); // warm-up (JIT, worker start), not counted
    await upload(server, modelId, multiclassFile, MULTICLASS_CONFIG);
    for (let i = 0; i < repeats; i++) {
      binary.push(await upload(server, modelId, binaryFile, CSV_CONFIG));
      multiclass.push(await upload(server, modelId, multiclassFile, MULTICLASS_CONFIG));
    }
    console.log(
      'task        wall s               server CPU s         receive ms         compute ms         persist ms',
    );
    console.log(line('binary', binary));
    console.log(line('multiclass', multiclass));
  } finally {
    await server?.stop();
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    for (const f of [binaryFile, multiclassFile]) unlinkSync(f);
  }
}
