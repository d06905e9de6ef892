export * from './types';
export { computeFairness, scoreOrderOf } from './compute-fairness';
