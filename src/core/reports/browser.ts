/**
 * What the compliance console uses in the browser, compiled to ES modules by `npm run build:console`
 * (tsconfig.console.json) and served at /assets/core/. The page and the PDF share this code, so they suppress
 * small cells, format numbers, build group tables, drift checks and trend charts the same way. Everything
 * reachable from here must stay browser-safe (no Node APIs: the console build compiles with no Node types).
 */
export * from './format';
export { suppressSlice } from './suppression';
export { rankDisparities } from '../fairness/rank-disparities';
export { toVegaLite } from './charts/to-vega-lite';
export { THRESHOLD_COLUMNS, calibrationView, thresholdsView } from './score-quality-view';
export { thresholdGrid } from './report-thresholds';
export { DRIFT_LABELS, STATUS_LABELS, VERDICT_LABELS, overallVerdict } from './labels';
export { SuppressionIndex } from './suppression-index';
export { buildSliceView, ratioIntervalText, tableColumns } from './slice-view';
export { controlRationale } from './compliance-view';
export { driftCheckView } from './drift-view';
export { trendView } from './trend-view';
export { buildRegressionView } from './regression-view';
export { buildMulticlassView } from './multiclass-view';
export { countOnlySlice } from './task-suppression';
