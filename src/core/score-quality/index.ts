export * from './calibration';
export type { SliceRows } from './groups';
export * from './thresholds';
export * from './score-quality';
export * from './levels';
