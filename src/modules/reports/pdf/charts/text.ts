/** Measuring and placing chart text with pdfkit (widths cached per font, size and string). */

export interface ChartFonts {
  regular: string;
  bold: string;
}

export interface TextStyle {
  size: number;
  bold: boolean;
}

/** A string placed in chart coordinates. */
export interface PlacedText {
  s: string;
  x: number;
  y: number;
  style: TextStyle;
  color: string;
  align: 'left' | 'right' | 'center';
  baseline: 'top' | 'middle';
  /** Rotation in degrees about (x, y); -90 reads bottom to top. */
  angle?: number;
}

export class ChartText {
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly fonts: ChartFonts,
  ) {}

  private use(style: TextStyle): PDFKit.PDFDocument {
    return this.doc.font(style.bold ? this.fonts.bold : this.fonts.regular).fontSize(style.size);
  }

  width(s: string, style: TextStyle): number {
    const key = `${style.bold ? 1 : 0}|${style.size}|${s}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.use(style).widthOfString(s);
      this.widths.set(key, w);
    }
    return w;
  }

  /** `s`, cut with an ellipsis to at most `max` points wide. */
  limit(s: string, style: TextStyle, max: number): string {
    if (this.width(s, style) <= max) return s;
    let t = s;
    while (t.length > 1 && this.width(`${t}…`, style) > max) t = t.slice(0, -1);
    return `${t.trimEnd()}…`;
  }

  draw(t: PlacedText): void {
    const w = this.width(t.s, t.style);
    const dx = t.align === 'right' ? -w : t.align === 'center' ? -w / 2 : 0;
    this.use(t.style).fillColor(t.color).fillOpacity(1);
    if (t.angle) {
      this.doc.save().translate(t.x, t.y).rotate(t.angle);
      // a vertical title hangs from its anchor; a slanted label is centred on its anchor's line
      const dy = t.angle === -90 ? 0 : -t.style.size * 0.55;
      this.doc.text(t.s, dx, dy, { lineBreak: false, baseline: t.angle === -90 ? 'top' : t.baseline });
      this.doc.restore();
    } else {
      this.doc.text(t.s, t.x + dx, t.y, { lineBreak: false, baseline: t.baseline });
    }
  }
}
