export * from './types';
export * from './format';
export * from './suppression';
export * from './charts';
export * from './view-model';
export * from './report-calibration';
