export * from './types';
export { computeMulticlass } from './multiclass';
export { computeRegression, type RegressionOptions } from './regression';
