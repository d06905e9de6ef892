/**
 * Positions along an axis, its ticks and their labels. Linear axes use d3-scale (the scales Vega uses): the
 * domain made nice when the model asks, about one tick per 40 points, d3's tick format; category axes put
 * each category in the middle of an equal step (Vega's point scale with padding 0.5).
 */
import { scaleLinear } from 'd3-scale';
import type { ChartAxis } from '../../../../core/reports';

export interface AxisScale {
  /** Position of a value along the axis, 0..length (y: 0 at the top). */
  at(v: number | string): number;
  ticks: (number | string)[];
  label(v: number | string): string;
  /** The domain drawn (after nice), for a linear axis. */
  domain: [number, number] | null;
}

/** About one tick per 40 points, as Vega. */
export const tickCount = (length: number): number => Math.ceil(length / 40);

export function axisScale(axis: ChartAxis, length: number, vertical: boolean): AxisScale {
  if (axis.type === 'category') {
    const step = length / Math.max(1, axis.values.length);
    return {
      at: (v) => (axis.values.indexOf(String(v)) + 0.5) * step,
      ticks: axis.values,
      label: (v) => String(v),
      domain: null,
    };
  }
  const scale = scaleLinear()
    .domain(axis.domain)
    .range(vertical ? [length, 0] : [0, length]);
  if (axis.nice) scale.nice();
  const count = tickCount(length);
  const ticks = axis.ticks ?? scale.ticks(count);
  // explicit ticks: as many decimals as the most precise of them needs ("0.25" → 0.00, 0.25, 0.50, ...)
  const digits = Math.max(0, ...ticks.map((t) => (String(t).split('.')[1] ?? '').length));
  const format = axis.ticks ? (v: number) => v.toFixed(digits) : scale.tickFormat(count);
  const [d0, d1] = scale.domain() as [number, number];
  return {
    at: (v) => (d0 === d1 ? length / 2 : scale(Number(v))),
    ticks,
    label: (v) => format(Number(v)),
    domain: [d0, d1],
  };
}
