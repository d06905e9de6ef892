/**
 * The report's two chart shapes, drawn straight with pdfkit's vector API from the vega-lite spec itself:
 *
 * - disparity (chart-specs disparityChartSpec): a shaded band, a dashed rule, one interval + dot per group;
 * - timeline (chart-specs timelineChartSpec): optional shaded band, one line with points per group over audits.
 *
 * The spec stays the source of truth (the web console renders the same spec with vega-embed): every value,
 * domain, colour, shape, title, axis title and format drawn here is read from the spec, and the scales follow
 * vega's defaults (d3 ticks/nice, ceil(size/40) ticks, point scales with padding 0.5, ascending nominal
 * domains, tableau10). `readChart` recognises the two shapes strictly; anything else returns null and the
 * caller falls back to vega → SVG → svg-to-pdfkit.
 *
 * Why: vega parse + dataflow + toSVG and svg-to-pdfkit's SVG parsing took ~55% of a render, and importing
 * vega alone took seconds on the first render.
 */
import type { VegaLiteSpec } from '../../../core/reports';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const obj = (v: unknown): Json => (isObj(v) ? v : {});
const keysWithin = (o: Json, allowed: string[]): boolean => Object.keys(o).every((k) => allowed.includes(k));

/** vega's tableau10 scheme. */
const TABLEAU10 = [
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
];
/** vega's axis defaults. */
const AXIS = {
  domain: '#888888',
  tick: '#888888',
  grid: '#dddddd',
  label: '#000000',
  tickSize: 5,
  labelPadding: 2,
  titlePadding: 4,
};
const PAD = 5;

// ---- d3-array ticks / nice (same arithmetic as d3, so the ticks match vega's) ----

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

function tickSpec(start: number, stop: number, count: number): [number, number, number] {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / Math.pow(10, power);
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  let i1: number;
  let i2: number;
  let inc: number;
  if (power < 0) {
    inc = Math.pow(10, -power) / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = Math.pow(10, power) * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count && count < 2) return tickSpec(start, stop, count * 2);
  return [i1, i2, inc];
}

function ticks(start: number, stop: number, count: number): number[] {
  if (!(count > 0) || !(stop > start)) return [start];
  const [i1, i2, inc] = tickSpec(start, stop, count);
  const out: number[] = [];
  for (let i = i1; i <= i2; i++) out.push(inc < 0 ? i / -inc : i * inc);
  return out;
}

function tickStep(start: number, stop: number, count: number): number {
  const inc = tickSpec(start, stop, count)[2];
  return inc < 0 ? 1 / -inc : inc;
}

function nice(start: number, stop: number, count = 10): [number, number] {
  let prev: number | undefined;
  for (let k = 0; k < 10 && stop > start; k++) {
    const step = tickSpec(start, stop, count)[2];
    if (step === prev) break;
    if (step > 0) {
      start = Math.floor(start / step) * step;
      stop = Math.ceil(stop / step) * step;
    } else if (step < 0) {
      start = Math.ceil(start * step) / step;
      stop = Math.floor(stop * step) / step;
    } else break;
    prev = step;
  }
  return [start, stop];
}

/** d3's tickFormat for a linear scale: fixed precision from the tick step. */
function numberFormat(start: number, stop: number, count: number): (v: number) => string {
  const step = tickStep(start, stop, count);
  const digits = Math.max(0, -Math.floor(Math.log10(Math.abs(step)) + 1e-12));
  return (v) => v.toFixed(digits);
}

// ---- time (UTC; the spec's dates are calendar days "YYYY-MM-DD") ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;

/** The d3-time-format directives the report's specs use; null when the format has any other directive. */
function timeFormat(format: string): ((t: number) => string) | null {
  if (/%[^dbBYmey%]/.test(format)) return null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (t) => {
    const d = new Date(t);
    return format.replace(/%([dbBYmey%])/g, (_m, c: string) => {
      switch (c) {
        case 'd':
          return pad(d.getUTCDate());
        case 'e':
          return String(d.getUTCDate()).padStart(2, ' ');
        case 'b':
          return MONTHS[d.getUTCMonth()] ?? '';
        case 'B':
          return new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(d);
        case 'Y':
          return String(d.getUTCFullYear());
        case 'y':
          return pad(d.getUTCFullYear() % 100);
        case 'm':
          return pad(d.getUTCMonth() + 1);
        default:
          return '%';
      }
    });
  };
}

