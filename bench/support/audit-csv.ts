/**
 * Synthetic audit CSVs for the HTTP benchmarks, from a seeded PRNG (same seed, same bytes), and the multipart
 * body that uploads one streamed from disk.
 *
 * Columns: patient_id, y_true, y_pred, score, race (5 levels), sex (3), age_band (4), visit_note, zip: the
 * three unmapped columns (patient_id, visit_note, zip) are parsed over and discarded.
 */
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { mulberry32 } from '../../src/core/stats';

export const CSV_LEVELS = {
  race: ['Black', 'White', 'Hispanic', 'Asian', 'Other'],
  sex: ['Female', 'Male', 'Unknown'],
  age_band: ['18-29', '30-44', '45-64', '65+'],
};

/** The config the CSVs are uploaded with: 3 attributes and the race × sex intersection. */
export const CSV_CONFIG = {
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex', 'age_band'],
  intersections: [['race', 'sex']],
};

/** Writes a synthetic CSV of `rows` rows; returns its size in bytes. */
export function writeAuditCsv(path: string, rows: number, seed: number): number {
  const random = mulberry32(seed);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'patient_id,y_true,y_pred,score,race,sex,age_band,visit_note,zip\n');
    const block = 50_000;
    for (let start = 0; start < rows; start += block) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + block); i++) {
        const race = Math.floor(random() * 5);
        const label = random() < 0.3 + 0.05 * race ? 1 : 0;
        const score = Math.min(1, Math.max(0, 0.35 + 0.3 * label + 0.25 * (random() - 0.5) + 0.02 * race));
        lines.push(
          `MRN${(10_000_000 + i).toString()},${label},${score >= 0.5 ? 1 : 0},${score.toFixed(4)},` +
            `${CSV_LEVELS.race[race]},${CSV_LEVELS.sex[Math.floor(random() * 3)]},` +
            `${CSV_LEVELS.age_band[Math.floor(random() * 4)]},` +
            `follow-up visit ${i % 97},${10000 + Math.floor(random() * 89999)}\n`,
        );
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

/** A multipart body: the config part first (so the file streams straight into the parser), then the file. */
export function multipartCsvBody(
  file: string,
  authorization: string,
  config: object = CSV_CONFIG,
): { headers: Record<string, string | number>; stream: () => NodeJS.ReadableStream } {
  const size = statSync(file).size;
  const boundary = `----fairwatch-bench-${process.pid}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="config"\r\n\r\n${JSON.stringify(config)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="audit.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const stream = (): NodeJS.ReadableStream => {
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    out.write(head);
    const fileStream = createReadStream(file, { highWaterMark: 1024 * 1024 });
    fileStream.pipe(out, { end: false });
    fileStream.on('end', () => out.end(tail));
    return out;
  };
  return {
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': head.length + size + tail.length,
      Authorization: authorization,
    },
    stream,
  };
}
