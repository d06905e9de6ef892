export * from './types';
export { computeFairness } from './compute-fairness';
