/**
 * Vega-lite specs for the report and the web console (vega-embed). Self-contained: data inline, no URLs.
 * Callers pass already-suppressed data: groups whose values must not be shown are left out and named in
 * the chart's subtitle.
 */
import type { VegaLiteSpec } from './types';
import { metricLabel } from './format';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const COLORS = { within: '#2e7d32', outside: '#c62828', reference: '#546e7a' } as const;

export interface DisparityDatum {
  group: string;
  ratio: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  reference?: boolean;
  /** Band status decided by the caller from the unrounded ratio (the table's flag); else from `ratio`. */
  band?: 'within' | 'outside';
  /** Hidden by small-cell suppression: left out of the chart, listed in the subtitle. */
  suppressed?: boolean;
}

export interface DisparityChartInput {
  title: string;
  groups: DisparityDatum[];
}

/** "Prefix: a, b, c" split into lines of at most `max` characters (vega-lite prints one line per entry). */
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

function baseConfig(): Record<string, unknown> {
  return {
    font: 'sans-serif',
    view: { stroke: null },
    axis: { labelFontSize: 9, titleFontSize: 10, labelLimit: 180 },
    legend: { labelFontSize: 9, titleFontSize: 9, orient: 'bottom' },
    title: { fontSize: 11, subtitleFontSize: 9, anchor: 'start' },
  };
}

/** The one rule for "outside band", shared by the table flag and the chart mark (inclusive band). */
export function bandStatus(ratio: number, band: readonly [number, number]): 'within' | 'outside' {
  return ratio >= band[0] && ratio <= band[1] ? 'within' : 'outside';
}

/**
 * Each group's ratio to the reference (dot, with its interval as a line), the fairness band as a shaded
 * rectangle and a rule at 1. Horizontal: one row per group.
 */
export function disparityChartSpec(
  slice: DisparityChartInput,
  metric = 'selection_rate',
  band: [number, number] = [0.8, 1.25],
): VegaLiteSpec {
  const shown = slice.groups.filter((g) => !g.suppressed && g.ratio !== null && Number.isFinite(g.ratio));
  const hidden = slice.groups.filter((g) => g.suppressed).map((g) => g.group);
  const undefinedRatio = slice.groups.filter(
    (g) => !g.suppressed && (g.ratio === null || !Number.isFinite(g.ratio)),
  );
  const values = shown.map((g) => {
    const ratio = g.ratio ?? 0;
    const status = g.reference
      ? 'Reference'
      : (g.band ?? bandStatus(ratio, band)) === 'within'
        ? 'Within band'
        : 'Outside band';
    return {
      group: g.group,
      ratio,
      ciLow: g.ciLow ?? ratio,
      ciHigh: g.ciHigh ?? ratio,
      status,
    };
  });
  const lows = values.map((v) => Math.min(v.ratio, v.ciLow));
  const highs = values.map((v) => Math.max(v.ratio, v.ciHigh));
  const lo = Math.max(0, Math.min(band[0] - 0.1, ...lows));
  const hi = Math.min(Math.max(band[1] + 0.1, ...highs), 5);
  const domain = [Math.floor(lo * 10) / 10, Math.ceil(hi * 10) / 10];
  const subtitle: string[] = [
    `Shaded: fairness band ${band[0]}–${band[1]}; line at 1 = parity with the reference`,
  ];
  if (hidden.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', hidden));
  if (undefinedRatio.length > 0)
    subtitle.push(
      ...wrapList(
        'Not shown (undefined ratio)',
        undefinedRatio.map((g) => g.group),
      ),
    );
  const groupOrder = values.map((v) => v.group);
  const y = { field: 'group', type: 'nominal', sort: groupOrder, title: null, axis: { labelLimit: 180 } };
  return {
    $schema: SCHEMA,
    title: { text: `${metricLabel(metric)} ratio vs reference: ${slice.title}`, subtitle },
    width: 380,
    height: Math.max(40, 20 * values.length),
    config: baseConfig(),
    data: { values },
    layer: [
      {
        data: { values: [{ lo: band[0], hi: band[1] }] },
        mark: { type: 'rect', color: '#e8f5e9', opacity: 0.9 },
        encoding: {
          x: {
            field: 'lo',
            type: 'quantitative',
            scale: { domain, nice: false, zero: false },
            title: 'Ratio to reference',
          },
          x2: { field: 'hi' },
        },
      },
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', color: '#424242', strokeDash: [4, 3] },
        encoding: { x: { field: 'one', type: 'quantitative' } },
      },
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          y,
          x: { field: 'ciLow', type: 'quantitative' },
          x2: { field: 'ciHigh' },
          color: {
            field: 'status',
            type: 'nominal',
            scale: {
              domain: ['Within band', 'Outside band', 'Reference'],
              range: [COLORS.within, COLORS.outside, COLORS.reference],
            },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          y,
          x: { field: 'ratio', type: 'quantitative' },
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['Within band', 'Outside band', 'Reference'],
              range: [COLORS.within, COLORS.outside, COLORS.reference],
            },
          },
          shape: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['Within band', 'Outside band', 'Reference'],
              range: ['circle', 'triangle-down', 'square'],
            },
          },
        },
      },
    ],
  };
}

