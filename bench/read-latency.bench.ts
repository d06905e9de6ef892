/**
 * Read latency while uploads compute (issue 14): the real app on PostgreSQL in a child process (so the load
 * generator does not share its event loop), one small audit (5,000 rows) to read, then three concurrent
 * 1M-row CSV uploads (multipart, streamed from disk over loopback) while one client issues
 * `GET /v1/audits/{id}/metrics` sequentially. Prints the read latency p50/p95/p99/max idle and during the
 * uploads, the upload wall times and the server's event-loop delay (p99/max) during the uploads.
 *
 * Runs once per mode: `in-thread` (COMPUTE_WORKERS=0 INGEST_WORKERS=0: parsing and computing on the event
 * loop, as before the worker threads) and `workers` (the defaults). BENCH_MODES=workers picks one; BENCH_ROWS (default 1000000)
 * the upload size; BENCH_UPLOADS (default 3) how many run at once. Target: p95 < 150 ms during the uploads.
 *
 * Database: a fresh database `fw_bench_reads_<pid>` on BENCH_DATABASE_SERVER (default
 * postgres://postgres@127.0.0.1:5432/test), created before and dropped after. CSVs (seeds 1..n) are written to
 * os.tmpdir() and deleted afterwards (BENCH_KEEP_FILES=1 keeps them for the next run). Bounded: the load phase
 * stops after BENCH_TIMEOUT_S (default 300) seconds. BENCH_CPU_PROFILE=1 profiles the server (--cpu-prof).
 */
import { existsSync, statSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, withDatabase } from '../test/support/test-database';
import { startAppServer, request, type AppServer } from './support/app-server';
import { multipartCsvBody, writeAuditCsv } from './support/audit-csv';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
const AUTH = `Bearer ${ADMIN_KEY}`;
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const IDLE_READS = 200;
const MODES: Record<string, Record<string, string>> = {
  'in-thread': { COMPUTE_WORKERS: '0', INGEST_WORKERS: '0' },
  workers: {},
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function latencies(samples: readonly number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (v: number): string => v.toFixed(1).padStart(7);
  return `n ${String(s.length).padStart(5)}  p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))}  max ${f(s[s.length - 1] ?? NaN)} ms`;
}

async function timedRead(port: number, path: string, agent: http.Agent): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await request(port, 'GET', path, { Authorization: AUTH }, undefined, agent);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measureMode(
  mode: string,
  server: AppServer,
  files: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const { port } = server;
  const json = { Authorization: AUTH, 'Content-Type': 'application/json' };
  const model = await request(port, 'POST', '/v1/models', json, () =>
    Buffer.from(JSON.stringify({ name: `reads-${mode}`, version: '1' })),
  );
  const modelId = (JSON.parse(model.body) as { id: string }).id;
  const uploadPath = `/v1/models/${modelId}/audits`;
  const small = join(tmpdir(), `fairwatch-bench-reads-small.csv`);
  writeAuditCsv(small, 5_000, 99);
  const smallBody = multipartCsvBody(small, AUTH);
  const created = await request(port, 'POST', uploadPath, smallBody.headers, smallBody.stream);
  unlinkSync(small);
  if (created.status !== 201) throw new Error(`small audit: HTTP ${created.status} ${created.body}`);
  const readPath = `/v1/audits/${(JSON.parse(created.body) as { id: string }).id}/metrics`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const responseBytes = Buffer.byteLength(
    (await request(port, 'GET', readPath, { Authorization: AUTH }, undefined, agent)).body,
  );

  const idle: number[] = [];
  for (let i = 0; i < IDLE_READS; i++) idle.push(await timedRead(port, readPath, agent));

  // The load: every upload starts at once; reads go on, one after another, until the last upload answers.
  server.resetDelay();
  const logCount = server.logs.length;
  const loadStart = process.hrtime.bigint();
  const sinceStart = (): number => Number(process.hrtime.bigint() - loadStart) / 1e6;
  const uploads = files.map(async (file) => {
    const body = multipartCsvBody(file, AUTH);
    try {
      const res = await request(port, 'POST', uploadPath, body.headers, body.stream);
      return { status: res.status, body: res.body, ms: sinceStart() };
    } catch (err) {
      return { status: 0, body: String(err), ms: sinceStart() };
    }
  });
  let pending = uploads.length;
  for (const u of uploads) void u.finally(() => pending--);
  const busy: number[] = [];
  while (pending > 0 && sinceStart() < timeoutMs) busy.push(await timedRead(port, readPath, agent));
  const delay = await server.delay();
  const timedOut = pending > 0;
  const done = timedOut ? [] : await Promise.all(uploads);
  agent.destroy();
  await new Promise((r) => setTimeout(r, 300)); // the server's log lines may trail its answers
  const phases = server.logs
    .slice(logCount)
    .filter((l) => l.msg === 'Audit submitted')
    .map(
      (l) =>
        `receive ${String(l.receiveMs)} / compute ${String(l.computeMs)} / persist ${String(l.persistMs)}`,
    );

  console.log(`\n[${mode}] GET ${readPath.replace(/audits\/[^/]+/, 'audits/{id}')} (${responseBytes} bytes)`);
  console.log(`  idle:                        ${latencies(idle)}`);
  console.log(`  during ${files.length} uploads:            ${latencies(busy)}`);
  console.log(
    `  server event-loop delay during the uploads: p50 ${delay.p50} ms, p99 ${delay.p99} ms, max ${delay.max} ms`,
  );
  if (timedOut) {
    console.log(`  uploads did not finish within ${timeoutMs / 1000} s: stopped (figures above are partial)`);
    return;
  }
  for (const [i, u] of done.entries()) {
    const status = u.status === 201 ? '201' : `HTTP ${u.status} ${u.body.slice(0, 300)}`;
    console.log(`  upload ${i + 1}: ${(u.ms / 1000).toFixed(2)} s wall, ${status}`);
  }
  for (const p of phases) console.log(`    server phases (ms): ${p}`);
}

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const count = Number(process.env.BENCH_UPLOADS ?? 3);
  const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
  const modes = (process.env.BENCH_MODES ?? Object.keys(MODES).join(',')).split(',');
  const unknown = modes.filter((m) => !(m in MODES));
  if (unknown.length > 0) throw new Error(`BENCH_MODES: unknown ${unknown.join(', ')}`);

  const files: string[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const file = join(tmpdir(), `fairwatch-bench-reads-${rows}-${seed}.csv`);
    if (!existsSync(file) || !process.env.BENCH_KEEP_FILES) writeAuditCsv(file, rows, seed);
    files.push(file);
  }
  const mb = files.reduce((sum, f) => sum + statSync(f).size, 0) / 1024 ** 2;
  console.log(
    `${count} uploads of ${rows.toLocaleString('en')} rows (${mb.toFixed(0)} MB in all), modes: ${modes.join(', ')}`,
  );

  const database = `fw_bench_reads_${process.pid}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  try {
    for (const mode of modes) {
      const server = await startAppServer(withDatabase(serverUrl, database), ADMIN_KEY, MODES[mode]);
      try {
        await measureMode(mode, server, files, timeoutMs);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    if (!process.env.BENCH_KEEP_FILES) for (const f of files) if (existsSync(f)) unlinkSync(f);
  }
}
