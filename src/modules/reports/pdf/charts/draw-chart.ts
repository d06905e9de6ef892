/**
 * A chart model drawn with pdfkit's vector API: measured first (so the page can make room), then drawn at a
 * position and scale. Nothing is parsed or converted: the model says what to draw.
 */
import type { ChartModel } from '../../../../core/reports';
import { drawAxes, drawGrid } from './axes';
import { layoutChart } from './layout';
import { drawLegend } from './legend';
import { drawMarks } from './marks';
import { ChartText } from './text';
import type { ChartFonts } from './text';

export type { ChartFonts } from './text';

export interface DrawnChart {
  width: number;
  height: number;
  /** Draws at (x, y), scaled by `scale` (≤ 1 when the page is narrower than the chart). */
  draw(x: number, y: number, scale: number): void;
}

export function measureChart(doc: PDFKit.PDFDocument, m: ChartModel, fonts: ChartFonts): DrawnChart {
  const text = new ChartText(doc, fonts);
  const layout = layoutChart(m, text);
  const draw = (x: number, y: number, scale: number): void => {
    const sx = doc.x;
    const sy = doc.y;
    doc.save();
    doc.translate(x, y);
    if (scale !== 1) doc.scale(scale);
    drawGrid(doc, m, layout);
    drawMarks(doc, m, layout);
    drawAxes(doc, layout);
    drawLegend(doc, m, layout, text);
    for (const t of layout.texts) text.draw(t);
    doc.restore();
    doc.x = sx;
    doc.y = sy;
  };
  return { width: layout.width, height: layout.height, draw };
}