export interface TimelineChartPoint {
  at: string;
  auditId: string;
  group: string;
  value: number | null;
  /** The audit's words on the axis (its name or period): used when every point has one. */
  label?: string;
}

export interface TimelineChartOptions {
  title?: string;
  /** Shaded horizontal band (e.g. the fairness band for a ratio metric). */
  band?: [number, number];
  /** Groups left out because of small-cell suppression (named in the subtitle). */
  omittedGroups?: string[];
}

/**
 * One line per group over audits. The x axis names each audit by its label (its name or period) when
 * every point has one; else the audit date (`timeUnit: 'yearmonthdate'`) when every audit falls on its own
 * day, else the audit's position ("Audit 1", "Audit 2", ...).
 */
export function timelineChartSpec(
  points: TimelineChartPoint[],
  metric: string,
  options: TimelineChartOptions = {},
): VegaLiteSpec {
  const audits: string[] = [];
  const dayOf = new Map<string, string>();
  for (const p of points) {
    if (!dayOf.has(p.auditId)) {
      audits.push(p.auditId);
      dayOf.set(p.auditId, p.at.slice(0, 10));
    }
  }
  const days = new Set(dayOf.values());
  const labelled = points.length > 0 && points.every((p) => p.label !== undefined && p.label !== '');
  const byDate = !labelled && days.size === audits.length;
  const values = points
    .filter((p) => p.value !== null && Number.isFinite(p.value))
    .map((p) => ({
      at: p.at.slice(0, 10),
      audit: labelled ? (p.label ?? '') : `Audit ${audits.indexOf(p.auditId) + 1}`,
      auditIndex: audits.indexOf(p.auditId) + 1,
      group: p.group,
      value: p.value,
    }));
  const x = byDate
    ? {
        field: 'at',
        type: 'temporal',
        timeUnit: 'yearmonthdate',
        title: 'Audit date',
        axis: { format: '%d %b %Y', labelAngle: -30, labelOverlap: true },
      }
    : {
        field: 'audit',
        type: 'ordinal',
        sort: { field: 'auditIndex' },
        title: 'Audit',
        axis: { labelAngle: -30 },
      };
  const subtitle: string[] = [];
  if (options.band) subtitle.push(`Shaded: fairness band ${options.band[0]}–${options.band[1]}`);
  if (options.omittedGroups && options.omittedGroups.length > 0) {
    subtitle.push(...wrapList('Not shown (small-cell suppression)', options.omittedGroups));
  }
  const lineLayer = {
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 25 }, strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: metricLabel(metric), scale: { zero: false } },
      color: { field: 'group', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
    },
  };
  const layers: Record<string, unknown>[] = [];
  if (options.band) {
    layers.push({
      data: { values: [{ lo: options.band[0], hi: options.band[1] }] },
      mark: { type: 'rect', color: '#e8f5e9', opacity: 0.9 },
      encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    });
  }
  layers.push(lineLayer);
  return {
    $schema: SCHEMA,
    title: {
      text: options.title ?? `${metricLabel(metric)} across audits`,
      ...(subtitle.length > 0 ? { subtitle } : {}),
    },
    width: 400,
    height: 150,
    config: baseConfig(),
    layer: layers,
  };
}
