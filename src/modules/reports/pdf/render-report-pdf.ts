/**
 * renderReportPdf: the audit report view model → PDF bytes (pdfkit). Deterministic: the same view model
 * gives the same bytes (CreationDate is the report's createdAt; pdfkit's file ID is a hash of the info
 * dictionary, which carries the fingerprint).
 */
import PDFDocument from 'pdfkit';
import type { ControlStatus } from '../../../core/compliance';
import type { DriftStatus } from '../../../core/drift';
import type { GroupRow, ReportViewModel, Verdict } from '../../../core/reports';
import { BOLD, FONT, countLayoutCache, registerFonts } from './fonts';
import { COLOR, PdfWriter, type Cell, type Column, type Part } from './pdf-writer';
import { drawTaskPages } from './task-pages';
import { drawThresholdPage } from './threshold-page';

const VERDICT_COLOR: Record<Verdict, string> = {
  pass: COLOR.pass,
  fail: COLOR.fail,
  review: COLOR.review,
  inconclusive: COLOR.review,
};
const STATUS_COLOR: Record<ControlStatus, string> = {
  pass: COLOR.pass,
  fail: COLOR.fail,
  review: COLOR.review,
  inconclusive: COLOR.na,
  not_applicable: COLOR.na,
};
const DRIFT_COLOR: Record<DriftStatus, string> = { ok: COLOR.pass, warning: COLOR.review, alert: COLOR.fail };

/** The report's sections, in the order renderReportPdf writes them. */
class ReportWriter extends PdfWriter {
  cover(): void {
    const { cover } = this.vm;
    const doc = this.doc;
    doc
      .font(FONT)
      .fontSize(10)
      .fillColor(COLOR.muted)
      .text('FAIRNESS AUDIT REPORT', this.left, doc.y, { characterSpacing: 1 });
    doc.moveDown(0.4);
    doc.font(BOLD).fontSize(22).fillColor(COLOR.accent).text(cover.title, { width: this.width });
    doc.moveDown(0.3);
    doc
      .font(FONT)
      .fontSize(12)
      .fillColor(COLOR.text)
      .text(`${cover.modelName}, version ${cover.modelVersion}`, { width: this.width });
    doc
      .font(FONT)
      .fontSize(10)
      .fillColor(COLOR.muted)
      .text(`${cover.organization} · ${cover.auditLabel} · issued ${cover.date}`, { width: this.width });
    doc.moveDown(1);

    // Verdict box: colour plus words, so it still reads in greyscale.
    const boxY = doc.y;
    const color = VERDICT_COLOR[cover.verdict];
    doc.font(FONT).fontSize(9.5);
    const explH = doc.heightOfString(cover.verdictExplanation, { width: this.width - 150 });
    const boxH = Math.max(58, explH + 34);
    doc.rect(this.left, boxY, this.width, boxH).lineWidth(1.5).strokeColor(color).stroke();
    doc.rect(this.left, boxY, 130, boxH).fill(color);
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#ffffff')
      .text('OVERALL VERDICT', this.left + 10, boxY + 10, { width: 114 });
    doc
      .font(BOLD)
      .fontSize(cover.verdictLabel.length > 8 ? 15 : 19)
      .fillColor('#ffffff')
      .text(cover.verdictLabel.toUpperCase(), this.left + 10, boxY + 24, { width: 114 });
    doc
      .font(BOLD)
      .fontSize(10)
      .fillColor(color)
      .text(cover.verdictLabel, this.left + 142, boxY + 10, { width: this.width - 150 });
    doc
      .font(FONT)
      .fontSize(9.5)
      .fillColor(COLOR.text)
      .text(cover.verdictExplanation, this.left + 142, boxY + 26, { width: this.width - 150 });
    doc.y = boxY + boxH + 14;
    doc.x = this.left;

    this.table(
      [
        { header: 'Item', width: 120 },
        { header: 'Detail', width: this.width - 120 },
      ],
      cover.facts.map((f) => [[{ text: f.term, bold: true, size: 8.5 }], [{ text: f.text, size: 8.5 }]]),
      { headerSize: 8 },
    );
    this.paragraph(`Report ID: ${cover.reportId}`, { size: 8, color: COLOR.muted, gap: 1 });
    this.paragraph(`Fingerprint (SHA-256 of the report content): ${cover.fingerprint}`, {
      size: 8,
      color: COLOR.muted,
      gap: 8,
    });
  }

