export { computeMulticlass } from './compute-multiclass';
export { orderClasses, compareNatural } from './class-order';
