export { computeMulticlass } from './compute-multiclass';