  executiveSummary(): void {
    this.heading('Executive summary', 1);
    const labels = { fail: 'FAIL', review: 'REVIEW', info: 'NOTE' } as const;
    const colors = { fail: COLOR.fail, review: COLOR.review, info: COLOR.muted } as const;
    this.vm.executiveSummary.findings.forEach((f, i) => {
      const tagW = 52;
      const body: Part = { text: f.text, size: 9.5 };
      const h = Math.max(this.partHeight(body, this.width - tagW - 16), 14);
      this.ensure(h + 6);
      const y = this.doc.y;
      this.doc
        .font(BOLD)
        .fontSize(9.5)
        .fillColor(COLOR.text)
        .text(`${i + 1}.`, this.left, y, { width: 14 });
      this.doc.roundedRect(this.left + 16, y - 1, tagW - 6, 12, 2).fill(colors[f.severity]);
      this.doc
        .font(BOLD)
        .fontSize(7)
        .fillColor('#ffffff')
        .text(labels[f.severity], this.left + 16, y + 1.5, { width: tagW - 6, align: 'center' });
      this.drawPart(body, this.left + 16 + tagW, y, this.width - tagW - 16);
      this.doc.y = y + h + 6;
    });
    this.doc.moveDown(0.3);
    for (const line of this.vm.executiveSummary.overview) this.paragraph(`• ${line}`, { size: 9, indent: 4 });
  }

  private groupRow(row: GroupRow): Cell[] {
    const flagColor =
      row.flags.includes('outside_band') || row.flags.includes('other_outside_band')
        ? COLOR.fail
        : COLOR.muted;
    return [
      [{ text: row.label, size: 7.5, bold: row.flags.includes('reference') }],
      [{ text: row.count, size: 7.5 }],
      ...row.cells.map((c): Cell => {
        const cell: Cell = c.suppressed
          ? [{ text: c.text, size: 6.5, color: COLOR.muted }]
          : c.interval
            ? [
                { text: c.value, size: 7.5 },
                { text: c.interval, size: 6, color: COLOR.muted },
              ]
            : [{ text: c.value, size: 7.5 }];
        return cell;
      }),
      [
        { text: row.flagLabels.join(', '), size: 6.5, color: flagColor },
        ...(row.detectable ? [{ text: row.detectable, size: 6, color: COLOR.muted }] : []),
      ],
    ];
  }

  slices(): void {
    // regression and multiclass audits have their own group pages (./task-pages.ts)
    if (this.vm.task) return;
    this.section('Results by group');
    this.paragraph(
      'Each table shows, for every group of an attribute (or combination of attributes): its size n, its rates with 95% intervals, and its selection-rate ratio to the reference group. Flags: "reference" marks the comparison group; "small sample" marks a group below the minimum size; "outside band (selection rate)" marks the ratio in the table and the chart outside the fairness band, the same rule as the chart\'s marks; "outside band (TPR ratio)" and the like name another ratio to the reference that is outside the band and not plotted.',
      { size: 8.5, color: COLOR.muted, gap: 8 },
    );
    for (const s of this.vm.slices) {
      this.heading(`Slice: ${s.title}`, 2, 110);
      this.paragraph(`Reference group: ${s.referenceLabel}`, { size: 8.5, color: COLOR.muted, gap: 4 });
      const metricWidths = this.metricColumnWidths(s.columns, this.width - (100 + 54 + 64));
      const columns: Column[] = [
        { header: 'Group', width: 100 },
        { header: 'n', width: 54, align: 'right' }, // wide enough for "suppressed"
        ...s.columns.map((h, i): Column => ({ header: h, width: metricWidths[i] ?? 40 })),
        { header: 'Flags', width: 64 },
      ];
      this.table(
        columns,
        s.rows.map((r) => this.groupRow(r)),
        { zebra: true, minRowsWithHeader: 2 },
      );
      for (const l of s.summaryLines) this.paragraph(l, { size: 8, gap: 1 });
      this.doc.y += 3;
      for (const n of s.notes) this.paragraph(n, { size: 7.5, color: COLOR.muted, gap: 2 });
      this.doc.y += 4;
      this.chart(s.chart);
    }
  }

