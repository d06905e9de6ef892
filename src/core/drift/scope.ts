import type { DriftCheck } from './types';

/** What a check is about: {} for the whole sample, attributes only for an attribute, both for a group. */
export type CheckScope = Pick<DriftCheck, 'attributes' | 'key'>;

export function groupScope(attribute: string, level: string): CheckScope {
  return { attributes: [attribute], key: { [attribute]: level } };
}