/** Calendar ticks like d3's scaleUtc().ticks(count): the interval whose length is closest to span/count. */
function timeTicks(start: number, stop: number, count: number): number[] {
  const intervals: { ms: number; step: (t: number) => number; floor: (t: number) => number }[] = [];
  const days = (n: number) => ({
    ms: n * DAY,
    floor: (t: number) => Math.floor(t / DAY / n) * DAY * n,
    step: (t: number) => t + n * DAY,
  });
  const months = (n: number) => ({
    ms: n * 30 * DAY,
    floor: (t: number) => {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / n) * n, 1);
    },
    step: (t: number) => {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
    },
  });
  intervals.push(
    days(1),
    days(2),
    { ...days(7), floor: (t) => t - ((new Date(t).getUTCDay() * DAY + (t % DAY)) % (7 * DAY)) },
    months(1),
    months(3),
  );
  const target = (stop - start) / Math.max(1, count);
  let best = intervals[0] ?? days(1);
  for (const iv of intervals) if (Math.abs(iv.ms - target) < Math.abs(best.ms - target)) best = iv;
  if (target > 120 * DAY) {
    const years = Math.max(1, tickStep(start / (365 * DAY), stop / (365 * DAY), count) | 0);
    best = {
      ms: years * 365 * DAY,
      floor: (t) => Date.UTC(Math.floor(new Date(t).getUTCFullYear() / years) * years, 0, 1),
      step: (t) => Date.UTC(new Date(t).getUTCFullYear() + years, 0, 1),
    };
  }
  const out: number[] = [];
  let t = best.floor(start);
  if (t < start) t = best.step(t);
  for (; t <= stop && out.length < 500; t = best.step(t)) out.push(t);
  return out;
}

// ---- the chart model read from the spec ----

interface TextStyle {
  size: number;
  bold: boolean;
}

interface Scale {
  /** value → position along the axis, 0..length */
  (v: number | string): number;
}

interface AxisModel {
  ticks: (number | string)[];
  label: (v: number | string) => string;
  title: string | null;
  grid: boolean;
  labelAngle: number;
  labelOverlap: boolean;
}

interface LegendEntry {
  label: string;
  color: string;
  shape: string;
  opacity: number;
}

interface Band {
  lo: number;
  hi: number;
  color: string;
  opacity: number;
}

interface BaseModel {
  title: string;
  subtitle: string[];
  width: number;
  height: number;
  titleSize: number;
  subtitleSize: number;
  labelSize: number;
  labelLimit: number;
  axisTitleSize: number;
  legendSize: number;
  legend: LegendEntry[];
}

interface DisparityModel extends BaseModel {
  kind: 'disparity';
  domain: [number, number];
  xTitle: string | null;
  band: Band;
  rule: { value: number; color: string; dash: number[] | null };
  groups: string[];
  rows: { group: string; value: number; lo: number; hi: number; color: string; shape: string }[];
  intervalWidth: number;
  point: { size: number; opacity: number; filled: boolean };
}

interface TimelineModel extends BaseModel {
  kind: 'timeline';
  band: Band | null;
  x:
    | {
        type: 'temporal';
        domain: [number, number];
        format: (t: number) => string;
        labelAngle: number;
        labelOverlap: boolean;
      }
    | { type: 'ordinal'; values: string[]; labelAngle: number };
  xTitle: string | null;
  y: { domain: [number, number] };
  yTitle: string | null;
  series: { group: string; color: string; points: { x: number | string; y: number }[] }[];
  strokeWidth: number;
  point: { size: number; opacity: number } | null;
}

export type ChartModel = DisparityModel | TimelineModel;

function readBase(spec: Json): BaseModel | null {
  const title = obj(spec.title);
  const text = title.text;
  if (!isStr(text)) return null;
  const sub = title.subtitle;
  const subtitle =
    sub === undefined ? [] : Array.isArray(sub) && sub.every(isStr) ? sub : isStr(sub) ? [sub] : null;
  if (!subtitle) return null;
  if (!keysWithin(title, ['text', 'subtitle'])) return null;
  if (!isNum(spec.width) || !isNum(spec.height)) return null;
  const config = obj(spec.config);
  if (!keysWithin(config, ['font', 'view', 'axis', 'legend', 'title'])) return null;
  const axis = obj(config.axis);
  const legend = obj(config.legend);
  const t = obj(config.title);
  if (legend.orient !== undefined && legend.orient !== 'bottom') return null;
  if (t.anchor !== undefined && t.anchor !== 'start') return null;
  const n = (v: unknown, d: number): number => (isNum(v) ? v : d);
  return {
    title: text,
    subtitle,
    width: spec.width,
    height: spec.height,
    titleSize: n(t.fontSize, 13),
    subtitleSize: n(t.subtitleFontSize, 10),
    labelSize: n(axis.labelFontSize, 10),
    labelLimit: n(axis.labelLimit, 180),
    axisTitleSize: n(axis.titleFontSize, 11),
    legendSize: n(legend.labelFontSize, 10),
    legend: [],
  };
}

