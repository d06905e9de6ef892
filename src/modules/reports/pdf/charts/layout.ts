/**
 * Where everything of a chart goes, in chart coordinates (points, origin top left): title and subtitle lines,
 * the plot box, axis labels and titles, the legend row, and the chart's overall size. Sizes follow the
 * console's Vega-Lite config (to-vega-lite.ts) and Vega's axis defaults, so both look alike.
 */
import type { ChartAxis, ChartModel } from '../../../../core/reports';
import { axisScale } from './scales';
import type { AxisScale } from './scales';
import type { ChartText, PlacedText, TextStyle } from './text';

export const STYLE = {
  title: { size: 11, bold: true },
  subtitle: { size: 9, bold: false },
  label: { size: 9, bold: false },
  axisTitle: { size: 10, bold: true },
  legend: { size: 9, bold: false },
} satisfies Record<string, TextStyle>;

/** Vega's axis defaults. */
export const AXIS = {
  domain: '#888888',
  tick: '#888888',
  grid: '#dddddd',
  label: '#000000',
  tickSize: 5,
  labelPadding: 2,
  titlePadding: 4,
  labelLimit: 180,
};
const PAD = 5;
const LEGEND_SYMBOL = 14;
const LEGEND_GAP = 12;

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ChartLayout {
  plot: Plot;
  x: AxisScale;
  y: AxisScale;
  /** All text but the legend's. */
  texts: PlacedText[];
  legend: { x: number; y: number; labels: { label: string; x: number }[] } | null;
  width: number;
  height: number;
}

interface Label {
  t: number | string;
  s: string;
  at: number;
}

/** A label's slant in radians (0 for horizontal labels). */
const slant = (axis: ChartAxis): number =>
  axis.type === 'category' ? (Math.abs(axis.labelAngle) * Math.PI) / 180 : 0;

export function layoutChart(m: ChartModel, text: ChartText): ChartLayout {
  const W = m.width;
  const H = m.height;
  const x = axisScale(m.x, W, false);
  const y = axisScale(m.y, H, true);
  const label = (axis: ChartAxis, scale: AxisScale, t: number | string): string =>
    axis.type === 'category' ? text.limit(scale.label(t), STYLE.label, AXIS.labelLimit) : scale.label(t);

  // x labels: drop every other one while they overlap (Vega's "parity" strategy)
  const rad = slant(m.x);
  const extent = (s: string): number =>
    text.width(s, STYLE.label) * Math.cos(rad) + STYLE.label.size * Math.sin(rad);
  let xLabels: Label[] = x.ticks.map((t) => ({ t, s: label(m.x, x, t), at: x.at(t) }));
  const overlaps = (ls: Label[]): boolean =>
    ls.some((l, i) => {
      const n = ls[i + 1];
      if (!n) return false;
      // slanted labels end at their tick, horizontal ones are centred on it
      return rad > 0
        ? n.at - extent(n.s) < l.at
        : n.at - text.width(n.s, STYLE.label) / 2 < l.at + text.width(l.s, STYLE.label) / 2 + 1;
    });
  while (xLabels.length > 2 && overlaps(xLabels)) xLabels = xLabels.filter((_l, i) => i % 2 === 0);

  // top to bottom: title, subtitle, plot, x labels, x title, legend
  let cy = PAD;
  const texts: PlacedText[] = [
    { s: m.title, x: PAD, y: cy, style: STYLE.title, color: '#000000', align: 'left', baseline: 'top' },
  ];
  cy += STYLE.title.size * 1.2;
  m.subtitle.forEach((s, i) => {
    const at = cy + (i === 0 ? 2 : 0);
    texts.push({ s, x: PAD, y: at, style: STYLE.subtitle, color: '#000000', align: 'left', baseline: 'top' });
    cy = at + STYLE.subtitle.size * 1.2;
  });
  const top = cy + 8;
  const yLabels = y.ticks.map((t) => ({ s: label(m.y, y, t), at: y.at(t) }));
  const yLabelW = Math.max(0, ...yLabels.map((l) => text.width(l.s, STYLE.label)));
  const yTitleW = m.y.title ? STYLE.axisTitle.size * 1.2 + AXIS.titlePadding : 0;
  let left = PAD + yTitleW + yLabelW + AXIS.tickSize + AXIS.labelPadding;
  // slanted x labels hang left of their tick
  if (rad > 0) for (const l of xLabels) left = Math.max(left, PAD + extent(l.s) - l.at);
  const bottom = top + H;
  const labelTop = bottom + AXIS.tickSize + AXIS.labelPadding;
  const xLabelH =
    rad > 0
      ? Math.max(
          0,
          ...xLabels.map(
            (l) => text.width(l.s, STYLE.label) * Math.sin(rad) + STYLE.label.size * Math.cos(rad),
          ),
        )
      : STYLE.label.size * 1.2;
  cy = labelTop + xLabelH;
  for (const l of yLabels)
    texts.push({
      s: l.s,
      x: left - AXIS.tickSize - AXIS.labelPadding,
      y: top + l.at,
      style: STYLE.label,
      color: AXIS.label,
      align: 'right',
      baseline: 'middle',
    });
  for (const l of xLabels)
    texts.push({
      s: l.s,
      x: left + l.at,
      y: labelTop,
      style: STYLE.label,
      color: AXIS.label,
      align: rad > 0 ? 'right' : 'center',
      baseline: 'top',
      ...(rad > 0 ? { angle: -Math.abs(m.x.type === 'category' ? m.x.labelAngle : 0) } : {}),
    });
  if (m.x.title) {
    const at = cy + AXIS.titlePadding;
    texts.push({
      s: m.x.title,
      x: left + W / 2,
      y: at,
      style: STYLE.axisTitle,
      color: '#000000',
      align: 'center',
      baseline: 'top',
    });
    cy = at + STYLE.axisTitle.size * 1.2;
  }
  if (m.y.title)
    texts.push({
      s: m.y.title,
      x: PAD,
      y: top + H / 2,
      style: STYLE.axisTitle,
      color: '#000000',
      align: 'center',
      baseline: 'top',
      angle: -90,
    });

  let legend: ChartLayout['legend'] = null;
  let legendW = 0;
  if (m.legend.length > 0) {
    const ly = cy + 10 + STYLE.legend.size * 0.75;
    const labels = m.legend.map((e) => {
      const at = left + legendW;
      legendW += LEGEND_SYMBOL + text.width(e.label, STYLE.legend) + LEGEND_GAP;
      return { label: e.label, x: at };
    });
    legend = { x: left, y: ly, labels };
    cy += 10 + STYLE.legend.size * 1.5;
  }
  const lastX = xLabels[xLabels.length - 1];
  const overhang = rad === 0 && lastX ? Math.max(0, lastX.at + text.width(lastX.s, STYLE.label) / 2 - W) : 0;
  const contentW = Math.max(
    left + W + overhang,
    ...texts.filter((t) => t.align === 'left').map((t) => t.x + text.width(t.s, t.style)),
    left + legendW,
  );
  return {
    plot: { left, top, width: W, height: H },
    x,
    y,
    texts,
    legend,
    width: contentW + PAD,
    height: cy + PAD,
  };
}

/** Where the legend's symbol and label sit, given its row. */
export const LEGEND = { symbol: LEGEND_SYMBOL, symbolSize: 64 };
