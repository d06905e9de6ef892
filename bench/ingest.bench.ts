/**
 * Streaming CSV ingest throughput: a seeded synthetic upload (y_true, y_pred, score, race, sex, age_band
 * plus three unmapped columns: patient_id, note, zip) built in memory, fed in 64 KiB chunks.
 */
import { createCsvIngestor, parseAuditConfig } from '../src/core/ingest';
import { mulberry32 } from '../src/core/stats';

const CHUNK = 64 * 1024;
const RACES = ['White', 'Black', 'Hispanic', 'Asian', 'Other'];
const SEXES = ['Female', 'Male'];
const AGES = ['18-29', '30-44', '45-64', '65+'];

function pick<T>(list: readonly T[], r: number): T {
  return list[Math.floor(r * list.length)] as T;
}

function generate(rows: number, seed: number): Buffer {
  const rand = mulberry32(seed);
  const parts: Buffer[] = [Buffer.from('patient_id,y_true,y_pred,score,race,sex,age_band,note,zip\n')];
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const score = Math.round(rand() * 1e6) / 1e6;
    const yTrue = rand() < score ? 1 : 0;
    const note = rand() < 0.1 ? '"follow-up, see chart"' : 'none';
    lines.push(
      `P${100000000 + i},${yTrue},${score >= 0.5 ? 1 : 0},${score},${pick(RACES, rand())},${pick(SEXES, rand())},` +
        `${pick(AGES, rand())},${note},${10000 + Math.floor(rand() * 89999)}`,
    );
    if (lines.length === 100_000) {
      parts.push(Buffer.from(lines.join('\n') + '\n'));
      lines = [];
    }
  }
  parts.push(Buffer.from(lines.join('\n') + (lines.length ? '\n' : '')));
  return Buffer.concat(parts);
}

function ingest(csv: Buffer): number {
  const config = parseAuditConfig({ sensitiveAttributes: ['race', 'sex', 'age_band'] });
  const ingestor = createCsvIngestor(config, {});
  for (let p = 0; p < csv.length; p += CHUNK) ingestor.write(csv.subarray(p, p + CHUNK));
  return ingestor.end().rowCount;
}

/**
 * `repeats` ingests of the same upload; prints every run's wall and CPU (user + system) time and the minima
 * (CPU time is the steadier figure on a busy machine). Peak RSS is the process's high-water mark so far
 * (the input and its generation included).
 */
function measure(rows: number, repeats: number): void {
  const csv = generate(rows, 42);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const walls: number[] = [];
  const cpus: number[] = [];
  let count = 0;
  for (let r = 0; r < repeats; r++) {
    global.gc?.();
    const cpuStart = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    count = ingest(csv);
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const rssAfter = process.memoryUsage().rss;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const mb = csv.length / 1e6;
  const wall = Math.min(...walls);
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join('/');
  console.log(
    `${rows.toLocaleString('en')} rows (${mb.toFixed(1)} MB, ${count} kept): wall ${list(walls)} ms, ` +
      `CPU ${list(cpus)} ms (min wall ${wall.toFixed(0)} ms, min CPU ${Math.min(...cpus).toFixed(0)} ms), ` +
      `${(mb / (wall / 1000)).toFixed(0)} MB/s, ${(rows / wall / 1e3).toFixed(2)} M rows/s, ` +
      `RSS ${mib(rssBefore)} → ${mib(rssAfter)}, peak RSS ${mib(peakRss)}`,
  );
}

export async function run(): Promise<void> {
  measure(10_000, 3); // warm-up
  measure(1_000_000, 5);
  measure(5_000_000, 2);
  await Promise.resolve();
}
