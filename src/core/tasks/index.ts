export * from './types';
export { computeMulticlass } from './multiclass';
