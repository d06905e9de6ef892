/**
 * Parquet ingest: 1M rows of the synthetic audit CSV (bench/support/audit-csv.ts: 9 columns, 3 attributes
 * mapped) written once as Parquet by DuckDB (snappy, its default row groups), then read as the server reads an
 * upload: the file part spooled encrypted, decrypted to the plaintext copy, read by DuckDB into the batch
 * (UploadSpoolService.withPlaintextCopy + ParquetIngestService.ingest). Each run is a fresh child process, so
 * its peak RSS is that of the read alone (node and the app's modules included); the first read of a process
 * also loads DuckDB, the second shows a warm one. The CSV of the same rows through the CSV ingestor (in-thread,
 * same child) is printed beside it for comparison.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createCsvIngestor, parseAuditConfig } from '../src/core/ingest';
import { ParquetIngestService } from '../src/modules/uploads/parquet-ingest.service';
import { UploadSpoolService } from '../src/modules/uploads/upload-spool';
import { CSV_CONFIG, writeAuditCsv } from './support/audit-csv';

const CHILD_FLAG = 'BENCH_PARQUET_CHILD';
const ROWS = 1_000_000;
const RUNS = 3;

interface ChildResult {
  walls: number[];
  cpus: number[];
  rows: number;
  peakRssMiB: number;
}

/** In the child: `reads` timed reads of `file` (Parquet through the spool, or CSV in 256 KiB chunks). */
async function child(file: string, format: 'parquet' | 'csv', reads: number): Promise<ChildResult> {
  const config = parseAuditConfig(CSV_CONFIG);
  const dir = mkdtempSync(join(tmpdir(), 'fw-parquet-bench-'));
  const spools = new UploadSpoolService(loadConfig({ FAIRWATCH_DATA_DIR: dir }));
  await spools.onModuleInit();
  const parquet = new ParquetIngestService();
  const walls: number[] = [];
  const cpus: number[] = [];
  let rows = 0;
  for (let r = 0; r < reads; r++) {
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (format === 'parquet') {
      const spool = spools.create((err) => {
        throw err;
      });
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }))
        spool.write(chunk as Buffer);
      await spool.end();
      rows = (await spools.withPlaintextCopy(spool, (path) => parquet.ingest(path, config, {}))).rowCount;
      spool.destroy();
    } else {
      const ingestor = createCsvIngestor(config, {});
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }))
        ingestor.write(chunk as Buffer);
      rows = ingestor.end().rowCount;
    }
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  await parquet.onModuleDestroy();
  await spools.onModuleDestroy();
  rmSync(dir, { recursive: true, force: true });
  return { walls, cpus, rows, peakRssMiB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20 };
}

function runChild(file: string, format: 'parquet' | 'csv'): ChildResult {
  const out = spawnSync(process.execPath, ['-r', '@swc-node/register', __filename], {
    env: { ...process.env, [CHILD_FLAG]: JSON.stringify({ file, format }), NODE_OPTIONS: '' },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
  const line = out.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildResult;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-parquet-bench-data-'));
  try {
    const csv = join(dir, 'audit.csv');
    const parquet = join(dir, 'audit.parquet');
    writeAuditCsv(csv, ROWS, 42);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    db.closeSync();
    const mb = (path: string) => (statSync(path).size / 1e6).toFixed(1);
    console.log(`${ROWS.toLocaleString('en')} rows: CSV ${mb(csv)} MB, Parquet ${mb(parquet)} MB (snappy)`);
    for (const format of ['parquet', 'csv'] as const) {
      const results = Array.from({ length: RUNS }, () => runChild(format === 'csv' ? csv : parquet, format));
      const list = (values: number[]) => values.map((v) => v.toFixed(0)).join('/');
      const first = results.map((r) => r.walls[0] as number);
      const warm = results.map((r) => r.walls[1] as number);
      const cpu = results.map((r) => r.cpus[1] as number);
      const rss = results.map((r) => r.peakRssMiB);
      console.log(
        `${format.padEnd(7)} ${results[0]?.rows} rows: first read ${list(first)} ms, warm read ${list(warm)} ms ` +
          `(CPU ${list(cpu)} ms), peak RSS of the process ${list(rss)} MiB (${RUNS} processes, 2 reads each)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env[CHILD_FLAG]) {
  const { file, format } = JSON.parse(process.env[CHILD_FLAG]) as { file: string; format: 'parquet' | 'csv' };
  void child(file, format, 2).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
