/**
 * renderReportPdf: the audit report view model → PDF bytes (pdfkit). Deterministic: the same view model
 * gives the same bytes (CreationDate is the report's createdAt; pdfkit's file ID is a hash of the info
 * dictionary, which carries the fingerprint).
 */
import PDFDocument from 'pdfkit';
import type { ControlStatus } from '../../../core/compliance';
import type { DriftStatus } from '../../../core/drift';
import type { ChartModel, GroupRow, ReportViewModel, Verdict } from '../../../core/reports';
import { measureChart } from './charts';
import { drawThresholdPage } from './threshold-page';

const FONT = 'Sans';
const BOLD = 'Sans-Bold';
const FONT_FILES = {
  [FONT]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  [BOLD]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/**
 * Parsed fonts, reused across documents: pdfkit accepts a fontkit font object in place of a file, and
 * parsing the two DejaVu files (1.4 MB) is the largest fixed cost of a render. Each document still makes
 * its own subset.
 */
const parsedFonts = new Map<string, PDFKit.Mixins.PDFFontSource>();

/**
 * pdfkit's per-font word layout cache (word → fontkit glyph run, in 1/1000 em; the same for every size),
 * shared across documents: fontkit's shaping (GSUB/GPOS lookups) of every word was the largest text cost,
 * and reports repeat most of their words. Valid because every document uses the same parsed font objects;
 * each document still makes its own subset from the glyph ids. Dropped when it grows past LAYOUT_CACHE_MAX.
 */
const layoutCaches = new Map<string, Record<string, unknown>>();
const LAYOUT_CACHE_MAX = 50_000;
let layoutCacheEntries = 0;

interface EmbeddedFontInternals {
  font?: { layout?: unknown };
  layoutCache?: Record<string, unknown>;
}

function registerFonts(doc: PDFKit.PDFDocument): void {
  if (layoutCacheEntries > LAYOUT_CACHE_MAX) {
    layoutCaches.clear();
    layoutCacheEntries = 0;
  }
  for (const [name, file] of Object.entries(FONT_FILES)) {
    const cached = parsedFonts.get(name);
    doc.registerFont(name, cached ?? file);
    doc.font(name);
    const embedded = (doc as unknown as { _font?: EmbeddedFontInternals })._font;
    const parsed = embedded?.font;
    if (!cached && parsed && typeof parsed.layout === 'function')
      parsedFonts.set(name, parsed as unknown as PDFKit.Mixins.PDFFontSource);
    if (embedded?.layoutCache && parsedFonts.has(name)) {
      let shared = layoutCaches.get(name);
      if (!shared) layoutCaches.set(name, (shared = Object.create(null) as Record<string, unknown>));
      embedded.layoutCache = shared;
    }
  }
}

/** Called after a render: keeps the shared layout caches bounded. */
function countLayoutCache(): void {
  layoutCacheEntries = 0;
  for (const c of layoutCaches.values()) layoutCacheEntries += Object.keys(c).length;
}

const PAGE = { size: 'A4' as const, margin: { top: 54, bottom: 60, left: 48, right: 48 } };

const COLOR = {
  text: '#1f2328',
  muted: '#57606a',
  rule: '#d0d7de',
  headerFill: '#eef1f4',
  zebra: '#f8f9fa',
  pass: '#1e7b34',
  fail: '#b3261e',
  review: '#9a5b00',
  na: '#57606a',
  accent: '#23395d',
};

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
/** The smallest size a word is set at to fit its column (points). */
const MIN_CELL_FONT = 4.5;
const DRIFT_COLOR: Record<DriftStatus, string> = { ok: COLOR.pass, warning: COLOR.review, alert: COLOR.fail };

interface Part {
  text: string;
  bold?: boolean;
  size?: number;
  color?: string;
}

type Cell = Part[];

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

class ReportWriter {
  readonly doc: PDFKit.PDFDocument;

  constructor(private readonly vm: ReportViewModel) {
    const created = new Date(vm.meta.createdAt);
    this.doc = new PDFDocument({
      size: PAGE.size,
      margins: PAGE.margin,
      bufferPages: true,
      autoFirstPage: true,
      lang: 'en',
      // no default Helvetica: saves parsing its AFM metrics for every document (DejaVu is set below)
      font: null as unknown as string,
      displayTitle: true,
      info: {
        Title: vm.meta.title,
        Author: 'Fairwatch',
        Subject: `Fairness audit report ${vm.meta.reportId} for ${vm.cover.modelName} ${vm.cover.modelVersion}`,
        Keywords: `report:${vm.meta.reportId} fingerprint:${vm.meta.fingerprint}`,
        Creator: `Fairwatch ${vm.meta.softwareVersion}`,
        Producer: 'Fairwatch (pdfkit)',
        CreationDate: created,
        ModDate: created,
      },
    });
    registerFonts(this.doc);
    this.doc.font(FONT).fontSize(9).fillColor(COLOR.text);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  private readonly heights = new Map<string, number>();

  private fontKey = '';

  private setFont(p: Part): void {
    this.doc.font(p.bold ? BOLD : FONT).fontSize(p.size ?? 8);
    this.fontKey = `${p.bold ? BOLD : FONT}|${p.size ?? 8}`;
  }

  /**
   * Widths of the metric columns sharing `total`: each at least as wide as its header's longest word (so a
   * header like "Selection rate" breaks between words, never inside one), the rest shared equally.
   */
  private metricColumnWidths(headers: readonly string[], total: number): number[] {
    this.setFont({ text: '', bold: true, size: 7.5 });
    const minimum = headers.map(
      (h) => Math.max(...h.split(/\s+/).map((word) => this.doc.widthOfString(word))) + 7,
    );
    const even = total / headers.length;
    const wide = minimum.filter((m) => m > even);
    const rest = headers.length - wide.length;
    const share = rest > 0 ? (total - wide.reduce((a, b) => a + b, 0)) / rest : even;
    return minimum.map((m) => (m > even ? m : share));
  }

  /** heightOfString for the font last set by setFont, memoised (tables measure each cell several times). */
  private measure(text: string, width: number): number {
    const k = `${this.fontKey}|${width}|${text}`;
    let h = this.heights.get(k);
    if (h === undefined) {
      // One line when it fits: widthOfString is much cheaper than a full line-wrapping pass.
      h =
        !text.includes('\n') && this.doc.widthOfString(text) <= width
          ? this.doc.currentLineHeight(true)
          : this.doc.heightOfString(text, { width });
      this.heights.set(k, h);
    }
    return h;
  }

  /**
   * Every word of every cell is printed: rows grow to fit their text, nothing is cut off with an ellipsis, and
   * a word wider than its column ("suppressed" in a narrow metric column) is set smaller rather than broken.
   */
  private fitted(p: Part, width: number): Part {
    const longest = p.text.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
    let size = p.size ?? 8;
    this.setFont(p);
    while (size > MIN_CELL_FONT && this.doc.fontSize(size).widthOfString(longest) > width) size -= 0.25;
    return size === (p.size ?? 8) ? p : { ...p, size };
  }

  partHeight(part: Part, width: number): number {
    const p = this.fitted(part, width);
    const t = p.text;
    this.setFont(p);
    return t === '' ? 0 : this.measure(t, width);
  }

  drawPart(part: Part, x: number, y: number, width: number, align: Column['align'] = 'left'): number {
    const p = this.fitted(part, width);
    const t = p.text;
    this.setFont(p);
    if (t === '') return 0;
    const h = this.measure(t, width);
    this.doc.fillColor(p.color ?? COLOR.text);
    if (h <= this.doc.currentLineHeight(true) + 0.01 && !t.includes('\n')) {
      // One line: place it directly instead of running pdfkit's line wrapper again (same position).
      const dx = align === 'left' ? 0 : width - this.doc.widthOfString(t.replace(/\s+$/, ''));
      this.doc.text(t, x + (align === 'center' ? dx / 2 : dx), y, { lineBreak: false });
    } else {
      this.doc.text(t, x, y, { width, align, lineBreak: true });
    }
    return h;
  }

  /** A major section: starts on a fresh page (unless the page is still empty). */
  section(text: string): void {
    if (this.doc.y > this.doc.page.margins.top + 1) this.doc.addPage();
    this.heading(text, 1);
  }

  heading(text: string, level: 1 | 2, keepWith = 90): void {
    const size = level === 1 ? 15 : 11.5;
    this.doc.font(BOLD).fontSize(size);
    const h = this.doc.heightOfString(text, { width: this.width });
    if (level === 1 && this.doc.y > this.doc.page.margins.top + 1) this.doc.moveDown(0.6);
    this.ensure(h + keepWith);
    const y = this.doc.y;
    this.doc
      .fillColor(level === 1 ? COLOR.accent : COLOR.text)
      .text(text, this.left, y, { width: this.width });
    if (level === 1) {
      const ly = this.doc.y + 2;
      this.doc
        .moveTo(this.left, ly)
        .lineTo(this.left + this.width, ly)
        .lineWidth(0.8)
        .strokeColor(COLOR.accent)
        .stroke();
      this.doc.y = ly + 6;
    } else {
      this.doc.y += 3;
    }
    this.doc.x = this.left;
  }

  paragraph(
    text: string,
    opts: { size?: number; color?: string; bold?: boolean; gap?: number; indent?: number } = {},
  ): void {
    const indent = opts.indent ?? 0;
    const p: Part = { text, size: opts.size ?? 9, color: opts.color ?? COLOR.text, bold: opts.bold ?? false };
    const h = this.partHeight(p, this.width - indent);
    this.ensure(h);
    const y = this.doc.y;
    this.drawPart(p, this.left + indent, y, this.width - indent);
    this.doc.y = y + h + (opts.gap ?? 4);
    this.doc.x = this.left;
  }

  /** A table that breaks across pages, repeating its header row. */
  table(
    columns: Column[],
    rows: Cell[][],
    opts: { headerSize?: number; zebra?: boolean; minRowsWithHeader?: number } = {},
  ): void {
    const pad = 3;
    const headerCells: Cell[] = columns.map((c) => [
      { text: c.header, bold: true, size: opts.headerSize ?? 7.5 },
    ]);
    const cellHeight = (cell: Cell, w: number): number =>
      cell.reduce((s, p) => s + this.partHeight(p, w - 2 * pad), 0) + 2 * pad;
    const rowHeight = (cells: Cell[]): number =>
      Math.max(...cells.map((cell, i) => cellHeight(cell, columns[i]?.width ?? 50)));
    const headerH = rowHeight(headerCells);
    const drawRow = (cells: Cell[], h: number, fill: string | null, isHeader: boolean): void => {
      let x = this.left;
      const y = this.doc.y;
      if (fill) this.doc.rect(this.left, y, this.width, h).fill(fill);
      cells.forEach((cell, i) => {
        const col = columns[i];
        if (!col) return;
        let cy = y + pad;
        for (const p of cell)
          cy += this.drawPart(p, x + pad, cy, col.width - 2 * pad, isHeader ? 'left' : col.align);
        x += col.width;
      });
      this.doc
        .moveTo(this.left, y + h)
        .lineTo(this.left + this.width, y + h)
        .lineWidth(isHeader ? 0.8 : 0.4)
        .strokeColor(isHeader ? COLOR.muted : COLOR.rule)
        .stroke();
      this.doc.y = y + h;
    };
    const first = rows[0];
    const keep =
      headerH + (first ? rowHeight(first) : 0) * Math.min(opts.minRowsWithHeader ?? 1, rows.length);
    this.ensure(keep);
    drawRow(headerCells, headerH, COLOR.headerFill, true);
    rows.forEach((cells, r) => {
      const h = rowHeight(cells);
      if (this.doc.y + h > this.bottom) {
        this.doc.addPage();
        drawRow(headerCells, headerH, COLOR.headerFill, true);
      }
      drawRow(cells, h, opts.zebra && r % 2 === 1 ? COLOR.zebra : null, false);
    });
    this.doc.y += 6;
    this.doc.x = this.left;
  }

  chart(chart: ChartModel | null): void {
    if (!chart) return;
    const drawn = measureChart(this.doc, chart, { regular: FONT, bold: BOLD });
    const k = Math.min(1, this.width / drawn.width);
    this.ensure(drawn.height * k + 6);
    drawn.draw(this.left, this.doc.y, k);
    this.doc.y += drawn.height * k + 8;
    this.doc.x = this.left;
    this.doc.font(FONT).fillColor(COLOR.text);
  }

  // ---- sections ----

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

  /** Thresholds by group (only for audits with scores in [0, 1] and labels): ./threshold-page.ts. */
  thresholds(): void {
    drawThresholdPage(this, this.vm.thresholds, COLOR.muted);
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
