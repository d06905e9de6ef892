/**
 * End-to-end audit upload: the real app (createApp, real AppModule) on PostgreSQL in a child process, fed CSV
 * files of 100k, 1M and 10M rows over HTTP (multipart/form-data, the file streamed from disk with
 * http.request). Prints, per file: size, end-to-end time, rows/s, MB/s, the server's own phase timings
 * (receive = stream-parse + hash, compute = fairness engine, persist = encode + one transaction), and the
 * server's RSS growth during the request (peak − before) as a multiple of the file size: the peak is both
 * sampled every 50 ms from /proc/<pid>/status VmRSS and read as VmHWM after resetting it (clear_refs).
 *
 * Database: a fresh database `fw_bench_<pid>` on BENCH_DATABASE_SERVER (default
 * postgres://postgres@127.0.0.1:5432/test), created before and dropped after. Files are written to
 * os.tmpdir() and deleted afterwards (BENCH_KEEP_FILES=1 keeps them for the next run). BENCH_ROWS=100000,1000000
 * picks the sizes. BENCH_CPU_PROFILE=1 writes a V8 CPU profile of the server to os.tmpdir().
 *
 * Columns: patient_id, y_true, y_pred, score, race (5 levels), sex (3), age_band (4), visit_note, zip: the
 * three unmapped columns (patient_id, visit_note, zip) are parsed over and discarded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { admin, withDatabase } from '../test/support/test-database';
import { request } from './support/app-server';
import { multipartCsvBody, writeAuditCsv } from './support/audit-csv';

const SERVER_FLAG = 'FW_E2E_AUDIT_BENCH_SERVER';
export const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
export const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const MB = 1024 * 1024;

// ---------------------------------------------------------------- server side (child process)

async function serve(): Promise<void> {
  const config = loadConfig(process.env, 'bench');
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ benchPort: address.port })}\n`);
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- client side

export interface ServerHandle {
  child: ChildProcess;
  port: number;
  /** JSON log lines of the server ("Audit submitted" carries the phase timings). */
  logs: Record<string, unknown>[];
}

export function startServer(databaseUrl: string): Promise<ServerHandle> {
  const execArgv = ['-r', '@swc-node/register'];
  if (process.env.BENCH_CPU_PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${tmpdir()}`);
  const child = spawn(process.execPath, [...execArgv, __filename], {
    env: {
      ...process.env,
      [SERVER_FLAG]: '1',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      MAX_UPLOAD_SIZE: '4gb',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (typeof parsed.benchPort === 'number') resolve({ child, port: parsed.benchPort, logs });
          else logs.push(parsed);
        } catch {
          // not JSON: ignore
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
const ms = (v: unknown): string => (typeof v === 'number' ? String(v) : '?');

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const sizes = (process.env.BENCH_ROWS ?? '100000,1000000,10000000').split(',').map(Number);
  const database = `fw_bench_${process.pid}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  let server: ServerHandle | undefined;
  const files: string[] = [];
  try {
    server = await startServer(withDatabase(serverUrl, database));
    const pid = server.child.pid as number;
    console.log(
      `server pid ${pid} on PostgreSQL database ${database}; RSS at start ${fmt(procStatus(pid, 'VmRSS') / MB)} MB`,
    );
    const model = await request(
      server.port,
      'POST',
      '/v1/models',
      { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      () => Buffer.from(JSON.stringify({ name: 'bench', version: '1' })),
    );
    const modelId = (JSON.parse(model.body) as { id: string }).id;
    console.log(
      'rows        file MB   e2e s  cpu s    rows/s      MB/s   receive ms compute ms persist ms  RSS before MB  peak(sampled) MB  peak(HWM) MB  growth/file',
    );
    for (const rows of sizes) {
      const file = join(tmpdir(), `fairwatch-bench-${rows}.csv`);
      if (!existsSync(file) || !process.env.BENCH_KEEP_FILES) {
        const t0 = Date.now();
        writeAuditCsv(file, rows, 42);
        console.log(`  (generated ${file} in ${fmt((Date.now() - t0) / 1000)} s)`);
      }
      files.push(file);
      const size = statSync(file).size;
      const body = multipartCsvBody(file, `Bearer ${ADMIN_KEY}`);
      // Let the server settle, then measure from its current RSS.
      await new Promise((r) => setTimeout(r, 500));
      const before = procStatus(pid, 'VmRSS');
      const hwmReset = resetHighWaterMark(pid);
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, procStatus(pid, 'VmRSS'));
      }, 50);
      const logCount = server.logs.length;
      const cpuBefore = cpuSeconds(pid);
      const start = process.hrtime.bigint();
      const res = await request(
        server.port,
        'POST',
        `/v1/models/${modelId}/audits`,
        body.headers,
        body.stream,
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = cpuSeconds(pid) - cpuBefore;
      clearInterval(sampler);
      peak = Math.max(peak, procStatus(pid, 'VmRSS'));
      const hwm = hwmReset ? procStatus(pid, 'VmHWM') : NaN;
      if (res.status !== 201) {
        console.log(`${rows}: HTTP ${res.status} ${res.body.slice(0, 500)}`);
        continue;
      }
      const audit = JSON.parse(res.body) as { rowCount: number };
      await new Promise((r) => setTimeout(r, 300)); // the server's log line may trail its answer
      const phases = server.logs.slice(logCount).find((l) => l.msg === 'Audit submitted') ?? {};
      const growth = Math.max(peak, Number.isNaN(hwm) ? 0 : hwm) - before;
      console.log(
        [
          String(audit.rowCount).padEnd(10),
          fmt(size / MB).padStart(8),
          fmt(seconds, 2).padStart(7),
          fmt(cpu, 2).padStart(8),
          Math.round(audit.rowCount / seconds)
            .toLocaleString('en-US')
            .padStart(11),
          fmt(size / MB / seconds).padStart(8),
          ms(phases.receiveMs).padStart(12),
          ms(phases.computeMs).padStart(10),
          ms(phases.persistMs).padStart(10),
          fmt(before / MB).padStart(14),
          fmt(peak / MB).padStart(17),
          (Number.isNaN(hwm) ? 'n/a' : fmt(hwm / MB)).padStart(13),
          `${fmt(growth / size, 2)}×`.padStart(12),
        ].join(' '),
      );
    }
  } finally {
    if (server) {
      const exited = new Promise((r) => server?.child.once('exit', r));
      server.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    if (!process.env.BENCH_KEEP_FILES) for (const f of files) if (existsSync(f)) unlinkSync(f);
  }
}

if (require.main === module && process.env[SERVER_FLAG]) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
