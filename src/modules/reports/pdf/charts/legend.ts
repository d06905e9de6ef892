/** The legend row under the plot: a symbol and a label per entry, left to right. */
import type { ChartModel } from '../../../../core/reports';
import { LEGEND, STYLE } from './layout';
import type { ChartLayout } from './layout';
import { symbolPath } from './marks';
import type { ChartText } from './text';

export function drawLegend(doc: PDFKit.PDFDocument, m: ChartModel, l: ChartLayout, text: ChartText): void {
  if (!l.legend) return;
  const y = l.legend.y;
  m.legend.forEach((e, i) => {
    const x = l.legend?.labels[i]?.x ?? 0;
    symbolPath(doc, x + 5, y, e.shape, LEGEND.symbolSize);
    doc.fillColor(e.color).fillOpacity(1).fill();
    text.draw({
      s: e.label,
      x: x + LEGEND.symbol,
      y,
      style: STYLE.legend,
      color: '#000000',
      align: 'left',
      baseline: 'middle',
    });
  });
}
