import { disparityChart } from './disparity-chart';
import { timelineChart } from './timeline-chart';
import { toVegaLite } from './to-vega-lite';
import type { ChartModel } from './model';

interface Layer {
  data: { values: Record<string, unknown>[] };
  mark: { type: string; strokeDash?: number[] };
  encoding: Record<
    string,
    { field?: string; type?: string; sort?: unknown; scale?: Record<string, unknown> }
  >;
}

const disparity = disparityChart({
  title: 'race',
  groups: [
    { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
    { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
    { group: 'Tiny', ratio: 1.6, suppressed: true },
  ],
});
const timeline = timelineChart(
  [
    { at: '2026-01-01T00:00:00Z', auditId: 'a', group: 'race', value: 0.9, label: 'Q1' },
    { at: '2026-04-01T00:00:00Z', auditId: 'b', group: 'race', value: 0.85, label: 'Q2' },
  ],
  'impact_ratio',
  { band: [0.8, 1.25] },
);

describe('toVegaLite', () => {
  it('draws the band, the rule at 1, the intervals and the points of a disparity chart', () => {
    const spec = toVegaLite(disparity) as { layer: Layer[]; title: { text: string; subtitle: string[] } };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rect', 'rule', 'rule', 'point']);
    const [band, rule, intervals, points] = spec.layer as [Layer, Layer, Layer, Layer];
    expect(band.data.values).toEqual([{ from: 0.8, to: 1.25 }]);
    expect(band.encoding.x?.scale).toEqual({ domain: [0.6, 1.4], nice: false, zero: false });
    expect(rule.data.values).toEqual([{ value: 1 }]);
    expect(rule.mark.strokeDash).toEqual([4, 3]);
    expect(intervals.data.values.map((v) => [v.y, v.lo, v.hi])).toEqual([
      ['Black', 0.65, 0.81],
      ['White', 0.93, 1.07],
    ]);
    expect(points.data.values.map((v) => [v.series, v.y, v.x])).toEqual([
      ['Outside band', 'Black', 0.73],
      ['Reference', 'White', 1],
    ]);
    expect(points.encoding.y).toMatchObject({ type: 'ordinal', sort: ['White', 'Black'] });
    expect(points.encoding.color?.scale).toEqual({
      domain: ['Within band', 'Outside band', 'Reference'],
      range: ['#2e7d32', '#c62828', '#546e7a'],
    });
    expect(spec.title.subtitle).toContain('Not shown (small-cell suppression): Tiny');
    expect(JSON.stringify(spec.layer)).not.toContain('Tiny');
    expect(JSON.stringify(spec)).not.toContain('"url"');
  });

  it('draws a timeline as a band, lines in audit order and points', () => {
    const spec = toVegaLite(timeline) as { layer: Layer[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rect', 'line', 'point']);
    const line = spec.layer[1]!;
    expect(line.data.values.map((v) => [v.series, v.x, v.y])).toEqual([
      ['race', 'Q1', 0.9],
      ['race', 'Q2', 0.85],
    ]);
    expect(line.encoding.x).toMatchObject({ type: 'ordinal', sort: ['Q1', 'Q2'] });
    expect(line.encoding.y?.scale).toEqual({ domain: [0.8, 1.25], nice: true, zero: false });
  });

  it('compiles with vega-lite and renders with vega: every plotted group and label is drawn', async () => {
    const vl = await import('vega-lite');
    const vega = await import('vega');
    for (const [chart, expected] of [
      [disparity, ['White', 'Black', 'Ratio to reference', 'Outside band']],
      [timeline, ['Q1', 'Q2', 'Impact ratio', 'race']],
    ] as const) {
      const compiled = vl.compile(toVegaLite(chart) as never).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      const svg = await view.toSVG();
      view.finalize();
      for (const s of expected) expect(svg).toContain(`>${s}<`);
      expect(svg).not.toContain('>Tiny<');
    }
  });
});

/** A calibration-shaped model: linear axes with explicit ticks, y intervals, the diagonal, no legend. */
const reliability: ChartModel = {
  kind: 'reliability',
  title: 'Calibration',
  subtitle: [],
  description: 'Observed rate by mean score.',
  width: 200,
  height: 200,
  x: { type: 'linear', title: 'Mean score', domain: [0, 1], nice: false, ticks: [0, 0.5, 1], grid: true },
  y: { type: 'linear', title: 'Observed rate', domain: [0, 1], nice: false, ticks: [0, 0.5, 1], grid: true },
  bands: [],
  rules: [],
  segments: [{ from: [0, 0], to: [1, 1], color: '#424242', dashed: true }],
  series: [
    {
      label: 'Group A',
      color: '#4c78a8',
      shape: 'circle',
      line: true,
      intervalAxis: 'y',
      points: [
        { x: 0.15, y: 0.2, lo: 0.12, hi: 0.3 },
        { x: 0.55, y: 0.5, lo: 0.41, hi: 0.59 },
      ],
    },
  ],
  legend: [],
};

describe('toVegaLite: other shapes', () => {
  it('draws the diagonal, vertical intervals, explicit ticks and no legend', async () => {
    const spec = toVegaLite(reliability) as { layer: Layer[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['line', 'rule', 'line', 'point']);
    expect(spec.layer[0]!.data.values).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ]);
    const intervals = spec.layer[1]!;
    expect(Object.keys(intervals.encoding).sort()).toEqual(['color', 'x', 'y', 'y2']);
    expect(intervals.encoding.y?.field).toBe('lo');
    expect((spec.layer[3]!.encoding.color as { legend: unknown }).legend).toBeNull();
    expect((spec.layer[3]!.encoding.x as { axis: unknown }).axis).toEqual({
      grid: true,
      values: [0, 0.5, 1],
    });
    const vl = await import('vega-lite');
    const vega = await import('vega');
    const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    for (const s of ['Mean score', 'Observed rate', '0.5']) expect(svg).toContain(`>${s}<`);
    expect(svg).not.toContain('Group A<'); // no legend
  });
});
