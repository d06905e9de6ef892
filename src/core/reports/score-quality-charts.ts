/**
 * Vega-lite specs of the score-quality views: the reliability curve by group and the threshold curves (net
 * benefit, alerts per 1,000) by group. Each takes plain typed series (what is plotted) and returns the spec,
 * so a typed chart model can take over the inputs unchanged. Callers pass disclosure-checked points only;
 * groups left out are named in the subtitle.
 */
import { wrapList } from './chart-specs';
import type { VegaLiteSpec } from './types';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function baseConfig(): Record<string, unknown> {
  return {
    font: 'sans-serif',
    view: { stroke: null },
    axis: { labelFontSize: 9, titleFontSize: 10 },
    legend: { labelFontSize: 9, titleFontSize: 9, orient: 'bottom' },
    title: { fontSize: 11, subtitleFontSize: 9, anchor: 'start' },
  };
}

export interface ReliabilityPoint {
  group: string;
  meanScore: number;
  observedRate: number;
  ciLow: number;
  ciHigh: number;
}

/** Observed rate against mean score per bin, one colour per group, Wilson intervals, the diagonal. */
export function reliabilityChartSpec(
  title: string,
  points: ReliabilityPoint[],
  leftOut: string[],
): VegaLiteSpec {
  const subtitle = [
    'On the diagonal, the scores are calibrated: observed rate = mean score. Bars: 95% Wilson.',
  ];
  if (leftOut.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', leftOut));
  const x = {
    field: 'meanScore',
    type: 'quantitative',
    scale: { domain: [0, 1] },
    title: 'Mean score in bin',
  };
  const color = { field: 'group', type: 'nominal', title: null };
  return {
    $schema: SCHEMA,
    title: { text: `Reliability: ${title}`, subtitle },
    width: 320,
    height: 240,
    config: baseConfig(),
    data: { values: points },
    layer: [
      {
        data: { values: [{ a: 0 }, { a: 1 }] },
        mark: { type: 'line', color: '#9e9e9e', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale: { domain: [0, 1] } },
          y: { field: 'a', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: 'ciLow', type: 'quantitative' }, y2: { field: 'ciHigh' }, color },
      },
      {
        mark: { type: 'line', point: { filled: true, size: 40 } },
        encoding: {
          x,
          y: {
            field: 'observedRate',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            title: 'Observed rate',
          },
          color,
        },
      },
    ],
  };
}

export interface ThresholdCurvePoint {
  group: string;
  threshold: number;
  value: number;
}

/** One figure (net benefit, alerts per 1,000) against the threshold, one line per group. */
export function thresholdChartSpec(
  title: string,
  yTitle: string,
  points: ThresholdCurvePoint[],
  auditThreshold: number,
  leftOut: string[],
): VegaLiteSpec {
  const subtitle = [
    `Dashed: the audit's threshold ${auditThreshold}. Thresholds whose figures are suppressed are skipped.`,
  ];
  if (leftOut.length > 0) subtitle.push(...wrapList('Not shown (small-cell suppression)', leftOut));
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 320,
    height: 200,
    config: baseConfig(),
    data: { values: points },
    layer: [
      {
        mark: { type: 'line', point: { filled: true, size: 12 } },
        encoding: {
          x: { field: 'threshold', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Threshold' },
          y: { field: 'value', type: 'quantitative', title: yTitle },
          color: { field: 'group', type: 'nominal', title: null },
        },
      },
      {
        data: { values: [{ t: auditThreshold }] },
        mark: { type: 'rule', color: '#424242', strokeDash: [4, 3] },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
    ],
  };
}
