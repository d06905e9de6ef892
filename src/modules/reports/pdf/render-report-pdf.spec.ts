import { buildReportViewModel } from '../../../core/reports';
import { TINY_GROUP, sampleReportInput } from '../../../../test/support/report-fixture';
import { renderReportPdf } from './render-report-pdf';

interface TextItem {
  str: string;
  transform: number[];
}

/** Text items of every page, via pdfjs-dist (an independent PDF reader). */
async function extract(
  buf: Buffer,
): Promise<{ page: number; items: { s: string; x: number; y: number }[] }[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(buf),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const pages = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    const items = (content.items as TextItem[])
      .filter((i) => typeof i.str === 'string' && i.str.trim() !== '')
      .map((i) => ({ s: i.str, x: i.transform[4] ?? 0, y: i.transform[5] ?? 0 }));
    pages.push({ page: p, items });
  }
  await doc.destroy();
  return pages;
}

describe('renderReportPdf', () => {
  const vm = buildReportViewModel(sampleReportInput());
  let pdf: Buffer;
  let pages: Awaited<ReturnType<typeof extract>>;
  let text: string;

  beforeAll(async () => {
    pdf = await renderReportPdf(vm);
    pages = await extract(pdf);
    text = pages
      .map((p) => p.items.map((i) => i.s).join(' '))
      .join('\n')
      .replace(/\s+/g, ' ');
  });

  it('writes a deterministic PDF', async () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const again = await renderReportPdf(buildReportViewModel(sampleReportInput()));
    expect(again.equals(pdf)).toBe(true);
    // the creation date is the report's, not the clock's
    expect(pdf.toString('latin1')).toContain('(D:20260312103000Z)');
  });

  it('prints the verdict, control IDs, group names and page footers', () => {
    expect(text).toContain('FAILS');
    expect(text).toContain('3 controls fail and 2 need review.');
    for (const id of ['MEASURE 2.11', 'MEASURE 2.10', '45 CFR 92.210(b)', '29 CFR 1607.4(D)'])
      expect(text).toContain(id);
    for (const label of ['NEEDS REVIEW', 'PASS', 'FAIL', 'ALERT', 'WARNING']) expect(text).toContain(label);
    for (const g of ['White × Female', 'Black × Male', '65 and over', 'American Indian or Alaska'])
      expect(text).toContain(g);
    expect(text).toContain(
      'Black patients receive a positive prediction at 73% of the rate of White patients',
    );
    expect(text).toContain('0.40 (0.38–0.42)'.split(' ')[0]);
    expect(text).toContain('(0.38–0.42)');
    const n = pages.length;
    for (let p = 1; p <= n; p++) expect(text).toContain(`Page ${p} of ${n}`);
    expect(text).toContain('Fairwatch report rpt-2026-03-0042');
    expect(text).toContain('no count from 1 to 10 is printed');
  });

  it('never prints a small count: no text item is a bare integer from 1 to 10, and the tiny group rows read ≤10', () => {
    const bare = pages.flatMap((p) =>
      p.items.filter((i) => /^(10|[1-9])$/.test(i.s.trim())).map((i) => `p${p.page}: ${i.s}`),
    );
    expect(bare).toEqual([]);
    const rows = pages.flatMap((p) =>
      p.items
        .filter((i) => i.s.startsWith('American Indian or') && i.x < 100 && !i.s.includes(','))
        .map((label) => p.items.filter((i) => Math.abs(i.y - label.y) < 1.5).map((i) => i.s.trim())),
    );
    expect(rows.length).toBeGreaterThanOrEqual(3); // race slice + two intersection rows
    for (const row of rows) {
      expect(row).toContain('≤10');
      expect(row.filter((s) => /^\d+$/.test(s))).toEqual([]);
    }
    expect(text).not.toMatch(new RegExp(`${TINY_GROUP}[^.]*\\b6\\b`));
    expect(text).not.toContain('6 patients');
  });
});
