export * from './types';
export { computeRegression, type RegressionOptions } from './regression';