function ordinalRange(scale: Json): ((v: string) => string | undefined) | null {
  const domain = scale.domain;
  const range = scale.range;
  if (!Array.isArray(domain) || !Array.isArray(range) || !domain.every(isStr) || !range.every(isStr))
    return null;
  return (v) => {
    const i = domain.indexOf(v);
    return i < 0 ? undefined : range[i % range.length];
  };
}

function readDisparity(spec: Json, base: BaseModel): DisparityModel | null {
  const layers = spec.layer;
  if (
    !Array.isArray(layers) ||
    layers.length !== 4 ||
    !keysWithin(spec, ['$schema', 'title', 'width', 'height', 'config', 'data', 'layer'])
  )
    return null;
  const [bandL, ruleL, ciL, ptL] = layers.map(obj) as [Json, Json, Json, Json];
  const values = obj(spec.data).values;
  if (!Array.isArray(values)) return null;
  // band: rect over x/x2 from its own single datum
  const bandMark = obj(bandL.mark);
  const bandEnc = obj(bandL.encoding);
  const bandDatum = obj((obj(bandL.data).values as unknown[] | undefined)?.[0]);
  const bx = obj(bandEnc.x);
  const bx2 = obj(bandEnc.x2);
  const xScale = obj(bx.scale);
  const domain = xScale.domain;
  if (
    bandMark.type !== 'rect' ||
    !keysWithin(bandEnc, ['x', 'x2']) ||
    !isStr(bx.field) ||
    !isStr(bx2.field) ||
    bx.type !== 'quantitative'
  )
    return null;
  if (
    !Array.isArray(domain) ||
    domain.length !== 2 ||
    !isNum(domain[0]) ||
    !isNum(domain[1]) ||
    xScale.nice !== false
  )
    return null;
  const lo = bandDatum[bx.field];
  const hi = bandDatum[bx2.field];
  if (!isNum(lo) || !isNum(hi)) return null;
  // reference rule
  const ruleMark = obj(ruleL.mark);
  const ruleEnc = obj(ruleL.encoding);
  const rx = obj(ruleEnc.x);
  const ruleDatum = obj((obj(ruleL.data).values as unknown[] | undefined)?.[0]);
  const ruleValue = isStr(rx.field) ? ruleDatum[rx.field] : undefined;
  if (ruleMark.type !== 'rule' || !keysWithin(ruleEnc, ['x']) || !isNum(ruleValue)) return null;
  const dash = ruleMark.strokeDash;
  // intervals
  const ciMark = obj(ciL.mark);
  const ciEnc = obj(ciL.encoding);
  if (ciMark.type !== 'rule' || ciL.data !== undefined || !keysWithin(ciEnc, ['x', 'x2', 'y', 'color']))
    return null;
  // points
  const ptMark = obj(ptL.mark);
  const ptEnc = obj(ptL.encoding);
  if (ptMark.type !== 'point' || ptL.data !== undefined || !keysWithin(ptEnc, ['x', 'y', 'color', 'shape']))
    return null;
  const y = obj(ptEnc.y);
  const ciY = obj(ciEnc.y);
  const sort = y.sort;
  if (
    !isStr(y.field) ||
    y.type !== 'nominal' ||
    ciY.field !== y.field ||
    !Array.isArray(sort) ||
    !sort.every(isStr)
  )
    return null;
  const fx = obj(ptEnc.x).field;
  const flo = obj(ciEnc.x).field;
  const fhi = obj(ciEnc.x2).field;
  const color = obj(ptEnc.color);
  const shape = obj(ptEnc.shape);
  const ciColor = obj(ciEnc.color);
  if (
    !isStr(fx) ||
    !isStr(flo) ||
    !isStr(fhi) ||
    !isStr(color.field) ||
    shape.field !== color.field ||
    ciColor.field !== color.field
  )
    return null;
  const colorOf = ordinalRange(obj(color.scale));
  const shapeOf = ordinalRange(obj(shape.scale));
  const ciColorOf = ordinalRange(obj(ciColor.scale));
  if (!colorOf || !shapeOf || !ciColorOf) return null;
  const rows: DisparityModel['rows'] = [];
  for (const raw of values) {
    const d = obj(raw);
    const group = d[y.field];
    const v = d[fx];
    const l = d[flo];
    const h = d[fhi];
    const status = d[color.field];
    if (!isStr(group) || !isNum(v) || !isNum(l) || !isNum(h) || !isStr(status)) return null;
    const c = colorOf(status);
    const s = shapeOf(status);
    if (c === undefined || s === undefined || ciColorOf(status) !== c) return null;
    rows.push({ group, value: v, lo: l, hi: h, color: c, shape: s });
  }
  if (rows.length === 0) return null;
  // vega-lite: a sort array first, then the remaining values in data order
  const groups = [
    ...sort.filter((g) => rows.some((r) => r.group === g)),
    ...new Set(rows.map((r) => r.group).filter((g) => !sort.includes(g))),
  ];
  const legendOn = color.legend !== null && shape.legend !== null;
  const opacity = isNum(ptMark.opacity) ? ptMark.opacity : 0.7;
  const colorDomain = obj(color.scale).domain as string[];
  return {
    ...base,
    kind: 'disparity',
    domain: [domain[0], domain[1]],
    xTitle: isStr(bx.title) ? bx.title : bx.title === null ? null : bx.field,
    band: {
      lo,
      hi,
      color: isStr(bandMark.color) ? bandMark.color : '#4c78a8',
      opacity: isNum(bandMark.opacity) ? bandMark.opacity : 1,
    },
    rule: {
      value: ruleValue,
      color: isStr(ruleMark.color) ? ruleMark.color : '#4c78a8',
      dash: Array.isArray(dash) && dash.every(isNum) ? dash : null,
    },
    groups,
    rows,
    intervalWidth: isNum(ciMark.strokeWidth) ? ciMark.strokeWidth : 1,
    point: { size: isNum(ptMark.size) ? ptMark.size : 30, opacity, filled: ptMark.filled === true },
    legend: legendOn
      ? colorDomain.map((label) => ({
          label,
          color: colorOf(label) ?? '#000',
          shape: shapeOf(label) ?? 'circle',
          opacity,
        }))
      : [],
  };
}

