export { measureChart } from './draw-chart';
export type { ChartFonts, DrawnChart } from './draw-chart';
