export { computeRegression, type RegressionOptions } from './compute-regression';
