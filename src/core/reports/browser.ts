/**
 * What the compliance console uses in the browser, compiled to ES modules by `npm run build:console`
 * (tsconfig.console.json) and served at /assets/core/. The page and the PDF share this code, so they suppress
 * small cells, format numbers and draw charts the same way.
 */
export { RATE_KEYS } from '../fairness/types';
export * from './format';
export { suppressSlice } from './suppression';
export { disparityChartSpec, timelineChartSpec } from './chart-specs';
