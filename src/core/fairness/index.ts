export * from './types';
export { checkedScoreOrder, computeFairness, scoreOrderOf } from './compute-fairness';
export * from './rank-disparities';