  /** Calibration by group (only for audits with scores in [0, 1] and labels). */
  calibration(): void {
    const c = this.vm.calibration;
    if (!c) return;
    this.section('Calibration by group');
    this.paragraph(
      `Whole sample: observed/expected ${c.overall.observedExpected}, calibration slope ${c.overall.slope}. Observed/expected (O/E): the events observed divided by the sum of the scores (1 = as many events as the scores predict; above 1, the scores under-predict the group's risk). Calibration intercept and slope: from a logistic fit of the outcome on the logit of the score (ideal 0 and 1; a slope below 1 means scores too extreme). Intervals: 95%. Figures that could give away 1 to 10 people read "suppressed", and their bins are left out of the curves.`,
      { size: 8.5, color: COLOR.muted, gap: 6 },
    );
    const w = (this.width - 150 - 50) / 3;
    for (const s of c.slices) {
      this.heading(`Slice: ${s.title}`, 2, 110);
      this.table(
        [
          { header: 'Group', width: 150 },
          { header: 'n', width: 50, align: 'right' },
          { header: 'Observed / expected', width: w },
          { header: 'Calibration intercept', width: w },
          { header: 'Calibration slope', width: w },
        ],
        s.groups.map((g) => [
          [{ text: g.label }],
          [{ text: g.count }],
          [{ text: g.observedExpected }],
          [{ text: g.intercept }],
          [{ text: g.slope }],
        ]),
        { zebra: true, minRowsWithHeader: 2 },
      );
      if (s.chart.series.some((x) => x.points.length > 0)) this.chart(s.chart);
      else
        this.paragraph('No score bin of this slice can be plotted (small-cell suppression).', {
          size: 8.5,
          color: COLOR.muted,
        });
    }
  }

  /** Regression and multiclass audits: their group tables, deciles of prediction and classes (./task-pages.ts). */
  taskPages(): void {
    drawTaskPages(this, this.vm.task);
  }

  /** Thresholds by group (only for audits with scores in [0, 1] and labels): ./threshold-page.ts. */
  thresholds(): void {
    drawThresholdPage(this, this.vm.thresholds);
  }

  drift(): void {
    const d = this.vm.drift;
    // Follows the last slice's chart on its page (a fresh page left most of that one empty); the heading keeps
    // its status line and the top of the checks table (or of the first chart) with it.
    this.heading('Drift and trends', 1, 140);
    const status = d.status;
    this.paragraph(
      `Drift since the baseline audit: ${d.statusLabel}${d.present ? ` (${d.attentionCount} check${d.attentionCount === 1 ? '' : 's'} need${d.attentionCount === 1 ? 's' : ''} attention; ${d.okCount} OK)` : ''}`,
      {
        bold: true,
        color: status ? DRIFT_COLOR[status] : COLOR.muted,
        size: 10,
      },
    );
    for (const n of d.notes) this.paragraph(n, { size: 8.5, color: COLOR.muted });
    if (d.checks.length > 0) {
      this.table(
        [
          { header: 'Status', width: 54 },
          { header: 'Check', width: 130 },
          { header: 'Statistic', width: 80 },
          { header: 'What it means', width: this.width - 264 },
        ],
        d.checks.map((c) => [
          [{ text: c.statusLabel.toUpperCase(), bold: true, size: 7.5, color: DRIFT_COLOR[c.status] }],
          [
            { text: c.kindLabel, bold: true, size: 7.5 },
            { text: c.subject, size: 7.5 },
          ],
          [{ text: c.statistic, size: 7.5 }],
          [{ text: c.message, size: 7.5 }],
        ]),
        { zebra: true, minRowsWithHeader: 2 },
      );
    }
    for (const t of d.trends) {
      this.chart(t.chart);
      if (t.note) this.paragraph(t.note, { size: 7.5, color: COLOR.muted });
    }
  }

