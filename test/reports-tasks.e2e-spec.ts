/**
 * Signed PDF reports of regression and multiclass audits over HTTP on PostgreSQL, on the demo files
 * (test/fixtures/regression/length_of_stay.csv, test/fixtures/multiclass/discharge-disposition.csv):
 * POST /reports answers 201, the PDF downloads and verifies, and its text (read by pdfjs, an independent
 * reader) holds figures computed here from the CSV's lines: a group's mean length of stay, a group's
 * accuracy as counted from its rows. No group size from 1 to 10 is printed. The PDFs are written to
 * /tmp/report-regression.pdf and /tmp/report-multiclass.pdf for a look at their pages.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary, pdfLines, type PdfLine } from './support/pdf';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

/** The CSV's rows as records keyed by the header. */
function rowsOf(file: string): Record<string, string>[] {
  const [header = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l): Record<string, string> =>
    Object.fromEntries(l.split(',').map((v, i): [string, string] => [cols[i]!, v])),
  );
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = <T>(xs: T[], keep: (x: T) => boolean): number => xs.filter(keep).length / xs.length;
const n = (count: number): string => count.toLocaleString('en-US');

/**
 * Checks that no table line starting with a group label (of the attributes, and of `pairs` as "a × b") prints a
 * size from 1 to 10 in its n column; returns the labels whose size in the rows is 1 to 10.
 */
function expectNoSmallCount(
  lines: PdfLine[],
  rows: Record<string, string>[],
  attributes: string[],
  pairs: [string, string][] = [],
): string[] {
  const sizes = new Map<string, number>();
  const add = (label: string) => sizes.set(label, (sizes.get(label) ?? 0) + 1);
  for (const r of rows) {
    for (const a of attributes) add(r[a]!);
    for (const [a, b] of pairs) add(`${r[a]!} × ${r[b]!}`);
  }
  // a narrow column wraps "a × b" after the "×": its line starts with "a ×" (b is on the next line)
  const headOf = (label: string) => label.replace(/ × .*$/, ' ×');
  const seen = new Set<string>();
  for (const line of lines) {
    const first = line.items[0]!;
    const labels = sizes.has(first) ? [first] : [...sizes.keys()].filter((l) => headOf(l) === first);
    if (labels.length === 0) continue;
    labels.forEach((l) => seen.add(l));
    expect([line.items.join(' '), /^([1-9]|10)$/.test(line.items[1] ?? '')]).toEqual([
      line.items.join(' '),
      false,
    ]);
  }
  // every group has its table lines (a label split across text items would escape the check)
  expect([...seen].sort()).toEqual([...sizes.keys()].sort());
  return [...sizes].filter(([, size]) => size <= 10).map(([label]) => label);
}

const REGRESSION_FILE = join(__dirname, 'fixtures', 'regression', 'length_of_stay.csv');
const MULTICLASS_FILE = join(__dirname, 'fixtures', 'multiclass', 'discharge-disposition.csv');

