/**
 * vega-lite spec → SVG, in Node without a canvas (renderer 'none'). vega and vega-lite are ESM-only with
 * top-level await, so they are loaded once with import(), sequentially (Promise.all breaks under jest's
 * ESM support: measured when the stack was chosen).
 */
import type { VegaLiteSpec } from '../../../core/reports';

type VegaLibs = { vega: typeof import('vega'); vl: typeof import('vega-lite') };

let libs: Promise<VegaLibs> | undefined;

export function loadVega(): Promise<VegaLibs> {
  libs ??= (async () => {
    const vega = await import('vega');
    const vl = await import('vega-lite');
    return { vega, vl };
  })();
  return libs;
}

export interface ChartSvg {
  svg: string;
  width: number;
  height: number;
}

export async function chartToSvg(spec: VegaLiteSpec): Promise<ChartSvg> {
  const { vega, vl } = await loadVega();
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const w = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1];
    const h = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1];
    return { svg, width: Number(w ?? 400), height: Number(h ?? 200) };
  } finally {
    view.finalize();
  }
}
