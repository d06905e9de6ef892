/**
 * The report's charts as data: what is plotted, on which axes, with which bands, reference lines, marks and
 * legend. Built in core from already-suppressed view data (groups whose values must not be shown are never in
 * a chart, only named in its subtitle), drawn directly by the PDF renderer (modules/reports/pdf/charts) and
 * converted to Vega-Lite for the console (toVegaLite). Plain JSON: it is stored with the report's content.
 *
 * Positions are in data units; sizes (width, height) are the plot area in points. Tick positions of a linear
 * axis without explicit `ticks` are the renderer's choice (d3's ticks, about one per 40 points, as Vega).
 */

export type ChartKind = 'disparity' | 'timeline' | 'reliability' | 'threshold' | 'decile';

export type MarkShape = 'circle' | 'square' | 'triangle-down';

export interface LinearAxis {
  type: 'linear';
  title: string | null;
  /** The data range shown, before `nice`. */
  domain: [number, number];
  /** Extend the domain to round tick values (d3's and Vega's nice). */
  nice: boolean;
  /** Tick values; when absent the renderer picks them. */
  ticks?: number[];
  /** Gridlines at the ticks. */
  grid: boolean;
}

export interface CategoryAxis {
  type: 'category';
  title: string | null;
  /** The categories, in the order drawn (top to bottom on y, left to right on x). */
  values: string[];
  /** Label rotation in degrees (negative: counter-clockwise, as Vega). */
  labelAngle: number;
}

export type ChartAxis = LinearAxis | CategoryAxis;

export interface ChartPoint {
  /** A number on a linear axis, a category on a category axis. */
  x: number | string;
  y: number | string;
  /** The point's interval along the series' `intervalAxis`. */
  lo?: number;
  hi?: number;
}

export interface ChartSeries {
  label: string;
  color: string;
  shape: MarkShape;
  /** Join the points with a line (in the order given). */
  line: boolean;
  /** Draw each point's lo–hi interval along this axis. */
  intervalAxis: 'x' | 'y' | null;
  points: ChartPoint[];
}

/** A shaded range across the plot, e.g. the fairness band. */
export interface ChartBand {
  axis: 'x' | 'y';
  from: number;
  to: number;
  color: string;
}

/** A reference line across the plot at one value (e.g. parity at 1). */
export interface ChartRule {
  axis: 'x' | 'y';
  value: number;
  color: string;
  dashed: boolean;
}

/** A reference line between two points in data units (e.g. the diagonal of perfect calibration). */
export interface ChartSegment {
  from: [number, number];
  to: [number, number];
  color: string;
  dashed: boolean;
}

export interface LegendEntry {
  label: string;
  color: string;
  shape: MarkShape;
}

export interface ChartModel {
  kind: ChartKind;
  title: string;
  subtitle: string[];
  /** What the chart shows, in words (screen readers; the PDF's alternative text). */
  description: string;
  width: number;
  height: number;
  x: ChartAxis;
  y: ChartAxis;
  bands: ChartBand[];
  rules: ChartRule[];
  segments: ChartSegment[];
  series: ChartSeries[];
  legend: LegendEntry[];
}

/** The status colours of the disparity chart. */
export const STATUS_COLORS = { within: '#2e7d32', outside: '#c62828', reference: '#546e7a' } as const;
export const BAND_COLOR = '#e8f5e9';
export const RULE_COLOR = '#424242';
/** Vega's tableau10 scheme, for one colour per group. */
export const TABLEAU10 = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
] as const;

/** The i-th tableau10 colour (cycling). */
export function seriesColor(i: number): string {
  return TABLEAU10[i % TABLEAU10.length] ?? TABLEAU10[0];
}

/** "Prefix: a, b, c" split into lines of at most `max` characters. */
export function wrapList(prefix: string, items: readonly string[], max = 90): string[] {
  const lines: string[] = [];
  let line = `${prefix}: `;
  items.forEach((item, i) => {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + piece.length > max && line.trim().length > 0 && !line.endsWith(': ')) {
      lines.push(line.trimEnd());
      line = '  ';
    }
    line += `${piece} `;
  });
  lines.push(line.trimEnd());
  return lines;
}
