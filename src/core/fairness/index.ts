export * from './types';
export { checkedScoreOrder, computeFairness, scoreOrderOf } from './compute-fairness';