function readTimeline(spec: Json, base: BaseModel): TimelineModel | null {
  const layers = spec.layer;
  if (
    !Array.isArray(layers) ||
    layers.length < 1 ||
    layers.length > 2 ||
    !keysWithin(spec, ['$schema', 'title', 'width', 'height', 'config', 'layer'])
  )
    return null;
  let band: Band | null = null;
  if (layers.length === 2) {
    const b = obj(layers[0]);
    const mark = obj(b.mark);
    const enc = obj(b.encoding);
    const datum = obj((obj(b.data).values as unknown[] | undefined)?.[0]);
    const f1 = obj(enc.y).field;
    const f2 = obj(enc.y2).field;
    if (mark.type !== 'rect' || !keysWithin(enc, ['y', 'y2']) || !isStr(f1) || !isStr(f2)) return null;
    const lo = datum[f1];
    const hi = datum[f2];
    if (!isNum(lo) || !isNum(hi)) return null;
    band = {
      lo,
      hi,
      color: isStr(mark.color) ? mark.color : '#4c78a8',
      opacity: isNum(mark.opacity) ? mark.opacity : 1,
    };
  }
  const line = obj(layers[layers.length - 1]);
  const mark = obj(line.mark);
  const enc = obj(line.encoding);
  const values = obj(line.data).values;
  if (mark.type !== 'line' || !Array.isArray(values) || !keysWithin(enc, ['x', 'y', 'color'])) return null;
  const x = obj(enc.x);
  const y = obj(enc.y);
  const color = obj(enc.color);
  const colorScale = obj(color.scale);
  if (
    !isStr(x.field) ||
    !isStr(y.field) ||
    y.type !== 'quantitative' ||
    obj(y.scale).zero !== false ||
    !keysWithin(obj(y.scale), ['zero'])
  )
    return null;
  if (
    !isStr(color.field) ||
    color.type !== 'nominal' ||
    !keysWithin(colorScale, ['scheme']) ||
    colorScale.scheme !== 'tableau10'
  )
    return null;
  const xAxis = obj(x.axis);
  const angle = isNum(xAxis.labelAngle) ? xAxis.labelAngle : 0;
  const rows: { x: number | string; order: number; y: number; group: string }[] = [];
  let xm: TimelineModel['x'];
  if (
    x.type === 'temporal' &&
    x.timeUnit === 'yearmonthdate' &&
    isStr(xAxis.format) &&
    keysWithin(xAxis, ['format', 'labelAngle', 'labelOverlap'])
  ) {
    const format = timeFormat(xAxis.format);
    if (!format) return null;
    for (const raw of values) {
      const d = obj(raw);
      const at = d[x.field];
      const v = d[y.field];
      const g = d[color.field];
      if (!isStr(at) || !/^\d{4}-\d{2}-\d{2}$/.test(at) || !isNum(v) || !isStr(g)) return null;
      const t = Date.parse(`${at}T00:00:00Z`);
      rows.push({ x: t, order: t, y: v, group: g });
    }
    const ts = rows.map((r) => r.x as number);
    xm = {
      type: 'temporal',
      domain: [Math.min(...ts), Math.max(...ts)],
      format,
      labelAngle: angle,
      labelOverlap: xAxis.labelOverlap === true,
    };
  } else if (x.type === 'ordinal' && isStr(obj(x.sort).field) && keysWithin(xAxis, ['labelAngle'])) {
    const sortField = obj(x.sort).field as string;
    const order = new Map<string, number>();
    for (const raw of values) {
      const d = obj(raw);
      const a = d[x.field];
      const o = d[sortField];
      const v = d[y.field];
      const g = d[color.field];
      if (!isStr(a) || !isNum(o) || !isNum(v) || !isStr(g)) return null;
      const prev = order.get(a);
      order.set(a, prev === undefined ? o : Math.min(prev, o));
      rows.push({ x: a, order: o, y: v, group: g });
    }
    const sorted = [...order].sort((p, q) => p[1] - q[1] || (p[0] < q[0] ? -1 : 1)).map(([a]) => a);
    xm = { type: 'ordinal', values: sorted, labelAngle: angle };
  } else return null;
  // an empty chart (every group left out): vega draws the empty frame
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  const series = groups.map((group, i) => ({
    group,
    color: TABLEAU10[i % TABLEAU10.length] ?? '#4c78a8',
    points: rows
      .filter((r) => r.group === group)
      .sort((p, q) => p.order - q.order)
      .map((r) => ({ x: r.x, y: r.y })),
  }));
  const ys = rows.map((r) => r.y);
  if (band) ys.push(band.lo, band.hi);
  const y0 = ys.length > 0 ? Math.min(...ys) : 0;
  const y1 = ys.length > 0 ? Math.max(...ys) : 1;
  const pt = mark.point;
  const ptObj = obj(pt);
  return {
    ...base,
    kind: 'timeline',
    band,
    x: xm,
    xTitle: isStr(x.title) ? x.title : x.title === null ? null : x.field,
    y: { domain: y0 === y1 ? [y0 - 0.5, y1 + 0.5] : nice(y0, y1, 10) },
    yTitle: isStr(y.title) ? y.title : y.title === null ? null : y.field,
    series,
    strokeWidth: isNum(mark.strokeWidth) ? mark.strokeWidth : 2,
    point: pt === true || isObj(pt) ? { size: isNum(ptObj.size) ? ptObj.size : 30, opacity: 1 } : null,
    legend:
      color.legend === null
        ? []
        : series.map((s) => ({ label: s.group, color: s.color, shape: 'circle', opacity: 1 })),
  };
}

