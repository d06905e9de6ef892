/**
 * A chart model as a Vega-Lite spec, for the console (vega-embed). Pure and self-contained: data inline, no
 * URLs. Layers, bottom to top: bands, rules, segments, intervals, lines, points; one colour and shape per
 * series (the legend's entries when it has any).
 */
import type { ChartAxis, ChartModel, ChartSeries } from './model';

/** A Vega-Lite spec: kept loose so core needs no vega-lite types. */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const CONFIG = {
  font: 'sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 9, titleFontSize: 10, labelLimit: 180 },
  legend: { labelFontSize: 9, titleFontSize: 9, orient: 'bottom' },
  title: { fontSize: 11, subtitleFontSize: 9, anchor: 'start' },
};

type Channel = 'x' | 'y';

function encodeAxis(axis: ChartAxis, field: string): Record<string, unknown> {
  if (axis.type === 'category')
    return {
      field,
      type: 'ordinal',
      sort: axis.values,
      scale: { domain: axis.values },
      title: axis.title,
      axis: { labelAngle: axis.labelAngle, labelLimit: 180 },
    };
  return {
    field,
    type: 'quantitative',
    scale: { domain: axis.domain, nice: axis.nice, zero: false },
    title: axis.title,
    axis: { grid: axis.grid, ...(axis.ticks ? { values: axis.ticks } : {}) },
  };
}

/** Colour and shape by series, in series order; the legend only when the model has one. */
function seriesEncoding(chart: ChartModel): Record<string, unknown> {
  const domain = chart.series.map((s) => s.label);
  const legend = chart.legend.length > 0 ? { title: null } : null;
  return {
    color: {
      field: 'series',
      type: 'nominal',
      scale: { domain, range: chart.series.map((s) => s.color) },
      legend,
    },
    shape: {
      field: 'series',
      type: 'nominal',
      scale: { domain, range: chart.series.map((s) => s.shape) },
      legend,
    },
  };
}

function rows(series: readonly ChartSeries[]): Record<string, unknown>[] {
  return series.flatMap((s) =>
    s.points.map((p, order) => ({
      series: s.label,
      x: p.x,
      y: p.y,
      order,
      ...(p.lo !== undefined && p.hi !== undefined ? { lo: p.lo, hi: p.hi } : {}),
    })),
  );
}

export function toVegaLite(chart: ChartModel): VegaLiteSpec {
  const x = encodeAxis(chart.x, 'x');
  const y = encodeAxis(chart.y, 'y');
  const axisOf = (c: Channel): Record<string, unknown> => (c === 'x' ? x : y);
  const { color, shape } = seriesEncoding(chart) as { color: unknown; shape: unknown };
  const layer: Record<string, unknown>[] = [];
  for (const b of chart.bands) {
    const c = b.axis;
    layer.push({
      data: { values: [{ from: b.from, to: b.to }] },
      mark: { type: 'rect', color: b.color, opacity: 0.9 },
      encoding: { [c]: { ...axisOf(c), field: 'from' }, [`${c}2`]: { field: 'to' } },
    });
  }
  for (const r of chart.rules)
    layer.push({
      data: { values: [{ value: r.value }] },
      mark: { type: 'rule', color: r.color, ...(r.dashed ? { strokeDash: [4, 3] } : {}) },
      encoding: { [r.axis]: { ...axisOf(r.axis), field: 'value' } },
    });
  for (const s of chart.segments)
    layer.push({
      data: {
        values: [
          { x: s.from[0], y: s.from[1] },
          { x: s.to[0], y: s.to[1] },
        ],
      },
      mark: { type: 'line', color: s.color, strokeWidth: 1, ...(s.dashed ? { strokeDash: [4, 3] } : {}) },
      encoding: { x, y },
    });
  for (const c of ['x', 'y'] as const) {
    const withIntervals = chart.series.filter((s) => s.intervalAxis === c);
    const values = rows(withIntervals).filter((r) => r.lo !== undefined);
    if (values.length === 0) continue;
    const other: Channel = c === 'x' ? 'y' : 'x';
    layer.push({
      data: { values },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: {
        [c]: { ...axisOf(c), field: 'lo' },
        [`${c}2`]: { field: 'hi' },
        [other]: axisOf(other),
        color,
      },
    });
  }
  const lined = chart.series.filter((s) => s.line);
  if (lined.length > 0)
    layer.push({
      data: { values: rows(lined) },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
    });
  layer.push({
    data: { values: rows(chart.series) },
    mark: { type: 'point', filled: true, size: lined.length > 0 ? 25 : 50, opacity: 1 },
    encoding: {
      x,
      y,
      color,
      shape,
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: chart.title, ...(chart.subtitle.length > 0 ? { subtitle: chart.subtitle } : {}) },
    description: chart.description,
    width: chart.width,
    height: chart.height,
    config: CONFIG,
    layer,
  };
}
