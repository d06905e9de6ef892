/**
 * PdfWriter: the layout primitives of a report page (headings, paragraphs, tables that break across pages,
 * charts), on one pdfkit document. The report's sections (render-report-pdf.ts) are written with them.
 */
import PDFDocument from 'pdfkit';
import type { ChartModel, ReportViewModel } from '../../../core/reports';
import { measureChart } from './charts';
import { BOLD, FONT, registerFonts } from './fonts';

export const PAGE = { size: 'A4' as const, margin: { top: 54, bottom: 60, left: 48, right: 48 } };

export const COLOR = {
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

/** The smallest size a word is set at to fit its column (points). */
const MIN_CELL_FONT = 4.5;

export interface Part {
  text: string;
  bold?: boolean;
  size?: number;
  color?: string;
}

export type Cell = Part[];

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;

  constructor(protected readonly vm: ReportViewModel) {
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

  protected readonly heights = new Map<string, number>();

  protected fontKey = '';

  protected setFont(p: Part): void {
    this.doc.font(p.bold ? BOLD : FONT).fontSize(p.size ?? 8);
    this.fontKey = `${p.bold ? BOLD : FONT}|${p.size ?? 8}`;
  }

  /**
   * Widths of the metric columns sharing `total`: each at least as wide as its header's longest word (so a
   * header like "Selection rate" breaks between words, never inside one), the rest shared equally.
   */
  protected metricColumnWidths(headers: readonly string[], total: number): number[] {
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
  protected measure(text: string, width: number): number {
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
  protected fitted(p: Part, width: number): Part {
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
}