  compliance(): void {
    this.section('Compliance');
    this.paragraph(this.vm.compliance.overview, { size: 9 });
    for (const fw of this.vm.compliance.frameworks) {
      this.heading(`${fw.name} (${fw.counts})`, 2, 70);
      this.table(
        [
          { header: 'Control', width: 82 },
          { header: 'Status', width: 62 },
          { header: 'Requirement, evidence and reason', width: this.width - 144 },
        ],
        fw.controls.map((c) => [
          [{ text: c.controlId, bold: true, size: 8 }],
          [{ text: c.statusLabel.toUpperCase(), bold: true, size: 7.5, color: STATUS_COLOR[c.status] }],
          [
            { text: c.title, bold: true, size: 8 },
            { text: `Evidence: ${c.evidence}`, size: 7.5, color: COLOR.muted },
            { text: c.rationale, size: 7.5 },
          ],
        ]),
        { zebra: true, minRowsWithHeader: 1 },
      );
    }
  }

  methodology(): void {
    const m = this.vm.methodology;
    this.section('Methodology appendix');
    const defs = (items: { term: string; text: string }[]): void =>
      this.table(
        [
          { header: 'Term', width: 110 },
          { header: 'Definition', width: this.width - 110 },
        ],
        items.map((i) => [[{ text: i.term, bold: true, size: 8 }], [{ text: i.text, size: 8 }]]),
        { minRowsWithHeader: 2 },
      );
    this.heading('Definitions and conventions', 2, 60);
    defs(m.conventions);
    this.heading('Data provenance', 2, 60);
    defs(m.provenance);
    this.heading('Small-cell suppression', 2, 40);
    this.paragraph(m.suppressionStatement, { size: 8.5 });
    this.paragraph(
      this.vm.suppressionApplied
        ? 'Suppression was applied in this report.'
        : 'No suppression was needed in this report.',
      { size: 8.5, bold: true },
    );
  }

  footers(): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const bottomMargin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - 38;
      this.doc
        .moveTo(this.left, y - 6)
        .lineTo(this.left + this.width, y - 6)
        .lineWidth(0.4)
        .strokeColor(COLOR.rule)
        .stroke();
      this.doc.font(FONT).fontSize(7.5).fillColor(COLOR.muted);
      this.doc.text(
        `Fairwatch report ${this.vm.meta.reportId} · ${this.vm.cover.modelName} ${this.vm.cover.modelVersion}`,
        this.left,
        y,
        {
          width: this.width - 90,
          lineBreak: false,
        },
      );
      this.doc.text(`Page ${i + 1 - range.start} of ${range.count}`, this.left + this.width - 90, y, {
        width: 90,
        align: 'right',
        lineBreak: false,
      });
      this.doc.page.margins.bottom = bottomMargin;
    }
  }
}

/**
 * Optional, for startup (e.g. the module's onModuleInit): parses the fonts, loads fontkit's shaping tables
 * and shapes common report wording, so that the first report of a process does not pay for them.
 */
export function warmUpReportPdf(): void {
  const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  registerFonts(doc);
  const sample =
    'Fairness audit report: the selection rate ratio vs reference (95% interval) is 0.73 (0.65–0.81) for group n ≤10, suppressed; ' +
    'PASS FAIL NEEDS REVIEW ALERT WARNING OK Δ ≥ ✓ × · — “quoted” Müller ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789';
  for (const font of [FONT, BOLD])
    for (const size of [8, 9]) doc.font(font).fontSize(size).widthOfString(sample);
  doc.end();
  countLayoutCache();
}

export async function renderReportPdf(vm: ReportViewModel): Promise<Buffer> {
  const w = new ReportWriter(vm);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    w.doc.on('data', (c: Buffer) => chunks.push(c));
    w.doc.on('end', () => resolve(Buffer.concat(chunks)));
    w.doc.on('error', reject);
  });
  w.cover();
  w.executiveSummary();
  w.slices();
  w.taskPages();
  w.calibration();
  w.thresholds();
  w.drift();
  w.compliance();
  w.methodology();
  w.footers();
  w.doc.end();
  const pdf = await done;
  countLayoutCache();
  return pdf;
}
