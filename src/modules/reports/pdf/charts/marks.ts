/**
 * What is plotted, bottom to top: bands, reference rules and segments, intervals, lines, then the points
 * (clipped to the plot only when they lie outside it, so a point on the plot's edge is whole, as in Vega).
 */
import type { ChartModel, MarkShape } from '../../../../core/reports';
import type { ChartLayout } from './layout';

const DASH = { length: 4, space: 3 };
const INTERVAL_WIDTH = 1.5;
const LINE_WIDTH = 1.5;

/** A filled symbol of area `size` (square points, as Vega's `size`) centred on (x, y): path only. */
export function symbolPath(
  doc: PDFKit.PDFDocument,
  x: number,
  y: number,
  shape: MarkShape,
  size: number,
): void {
  const r = Math.sqrt(size) / 2;
  if (shape === 'square') doc.rect(x - r, y - r, 2 * r, 2 * r);
  else if (shape === 'triangle-down') {
    const h = (Math.sqrt(3) / 2) * r;
    doc.polygon([x, y + h], [x + r, y - h], [x - r, y - h]);
  } else doc.circle(x, y, r);
}

export function drawMarks(doc: PDFKit.PDFDocument, m: ChartModel, l: ChartLayout): void {
  const { left, top, width, height } = l.plot;
  const px = (v: number | string): number => left + l.x.at(v);
  const py = (v: number | string): number => top + l.y.at(v);
  doc.save();
  doc.rect(left, top, width, height).clip();
  for (const b of m.bands) {
    if (b.axis === 'x') doc.rect(px(b.from), top, px(b.to) - px(b.from), height);
    else doc.rect(left, py(b.to), width, py(b.from) - py(b.to));
    doc.fillColor(b.color).fillOpacity(0.9).fill();
  }
  doc.fillOpacity(1);
  const reference = (dashed: boolean, color: string, path: () => void): void => {
    doc.save();
    if (dashed) doc.dash(DASH.length, { space: DASH.space });
    path();
    doc.lineWidth(1).strokeColor(color).stroke();
    doc.restore();
  };
  for (const r of m.rules)
    reference(r.dashed, r.color, () =>
      r.axis === 'x'
        ? doc.moveTo(px(r.value), top).lineTo(px(r.value), top + height)
        : doc.moveTo(left, py(r.value)).lineTo(left + width, py(r.value)),
    );
  for (const s of m.segments)
    reference(s.dashed, s.color, () =>
      doc.moveTo(px(s.from[0]), py(s.from[1])).lineTo(px(s.to[0]), py(s.to[1])),
    );
  doc.lineWidth(INTERVAL_WIDTH);
  for (const s of m.series)
    for (const p of s.points) {
      if (s.intervalAxis === null || p.lo === undefined || p.hi === undefined) continue;
      if (s.intervalAxis === 'x') doc.moveTo(px(p.lo), py(p.y)).lineTo(px(p.hi), py(p.y));
      else doc.moveTo(px(p.x), py(p.lo)).lineTo(px(p.x), py(p.hi));
      doc.strokeColor(s.color).stroke();
    }
  doc.lineWidth(LINE_WIDTH).lineJoin('round').lineCap('round');
  for (const s of m.series) {
    if (!s.line || s.points.length === 0) continue;
    s.points.forEach((p, i) => (i === 0 ? doc.moveTo(px(p.x), py(p.y)) : doc.lineTo(px(p.x), py(p.y))));
    doc.strokeColor(s.color).stroke();
  }
  doc.restore();
  const size = m.series.some((s) => s.line) ? 25 : 50;
  const dots = m.series.flatMap((s) => s.points.map((p) => ({ x: px(p.x), y: py(p.y), s })));
  const inside = (d: { x: number; y: number }): boolean =>
    d.x >= left - 0.5 && d.x <= left + width + 0.5 && d.y >= top - 0.5 && d.y <= top + height + 0.5;
  const draw = (list: typeof dots): void => {
    for (const d of list) {
      symbolPath(doc, d.x, d.y, d.s.shape, size);
      doc.fillColor(d.s.color).fillOpacity(1).fill();
    }
  };
  draw(dots.filter(inside));
  const outside = dots.filter((d) => !inside(d));
  if (outside.length > 0) {
    doc.save();
    doc.rect(left, top, width, height).clip();
    draw(outside);
    doc.restore();
  }
  doc.fillOpacity(1).strokeOpacity(1).lineCap('butt').lineJoin('miter');
}
