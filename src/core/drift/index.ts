export * from './types';
export * from './quantile';
export * from './psi';
export * from './ks';
export * from './js-distance';
export * from './hypothesis-tests';
export * from './compute-drift';
export * from './timeline';
export { sliceId } from './slices';
