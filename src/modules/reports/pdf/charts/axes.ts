/** Gridlines under the marks; axis lines and ticks over them (Vega's defaults: grey, 5-point ticks). */
import type { ChartModel } from '../../../../core/reports';
import { AXIS } from './layout';
import type { ChartLayout } from './layout';

const hasGrid = (axis: ChartModel['x']): boolean => axis.type === 'linear' && axis.grid;

export function drawGrid(doc: PDFKit.PDFDocument, m: ChartModel, l: ChartLayout): void {
  const { left, top, width, height } = l.plot;
  doc.lineWidth(1).strokeColor(AXIS.grid).strokeOpacity(1);
  if (hasGrid(m.x))
    for (const t of l.x.ticks) doc.moveTo(left + l.x.at(t), top).lineTo(left + l.x.at(t), top + height);
  if (hasGrid(m.y))
    for (const t of l.y.ticks) doc.moveTo(left, top + l.y.at(t)).lineTo(left + width, top + l.y.at(t));
  if (hasGrid(m.x) || hasGrid(m.y)) doc.stroke();
}

export function drawAxes(doc: PDFKit.PDFDocument, l: ChartLayout): void {
  const { left, top, width, height } = l.plot;
  const bottom = top + height;
  doc.lineWidth(1).strokeColor(AXIS.domain).strokeOpacity(1);
  doc.moveTo(left, bottom + 0.5).lineTo(left + width, bottom + 0.5);
  doc.moveTo(left - 0.5, top).lineTo(left - 0.5, bottom);
  for (const t of l.x.ticks)
    doc.moveTo(left + l.x.at(t), bottom).lineTo(left + l.x.at(t), bottom + AXIS.tickSize);
  for (const t of l.y.ticks) doc.moveTo(left - AXIS.tickSize, top + l.y.at(t)).lineTo(left, top + l.y.at(t));
  doc.stroke();
}
