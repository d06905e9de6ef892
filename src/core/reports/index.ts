export * from './types';
export * from './format';
export * from './suppression';
export * from './chart-specs';
export * from './view-model';