/** The chart model for the report's two chart shapes, or null (→ vega). Pure. */
export function readChart(spec: VegaLiteSpec): ChartModel | null {
  const base = readBase(spec);
  if (!base) return null;
  const layers = spec.layer;
  if (!Array.isArray(layers)) return null;
  return layers.length === 4 ? readDisparity(spec, base) : readTimeline(spec, base);
}

// ---- layout and drawing ----

export interface ChartFonts {
  regular: string;
  bold: string;
}

export interface DrawnChart {
  width: number;
  height: number;
  /** Draws at (x, y), scaled by `scale` (≤ 1 when the page is narrower than the chart). */
  draw(x: number, y: number, scale: number): void;
}

interface Dot {
  x: number;
  y: number;
  shape: string;
  size: number;
  color: string;
  opacity: number;
  filled: boolean;
}

interface Placed {
  s: string;
  x: number;
  y: number;
  style: TextStyle;
  color: string;
  align: 'left' | 'right' | 'center';
  baseline: 'top' | 'middle' | 'alphabetic';
  angle?: number;
}

export function layoutChart(doc: PDFKit.PDFDocument, m: ChartModel, fonts: ChartFonts): DrawnChart {
  const widths = new Map<string, number>();
  const width = (s: string, st: TextStyle): number => {
    const k = `${st.bold ? 1 : 0}|${st.size}|${s}`;
    let w = widths.get(k);
    if (w === undefined) {
      w = doc
        .font(st.bold ? fonts.bold : fonts.regular)
        .fontSize(st.size)
        .widthOfString(s);
      widths.set(k, w);
    }
    return w;
  };
  const limit = (s: string, st: TextStyle, max: number): string => {
    if (width(s, st) <= max) return s;
    let t = s;
    while (t.length > 1 && width(`${t}…`, st) > max) t = t.slice(0, -1);
    return `${t.trimEnd()}…`;
  };
  const labelStyle: TextStyle = { size: m.labelSize, bold: false };
  const axisTitleStyle: TextStyle = { size: m.axisTitleSize, bold: true };

  // scales and axes
  const W = m.width;
  const H = m.height;
  let xScale: Scale;
  let yScale: Scale;
  let xAxis: AxisModel;
  let yAxis: AxisModel;
  if (m.kind === 'disparity') {
    const [d0, d1] = m.domain;
    xScale = (v) => ((Number(v) - d0) / (d1 - d0)) * W;
    const count = Math.ceil(W / 40);
    const fmt = numberFormat(d0, d1, count);
    xAxis = {
      ticks: ticks(d0, d1, count),
      label: (v) => fmt(Number(v)),
      title: m.xTitle,
      grid: true,
      labelAngle: 0,
      labelOverlap: true,
    };
    const step = H / Math.max(1, m.groups.length);
    yScale = (v) => (m.groups.indexOf(String(v)) + 0.5) * step;
    yAxis = {
      ticks: m.groups,
      label: (v) => limit(String(v), labelStyle, m.labelLimit),
      title: null,
      grid: false,
      labelAngle: 0,
      labelOverlap: false,
    };
  } else {
    const x = m.x;
    if (x.type === 'temporal') {
      const [t0, t1] = x.domain;
      xScale = (v) => (t1 === t0 ? W / 2 : ((Number(v) - t0) / (t1 - t0)) * W);
      xAxis = {
        ticks: timeTicks(t0, t1, Math.ceil(W / 40)),
        label: (v) => x.format(Number(v)),
        title: m.xTitle,
        grid: true,
        labelAngle: x.labelAngle,
        labelOverlap: x.labelOverlap,
      };
    } else {
      const step = W / Math.max(1, x.values.length);
      xScale = (v) => (x.values.indexOf(String(v)) + 0.5) * step;
      xAxis = {
        ticks: x.values,
        label: (v) => limit(String(v), labelStyle, m.labelLimit),
        title: m.xTitle,
        grid: false,
        labelAngle: x.labelAngle,
        labelOverlap: true,
      };
    }
    const [y0, y1] = m.y.domain;
    yScale = (v) => H - ((Number(v) - y0) / (y1 - y0)) * H;
    const count = Math.ceil(H / 40);
    const fmt = numberFormat(y0, y1, count);
    yAxis = {
      ticks: ticks(y0, y1, count),
      label: (v) => fmt(Number(v)),
      title: m.yTitle,
      grid: true,
      labelAngle: 0,
      labelOverlap: false,
    };
  }

  // x labels: drop every other one while they overlap (vega's "parity" strategy)
  const rad = (Math.abs(xAxis.labelAngle) * Math.PI) / 180;
  const extent = (s: string): number => width(s, labelStyle) * Math.cos(rad) + m.labelSize * Math.sin(rad);
  let xLabels = xAxis.ticks.map((t) => ({ t, s: xAxis.label(t), at: xScale(t) }));
  const overlaps = (ls: typeof xLabels): boolean =>
    ls.some((l, i) => {
      const n = ls[i + 1];
      if (!n) return false;
      // bounding boxes, as vega: rotated labels end at their tick, horizontal ones are centred on it
      return rad > 0
        ? n.at - extent(n.s) < l.at
        : n.at - width(n.s, labelStyle) / 2 < l.at + width(l.s, labelStyle) / 2 + 1;
    });
  if (xAxis.labelOverlap)
    while (xLabels.length > 2 && overlaps(xLabels)) xLabels = xLabels.filter((_l, i) => i % 2 === 0);

  // vertical layout
  const texts: Placed[] = [];
  let cy = PAD;
  const titleStyle: TextStyle = { size: m.titleSize, bold: true };
  const subStyle: TextStyle = { size: m.subtitleSize, bold: false };
  const titleAt = cy;
  cy += m.titleSize * 1.2;
  const subAt: number[] = [];
  for (let i = 0; i < m.subtitle.length; i++) {
    subAt.push(cy + (i === 0 ? 2 : 0));
    cy += m.subtitleSize * 1.2 + (i === 0 ? 2 : 0);
  }
  const plotTop = cy + 8;
  const yLabels = yAxis.ticks.map((t) => ({ s: yAxis.label(t), at: yScale(t) }));
  const yLabelW = Math.max(0, ...yLabels.map((l) => width(l.s, labelStyle)));
  const yTitleW = yAxis.title ? m.axisTitleSize * 1.2 + AXIS.titlePadding : 0;
  let plotLeft = PAD + yTitleW + yLabelW + AXIS.tickSize + AXIS.labelPadding;
  // rotated x labels hang left of their tick
  if (rad > 0) for (const l of xLabels) plotLeft = Math.max(plotLeft, PAD + extent(l.s) - l.at);
  const plotBottom = plotTop + H;
  const labelTop = plotBottom + AXIS.tickSize + AXIS.labelPadding;
  const xLabelH =
    rad > 0
      ? Math.max(
          0,
          ...xLabels.map((l) => width(l.s, labelStyle) * Math.sin(rad) + m.labelSize * Math.cos(rad)),
        )
      : m.labelSize * 1.2;
  cy = labelTop + xLabelH;
  let xTitleAt = 0;
  if (xAxis.title) {
    xTitleAt = cy + AXIS.titlePadding;
    cy = xTitleAt + m.axisTitleSize * 1.2;
  }
  const legendStyle: TextStyle = { size: m.legendSize, bold: false };
  let legendAt = 0;
  if (m.legend.length > 0) {
    legendAt = cy + 10;
    cy = legendAt + m.legendSize * 1.5;
  }
  const height = cy + PAD;
  const lastX = xLabels[xLabels.length - 1];
  const rightOverhang = rad === 0 && lastX ? Math.max(0, lastX.at + width(lastX.s, labelStyle) / 2 - W) : 0;
  let legendW = 0;
  for (const e of m.legend) legendW += 14 + width(e.label, legendStyle) + 12;
  const contentW = Math.max(
    plotLeft + W + rightOverhang,
    PAD + width(m.title, titleStyle),
    ...m.subtitle.map((s) => PAD + width(s, subStyle)),
    plotLeft + legendW,
  );
  const totalW = contentW + PAD;

  // text, in chart coordinates
  texts.push({
    s: m.title,
    x: PAD,
    y: titleAt,
    style: titleStyle,
    color: '#000000',
    align: 'left',
    baseline: 'top',
  });
  m.subtitle.forEach((s, i) =>
    texts.push({
      s,
      x: PAD,
      y: subAt[i] ?? 0,
      style: subStyle,
      color: '#000000',
      align: 'left',
      baseline: 'top',
    }),
  );
  for (const l of yLabels) {
    texts.push({
      s: l.s,
      x: plotLeft - AXIS.tickSize - AXIS.labelPadding,
      y: plotTop + l.at,
      style: labelStyle,
      color: AXIS.label,
      align: 'right',
      baseline: 'middle',
    });
  }
  for (const l of xLabels) {
    if (rad > 0)
      texts.push({
        s: l.s,
        x: plotLeft + l.at,
        y: labelTop,
        style: labelStyle,
        color: AXIS.label,
        align: 'right',
        baseline: 'top',
        angle: -Math.abs(xAxis.labelAngle),
      });
    else
      texts.push({
        s: l.s,
        x: plotLeft + l.at,
        y: labelTop,
        style: labelStyle,
        color: AXIS.label,
        align: 'center',
        baseline: 'top',
      });
  }
  if (xAxis.title)
    texts.push({
      s: xAxis.title,
      x: plotLeft + W / 2,
      y: xTitleAt,
      style: axisTitleStyle,
      color: '#000000',
      align: 'center',
      baseline: 'top',
    });
  if (yAxis.title)
    texts.push({
      s: yAxis.title,
      x: PAD,
      y: plotTop + H / 2,
      style: axisTitleStyle,
      color: '#000000',
      align: 'center',
      baseline: 'top',
      angle: -90,
    });

  const drawText = (t: Placed): void => {
    const w = width(t.s, t.style);
    const dx = t.align === 'right' ? -w : t.align === 'center' ? -w / 2 : 0;
    doc
      .font(t.style.bold ? fonts.bold : fonts.regular)
      .fontSize(t.style.size)
      .fillColor(t.color)
      .fillOpacity(1);
    if (t.angle) {
      doc.save().translate(t.x, t.y).rotate(t.angle);
      doc.text(t.s, dx, t.angle === -90 ? 0 : -t.style.size * 0.55, {
        lineBreak: false,
        baseline: t.angle === -90 ? 'top' : t.baseline,
      });
      doc.restore();
    } else {
      doc.text(t.s, t.x + dx, t.y, { lineBreak: false, baseline: t.baseline });
    }
  };

  const symbol = (cx: number, cy2: number, shape: string, size: number): void => {
    const r = Math.sqrt(size) / 2;
    if (shape === 'square') doc.rect(cx - r, cy2 - r, 2 * r, 2 * r);
    else if (shape === 'triangle-down' || shape === 'triangle-up' || shape === 'triangle') {
      const h = (Math.sqrt(3) / 2) * r;
      const s = shape === 'triangle-down' ? 1 : -1;
      doc.polygon([cx, cy2 + s * h], [cx + r, cy2 - s * h], [cx - r, cy2 - s * h]);
    } else if (shape === 'diamond') doc.polygon([cx, cy2 - r], [cx + r, cy2], [cx, cy2 + r], [cx - r, cy2]);
    else doc.circle(cx, cy2, r);
  };

  const draw = (ox: number, oy: number, scale: number): void => {
    const sx = doc.x;
    const sy = doc.y;
    doc.save();
    doc.translate(ox, oy);
    if (scale !== 1) doc.scale(scale);
    const px = (v: number | string): number => plotLeft + xScale(v);
    const py = (v: number | string): number => plotTop + yScale(v);
    // grid
    doc.lineWidth(1).strokeColor(AXIS.grid).strokeOpacity(1);
    if (xAxis.grid) for (const t of xAxis.ticks) doc.moveTo(px(t), plotTop).lineTo(px(t), plotBottom);
    if (yAxis.grid) for (const t of yAxis.ticks) doc.moveTo(plotLeft, py(t)).lineTo(plotLeft + W, py(t));
    if (xAxis.grid || yAxis.grid) doc.stroke();
    // marks, clipped to the plot
    const dots: Dot[] = [];
    doc.save();
    doc.rect(plotLeft, plotTop, W, H).clip();
    if (m.kind === 'disparity') {
      const b = m.band;
      doc
        .rect(px(b.lo), plotTop, px(b.hi) - px(b.lo), H)
        .fillColor(b.color)
        .fillOpacity(b.opacity)
        .fill();
      doc.fillOpacity(1);
      doc.save();
      const dash = m.rule.dash;
      if (dash?.[0] !== undefined) doc.dash(dash[0], { space: dash[1] ?? dash[0] });
      doc
        .moveTo(px(m.rule.value), plotTop)
        .lineTo(px(m.rule.value), plotBottom)
        .lineWidth(1)
        .strokeColor(m.rule.color)
        .stroke();
      doc.restore();
      doc.lineWidth(m.intervalWidth);
      for (const r of m.rows)
        doc.moveTo(px(r.lo), py(r.group)).lineTo(px(r.hi), py(r.group)).strokeColor(r.color).stroke();
      for (const r of m.rows)
        dots.push({ x: px(r.value), y: py(r.group), shape: r.shape, color: r.color, ...m.point });
    } else {
      if (m.band) {
        const b = m.band;
        doc
          .rect(plotLeft, py(b.hi), W, py(b.lo) - py(b.hi))
          .fillColor(b.color)
          .fillOpacity(b.opacity)
          .fill();
      }
      doc.fillOpacity(1).lineWidth(m.strokeWidth).lineJoin('round').lineCap('round');
      for (const s of m.series) {
        s.points.forEach((p, i) => (i === 0 ? doc.moveTo(px(p.x), py(p.y)) : doc.lineTo(px(p.x), py(p.y))));
        if (s.points.length > 0) doc.strokeColor(s.color).stroke();
      }
      const pt = m.point;
      if (pt)
        for (const s of m.series)
          for (const p of s.points)
            dots.push({ x: px(p.x), y: py(p.y), shape: 'circle', color: s.color, filled: true, ...pt });
    }
    doc.restore();
    // points: like vega, not clipped when they sit on the plot's edge; clipped only if outside the domain
    const inside = (d: Dot): boolean =>
      d.x >= plotLeft - 0.5 && d.x <= plotLeft + W + 0.5 && d.y >= plotTop - 0.5 && d.y <= plotBottom + 0.5;
    const drawDots = (list: Dot[]): void => {
      for (const d of list) {
        symbol(d.x, d.y, d.shape, d.size);
        if (d.filled) doc.fillColor(d.color).fillOpacity(d.opacity).fill();
        else doc.lineWidth(2).strokeColor(d.color).strokeOpacity(d.opacity).stroke();
      }
    };
    drawDots(dots.filter(inside));
    const outside = dots.filter((d) => !inside(d));
    if (outside.length > 0) {
      doc.save();
      doc.rect(plotLeft, plotTop, W, H).clip();
      drawDots(outside);
      doc.restore();
    }
    doc.fillOpacity(1).strokeOpacity(1).lineCap('butt').lineJoin('miter');
    // axes: domain lines and ticks
    doc.lineWidth(1).strokeColor(AXIS.domain);
    doc.moveTo(plotLeft, plotBottom + 0.5).lineTo(plotLeft + W, plotBottom + 0.5);
    doc.moveTo(plotLeft - 0.5, plotTop).lineTo(plotLeft - 0.5, plotBottom);
    for (const t of xAxis.ticks) doc.moveTo(px(t), plotBottom).lineTo(px(t), plotBottom + AXIS.tickSize);
    for (const t of yAxis.ticks) doc.moveTo(plotLeft - AXIS.tickSize, py(t)).lineTo(plotLeft, py(t));
    doc.stroke();
    // legend
    let lx = plotLeft;
    const ly = legendAt + m.legendSize * 0.75;
    for (const e of m.legend) {
      symbol(lx + 5, ly, e.shape, 64);
      doc.fillColor(e.color).fillOpacity(e.opacity).fill();
      doc.fillOpacity(1);
      drawText({
        s: e.label,
        x: lx + 14,
        y: ly,
        style: legendStyle,
        color: '#000000',
        align: 'left',
        baseline: 'middle',
      });
      lx += 14 + width(e.label, legendStyle) + 12;
    }
    for (const t of texts) drawText(t);
    doc.restore();
    doc.x = sx;
    doc.y = sy;
  };
  return { width: totalW, height, draw };
}
