/**
 * `npm run bench -- regression`: a 1M-row regression audit end to end (upload over HTTP → 201) against a
 * 1M-row binary audit of the same file: the real app on PostgreSQL in a child process (e2e-audit.bench.ts's
 * server), the CSV streamed from disk. One file holds both tasks' columns (y_true, y_pred, score for the
 * binary audit; length_of_stay and predicted_stay for the regression audit), so both uploads parse the same
 * bytes. Prints per upload: wall time, the server's CPU seconds (user + system, /proc), and its phase timings
 * (receive = parse + hash, compute = metrics in the worker, persist). BENCH_ROWS (default 1000000),
 * BENCH_REPEAT (default 2) runs each task that many times, alternating.
 */
import { closeSync, openSync, unlinkSync, writeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/core/stats';
import { admin, withDatabase } from '../test/support/test-database';
import { request } from './support/app-server';
import { CSV_CONFIG, CSV_LEVELS, multipartCsvBody } from './support/audit-csv';
import { ADMIN_KEY, cpuSeconds, DEFAULT_SERVER, startServer, type ServerHandle } from './e2e-audit.bench';

const REGRESSION_CONFIG = {
  task: 'regression',
  targetColumn: 'length_of_stay',
  predictionColumn: 'predicted_stay',
  sensitiveAttributes: CSV_CONFIG.sensitiveAttributes,
  intersections: CSV_CONFIG.intersections,
};
const BINARY_CONFIG = { ...CSV_CONFIG, predictionColumn: 'y_pred' };

/** Both tasks' columns from one seeded PRNG: a length of stay of 1-14 days and a prediction of it. */
function writeCsv(path: string, rows: number): number {
  const random = mulberry32(7);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'patient_id,y_true,y_pred,score,race,sex,age_band,length_of_stay,predicted_stay\n');
    const block = 50_000;
    for (let start = 0; start < rows; start += block) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + block); i++) {
        const race = Math.floor(random() * 5);
        const label = random() < 0.3 + 0.05 * race ? 1 : 0;
        const score = Math.min(1, Math.max(0, 0.35 + 0.3 * label + 0.25 * (random() - 0.5)));
        const stay = 1 + Math.floor(random() * random() * 14);
        const predicted = Math.max(0.5, stay + (random() - 0.5) * 4 - 0.2 * race);
        lines.push(
          `MRN${10_000_000 + i},${label},${score >= 0.5 ? 1 : 0},${score.toFixed(4)},${CSV_LEVELS.race[race]},` +
            `${CSV_LEVELS.sex[Math.floor(random() * 3)]},${CSV_LEVELS.age_band[Math.floor(random() * 4)]},` +
            `${stay},${predicted.toFixed(2)}\n`,
        );
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const repeat = Number(process.env.BENCH_REPEAT ?? 2);
  const database = `fw_bench_regression_${process.pid}`;
  const file = join(tmpdir(), `fairwatch-regression-bench-${rows}.csv`);
  const size = writeCsv(file, rows);
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  let server: ServerHandle | undefined;
  try {
    server = await startServer(withDatabase(serverUrl, database));
    const pid = server.child.pid as number;
    const auth = `Bearer ${ADMIN_KEY}`;
    const model = await request(
      server.port,
      'POST',
      '/v1/models',
      { Authorization: auth, 'Content-Type': 'application/json' },
      () => Buffer.from(JSON.stringify({ name: 'bench-regression', version: '1' })),
    );
    const modelId = (JSON.parse(model.body) as { id: string }).id;
    console.log(`${rows} rows, ${(size / 1024 / 1024).toFixed(1)} MB CSV; server pid ${pid}`);
    console.log('task        wall s  server cpu s  receive ms  compute ms  persist ms');
    for (let r = 0; r < repeat; r++) {
      for (const [task, config] of [
        ['binary', BINARY_CONFIG],
        ['regression', REGRESSION_CONFIG],
      ] as const) {
        const body = multipartCsvBody(file, auth, config);
        await new Promise((resolve) => setTimeout(resolve, 500));
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
        const wall = Number(process.hrtime.bigint() - start) / 1e9;
        const cpu = cpuSeconds(pid) - cpuBefore;
        if (res.status !== 201) {
          console.log(`${task}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        const phases = server.logs.slice(logCount).find((l) => l.msg === 'Audit submitted') ?? {};
        console.log(
          [
            task.padEnd(10),
            wall.toFixed(2).padStart(7),
            cpu.toFixed(2).padStart(13),
            String(phases.receiveMs).padStart(11),
            String(phases.computeMs).padStart(11),
            String(phases.persistMs).padStart(11),
          ].join(' '),
        );
      }
    }
  } finally {
    if (server) {
      const exited = new Promise((resolve) => server?.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    unlinkSync(file);
  }
}
