/**
 * Server memory under concurrent application/json audit uploads: the real app (createApp) on PostgreSQL in a
 * child process; N identical {config, records} bodies of about BENCH_JSON_MB MB are sent at once, and the
 * server's RSS growth (peak − before) is read from /proc/<pid>/status (VmRSS sampled every 20 ms, and VmHWM
 * after resetting it with clear_refs). Prints the answers' statuses with the figures.
 *
 *   npm run bench -- json-upload-memory
 *   BENCH_JSON_MB=161 BENCH_CONCURRENCY=1,5 FAIRWATCH_MAX_JSON_UPLOAD_BYTES=512mb npm run bench -- json-upload-memory
 *
 * Defaults: BENCH_JSON_MB=63.9 (just under the default 64 MiB limit), BENCH_CONCURRENCY=1,5. The server gets
 * FAIRWATCH_MAX_JSON_UPLOAD_BYTES from the environment (default: its own default). Database: a fresh
 * `fw_bench_json_<pid>` on BENCH_DATABASE_SERVER (default postgres://postgres@127.0.0.1:5432/test), dropped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { mulberry32 } from '../src/core/stats';
import { admin, withDatabase } from '../test/support/test-database';

const SERVER_FLAG = 'FW_JSON_MEMORY_BENCH_SERVER';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const MB = 1024 * 1024;
const RACES = ['Black', 'White', 'Hispanic', 'Asian', 'Other'];
const SEXES = ['Female', 'Male', 'Unknown'];

async function serve(): Promise<void> {
  const app = await createApp(loadConfig(process.env, 'bench'));
  await app.listen(0, '127.0.0.1');
  process.stdout.write(
    `${JSON.stringify({ benchPort: (app.getHttpServer().address() as { port: number }).port })}\n`,
  );
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function startServer(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    env: {
      ...process.env,
      [SERVER_FLAG]: '1',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      FAIRWATCH_DATA_DIR: ':memory:',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const m = /\{"benchPort":(\d+)\}/.exec(buffered);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function post(port: number, path: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: {
          Authorization: `Bearer ${ADMIN_KEY}`,
          'Content-Type': 'application/json',
          'Content-Length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      // A server that answers 413 early may close before the whole body is written.
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: -1, text: '' }) : reject(err),
    );
    req.end(body);
  });
}

/** A {config, records} body of about `megabytes` MB (records of ~110 bytes with an unmapped patient id). */
function recordsBody(megabytes: number): Buffer {
  const random = mulberry32(7);
  const target = megabytes * MB;
  const head = `{"config":{"sensitiveAttributes":["race","sex"]},"records":[`;
  const parts: string[] = [head];
  let size = head.length + 2;
  for (let i = 0; ; i++) {
    const label = random() < 0.4 ? 1 : 0;
    const score = Math.min(1, Math.max(0, 0.3 + 0.4 * label + 0.3 * (random() - 0.5)));
    const rec =
      `${i === 0 ? '' : ','}{"patient_id":"MRN${10_000_000 + i}","y_true":${label},"y_pred":${score >= 0.5 ? 1 : 0},` +
      `"score":${score.toFixed(4)},"race":"${RACES[i % 5]}","sex":"${SEXES[i % 3]}"}`;
    if (size + rec.length > target) break;
    parts.push(rec);
    size += rec.length;
  }
  parts.push(']}');
  return Buffer.from(parts.join(''));
}

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const megabytes = Number(process.env.BENCH_JSON_MB ?? 63.9);
  const levels = (process.env.BENCH_CONCURRENCY ?? '1,5').split(',').map(Number);
  const database = `fw_bench_json_${process.pid}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  let server: { child: ChildProcess; port: number } | undefined;
  try {
    server = await startServer(withDatabase(serverUrl, database));
    const pid = server.child.pid as number;
    const model = await post(
      server.port,
      '/v1/models',
      Buffer.from(JSON.stringify({ name: 'bench', version: '1' })),
    );
    if (model.status !== 201) throw new Error(`POST /v1/models: ${model.status} ${model.text}`);
    const modelId = (JSON.parse(model.text) as { id: string }).id;
    const body = recordsBody(megabytes);
    console.log(
      `server pid ${pid}; FAIRWATCH_MAX_JSON_UPLOAD_BYTES=${process.env.FAIRWATCH_MAX_JSON_UPLOAD_BYTES ?? '(default)'}; ` +
        `body ${(body.length / MB).toFixed(1)} MB; RSS at start ${(procStatus(pid, 'VmRSS') / MB).toFixed(0)} MB`,
    );
    console.log(
      'concurrent  statuses                 seconds  RSS before MB  peak(sampled) MB  peak(HWM) MB  growth MB',
    );
    for (const n of levels) {
      await new Promise((r) => setTimeout(r, 1000));
      const before = procStatus(pid, 'VmRSS');
      const hwmReset = resetHighWaterMark(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, procStatus(pid, 'VmRSS'))), 20);
      const t0 = process.hrtime.bigint();
      const port = server.port;
      const answers = await Promise.all(
        Array.from({ length: n }, () => post(port, `/v1/models/${modelId}/audits`, body)),
      );
      const statuses = answers.map((a) => a.status);
      const problem = answers.find((a) => a.status >= 400 && a.status !== 413);
      if (problem) console.log(`  unexpected answer: ${problem.status} ${problem.text.slice(0, 300)}`);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      clearInterval(sampler);
      peak = Math.max(peak, procStatus(pid, 'VmRSS'));
      const hwm = hwmReset ? procStatus(pid, 'VmHWM') : NaN;
      console.log(
        [
          String(n).padEnd(11),
          statuses.join(',').padEnd(24),
          seconds.toFixed(2).padStart(7),
          (before / MB).toFixed(0).padStart(14),
          (peak / MB).toFixed(0).padStart(17),
          (Number.isNaN(hwm) ? 'n/a' : (hwm / MB).toFixed(0)).padStart(13),
          ((Math.max(peak, Number.isNaN(hwm) ? 0 : hwm) - before) / MB).toFixed(0).padStart(10),
        ].join(' '),
      );
    }
  } finally {
    if (server) {
      const child = server.child;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}

if (require.main === module && process.env[SERVER_FLAG]) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
