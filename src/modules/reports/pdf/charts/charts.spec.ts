import PDFDocument from 'pdfkit';
import { disparityChart, timelineChart } from '../../../../core/reports';
import type { ChartModel } from '../../../../core/reports';
import { measureChart } from './draw-chart';
import { axisScale, tickCount } from './scales';

const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** One chart drawn on a page; its text items (pdfjs-dist, an independent reader) with page positions. */
async function drawn(chart: ChartModel): Promise<{ s: string; x: number; y: number }[]> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, font: null as unknown as string });
  doc.registerFont('Sans', FONT).registerFont('Sans-Bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const m = measureChart(doc, chart, { regular: 'Sans', bold: 'Sans-Bold' });
  m.draw(40, 40, 1);
  doc.end();
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({
    data: new Uint8Array(await done),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  const items = (content.items as { str: string; transform: number[] }[])
    .filter((i) => i.str.trim() !== '')
    .map((i) => ({ s: i.str, x: i.transform[4] ?? 0, y: i.transform[5] ?? 0 }));
  await pdf.destroy();
  return items;
}

describe('chart axes (d3-scale)', () => {
  it('ticks a ratio axis every 0.1 over 380 points (10 ticks asked), labelled to one decimal', () => {
    expect(tickCount(380)).toBe(10);
    const x = axisScale(
      { type: 'linear', title: null, domain: [0.6, 1.4], nice: false, grid: true },
      380,
      false,
    );
    expect(x.ticks.map((t) => x.label(t))).toEqual([
      '0.6',
      '0.7',
      '0.8',
      '0.9',
      '1.0',
      '1.1',
      '1.2',
      '1.3',
      '1.4',
    ]);
    expect(x.at(1)).toBeCloseTo(190, 9); // (1 − 0.6) / 0.8 × 380
  });

  it('makes a y axis nice and ticks it every 0.02 over 150 points (4 ticks asked), top down', () => {
    // span 0.1 / 4 = 0.025 → 2.5 × 10⁻², rounded down to the step 2 × 10⁻² (≥ √2 → 2)
    const y = axisScale(
      { type: 'linear', title: null, domain: [0.263, 0.357], nice: true, grid: true },
      150,
      true,
    );
    expect(y.domain).toEqual([0.26, 0.36]);
    expect(y.ticks.map((t) => y.label(t))).toEqual(['0.26', '0.28', '0.30', '0.32', '0.34', '0.36']);
    expect(y.at(0.36)).toBeCloseTo(0, 9);
    expect(y.at(0.26)).toBeCloseTo(150, 9);
  });

  it('keeps explicit ticks and a domain that is not nice', () => {
    const y = axisScale(
      {
        type: 'linear',
        title: null,
        domain: [0, 1],
        nice: false,
        grid: true,
        ticks: [0, 0.25, 0.5, 0.75, 1],
      },
      200,
      true,
    );
    expect(y.ticks.map((t) => y.label(t))).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
  });

  it('puts categories in the middle of equal steps', () => {
    const c = axisScale(
      { type: 'category', title: null, values: ['a', 'b', 'c', 'd'], labelAngle: 0 },
      80,
      true,
    );
    expect(['a', 'b', 'c', 'd'].map((v) => c.at(v))).toEqual([10, 30, 50, 70]);
  });
});

describe('chart drawing (pdfkit)', () => {
  it('draws a disparity chart: title, subtitle, groups top down, ticks, axis title and legend, no suppressed group', async () => {
    const items = await drawn(
      disparityChart({
        title: 'race',
        groups: [
          { group: 'White', ratio: 1, ciLow: 0.93, ciHigh: 1.07, reference: true },
          { group: 'Black', ratio: 0.73, ciLow: 0.65, ciHigh: 0.81 },
          { group: 'Tiny', ratio: 1.6, suppressed: true },
        ],
      }),
    );
    const text = items.map((i) => i.s);
    expect(text).toEqual(
      expect.arrayContaining([
        'Selection rate ratio vs reference: race',
        'Not shown (small-cell suppression): Tiny',
        'White',
        'Black',
        '0.6',
        '1.0',
        '1.4',
        'Ratio to reference',
        'Within band',
        'Outside band',
        'Reference',
      ]),
    );
    expect(text).not.toContain('Tiny');
    const at = (s: string) => items.find((i) => i.s === s)!;
    expect(at('White').y).toBeGreaterThan(at('Black').y); // PDF y grows upwards: White is the upper row
    expect(at('0.6').x).toBeLessThan(at('1.4').x);
  });

  it('draws a timeline: audits left to right, y ticks, group legend', async () => {
    const items = await drawn(
      timelineChart(
        ['Q1', 'Q2', 'Q3'].flatMap((label, i) => [
          {
            at: `2026-0${i + 1}-01T00:00:00Z`,
            auditId: label,
            group: 'Female',
            value: 0.36 - i / 100,
            label,
          },
          { at: `2026-0${i + 1}-01T00:00:00Z`, auditId: label, group: 'Male', value: 0.3 - i / 100, label },
        ]),
        'selection_rate',
      ),
    );
    const text = items.map((i) => i.s);
    expect(text).toEqual(
      expect.arrayContaining(['Q1', 'Q2', 'Q3', 'Audit', 'Selection rate', 'Female', 'Male']),
    );
    const at = (s: string) => items.find((i) => i.s === s)!;
    expect(at('Q1').x).toBeLessThan(at('Q3').x);
    // the values 0.28–0.36 made nice over 150 points: ticks every 0.02
    expect(text).toEqual(expect.arrayContaining(['0.28', '0.30', '0.32', '0.34', '0.36']));
  });
});

describe('chart drawing: linear x axis, vertical intervals, the diagonal', () => {
  it('draws explicit ticks on both axes and no legend', async () => {
    const items = await drawn({
      kind: 'reliability',
      title: 'Calibration',
      subtitle: [],
      description: 'Observed rate by mean score.',
      width: 200,
      height: 200,
      x: { type: 'linear', title: 'Mean score', domain: [0, 1], nice: false, ticks: [0, 0.5, 1], grid: true },
      y: {
        type: 'linear',
        title: 'Observed rate',
        domain: [0, 1],
        nice: false,
        ticks: [0, 0.5, 1],
        grid: true,
      },
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
          points: [{ x: 0.15, y: 0.2, lo: 0.12, hi: 0.3 }],
        },
      ],
      legend: [],
    });
    const text = items.map((i) => i.s);
    // each tick label twice (x and y axes)
    expect(text.filter((s) => s === '0.5')).toHaveLength(2);
    expect(text).toEqual(expect.arrayContaining(['Calibration', 'Mean score', 'Observed rate']));
    expect(text).not.toContain('Group A');
  });
});