describe('PDF reports of regression and multiclass audits (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Uploads the file with the config, makes its report, downloads and verifies the PDF. */
  async function reportOf(file: string, config: object, name: string): Promise<Buffer> {
    const model = await t.http.post('/v1/models').set(t.auth()).send({ name, version: '1' }).expect(201);
    const audit = await t.http
      .post(`/v1/models/${model.body.id as string}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', readFileSync(file), 'rows.csv');
    expect([audit.status, audit.body.detail]).toEqual([201, undefined]);
    const report = await t.http
      .post(`/v1/audits/${audit.body.id as string}/reports`)
      .set(t.auth())
      .send({});
    expect([report.status, report.body.detail]).toEqual([201, undefined]);
    const pdf = (
      await t.http
        .get(`/v1/reports/${report.body.id as string}/pdf`)
        .set(t.auth())
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verified = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(200);
    expect(verified.body).toMatchObject({
      valid: true,
      reportId: report.body.id,
      sha256: report.body.sha256,
    });
    return pdf;
  }

  it('regression: 201, verifies, prints the mean length of stay of the sample and of a group', async () => {
    const rows = rowsOf(REGRESSION_FILE);
    const pdf = await reportOf(
      REGRESSION_FILE,
      {
        task: 'regression',
        targetColumn: 'time_in_hospital',
        predictionColumn: 'predicted_los',
        sensitiveAttributes: ['race', 'gender', 'age_group'],
      },
      'Length of stay',
    );
    writeFileSync('/tmp/report-regression.pdf', pdf);
    const { lines, text } = await pdfLines(pdf);
    const stay = (keep: (r: Record<string, string>) => boolean) =>
      rows.filter(keep).map((r) => Number(r.time_in_hospital));
    // the whole sample's mean length of stay, then two groups' sizes and mean stays (first column: mean target)
    expect(text).toContain(`Mean target: ${mean(stay(() => true)).toFixed(2)}`);
    for (const [attribute, group] of [
      ['race', 'AfricanAmerican'],
      ['age_group', '30 years or younger'],
    ] as const) {
      const ys = stay((r) => r[attribute] === group);
      expect(text).toContain(`${group} ${n(ys.length)} ${mean(ys).toFixed(2)}`);
    }
    expect(text).toContain('Mean time_in_hospital by decile of prediction: race');
    // no binary trend charts (selection rate, impact ratio): they had no values and called every group suppressed
    expect(text).not.toMatch(/Selection rate by \w+ across audits|Impact ratio by attribute across audits/);
    expect(text).toContain('Trend charts across audits (selection rate, impact ratio) are drawn for binary');
    // the executive summary (page 1) says each finding once, naming every control it affects
    const summary = lines
      .filter((l) => l.page === 1)
      .map((l) => l.items.filter((i) => !/^(\d+\.|FAIL|REVIEW)$/.test(i)).join(' '))
      .join(' ');
    const findings = summary.match(/For [^.]*?\.[^]*?Affects: [^]*?\.(?= |$)/g) ?? [];
    const sentences = findings.map((f) => f.replace(/ Affects: .*$/, ''));
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(sentences).size).toBe(sentences.length);
    // gender "Unknown/Invalid" is one person: its size is never printed, "≤10" stands for it
    const small = expectNoSmallCount(lines, rows, ['race', 'gender', 'age_group']);
    expect(small).toEqual(['Unknown/Invalid']);
    expect(text).toContain('Unknown/Invalid ≤10');
  });

  it('multiclass: 201, verifies, prints a group accuracy counted from the lines', async () => {
    const rows = rowsOf(MULTICLASS_FILE);
    const pdf = await reportOf(
      MULTICLASS_FILE,
      {
        task: 'multiclass',
        classes: ['Home', 'Home health', 'Facility', 'Other'],
        sensitiveAttributes: ['race', 'gender', 'age_group'],
        intersections: [['race', 'gender']],
      },
      'Discharge disposition',
    );
    writeFileSync('/tmp/report-multiclass.pdf', pdf);
    const { lines, text } = await pdfLines(pdf);
    const correct = (r: Record<string, string>) => r.y_true === r.y_pred;
    expect(text).toContain(`Whole sample: accuracy ${share(rows, correct).toFixed(2)}`);
    // a group's accuracy as counted from its lines: "<group> <n> <accuracy>" in "Accuracy by race"
    for (const group of ['AfricanAmerican', 'Asian', 'Hispanic']) {
      const of = rows.filter((r) => r.race === group);
      expect(text).toContain(`${group} ${n(of.length)} ${share(of, correct).toFixed(2)}`);
    }
    // the reference group's one-vs-rest figures for "Home": selection rate, TPR, FPR, PPV
    const white = rows.filter((r) => r.race === 'Caucasian');
    const home = (v: string) => v === 'Home';
    const figures = [
      share(white, (r) => home(r.y_pred!)),
      share(
        white.filter((r) => home(r.y_true!)),
        (r) => home(r.y_pred!),
      ),
      share(
        white.filter((r) => !home(r.y_true!)),
        (r) => home(r.y_pred!),
      ),
      share(
        white.filter((r) => home(r.y_pred!)),
        (r) => home(r.y_true!),
      ),
    ];
    expect(text).toContain(`Caucasian ${n(white.length)} ${figures.map((f) => f.toFixed(2)).join(' ')}`);
    expect(text).not.toMatch(/Selection rate by \w+ across audits|Impact ratio by attribute across audits/);
    // no group has 1 to 10 people here; none of the printed sizes is 1 to 10 either
    expect(expectNoSmallCount(lines, rows, ['race', 'gender', 'age_group'], [['race', 'gender']])).toEqual(
      [],
    );
  });
});
