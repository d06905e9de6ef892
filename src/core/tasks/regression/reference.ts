import { DomainError } from '../../errors';
import type { SliceSpec } from '../../fairness/slices';
import type { ReferenceStrategy } from '../../fairness/types';
import type { GroupEstimates } from './estimates';

export type Reference = { kind: 'group'; index: number } | { kind: 'overall' } | { kind: 'none' };

/**
 * The slice's reference (docs/metrics.md, "Regression audits"): `largest` = most rows; `most_favorable` =
 * the best-served group, the lowest mean absolute error (a regression has no favorable outcome: the
 * reference is the group the model predicts best); ties go to the first group by name; `overall` = the
 * whole analysed slice; `explicit` = the configured group per attribute (an error when it has no rows).
 */
export function chooseReference(
  spec: SliceSpec,
  groups: readonly GroupEstimates[],
  reference: { strategy: ReferenceStrategy; groups?: Record<string, string> },
): Reference {
  switch (reference.strategy) {
    case 'largest':
      return bestGroup(groups, (g) => g.count);
    case 'most_favorable':
      return bestGroup(groups, (g) => {
        const mae = g.estimates.mean_absolute_error.value;
        return mae === null ? null : -mae;
      });
    case 'overall':
      return { kind: 'overall' };
    case 'explicit':
      return explicitReference(spec, groups, reference.groups ?? {});
  }
}

function bestGroup(
  groups: readonly GroupEstimates[],
  score: (g: GroupEstimates) => number | null,
): Reference {
  let best: Reference = { kind: 'none' };
  let bestScore = -Infinity;
  groups.forEach((group, index) => {
    const value = score(group);
    if (group.count > 0 && value !== null && value > bestScore) {
      best = { kind: 'group', index };
      bestScore = value;
    }
  });
  return best;
}

function explicitReference(
  spec: SliceSpec,
  groups: readonly GroupEstimates[],
  named: Record<string, string>,
): Reference {
  const wanted = spec.attributes.map((attribute) => {
    const value = named[attribute];
    if (value === undefined) {
      throw new DomainError('invalid_config', `No reference group given for attribute ${attribute}`, [
        { field: `reference.groups.${attribute}`, message: 'required with strategy "explicit"' },
      ]);
    }
    return value;
  });
  const index = spec.keys.findIndex((key) => key.every((value, i) => value === wanted[i]));
  if (index < 0 || !(groups[index]!.count > 0)) {
    const name = spec.attributes.map((a, i) => `${a}=${wanted[i]}`).join(', ');
    throw new DomainError('invalid_config', `Reference group ${name} does not exist in the data`, [
      { field: 'reference.groups', message: `no rows with ${name}` },
    ]);
  }
  return { kind: 'group', index };
}
