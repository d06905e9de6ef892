import { bestGroup, explicitReference, type Reference } from '../../fairness/reference';
import type { SliceSpec } from '../../fairness/slices';
import type { ReferenceStrategy } from '../../fairness/types';
import type { GroupEstimates } from './estimates';

export type { Reference } from '../../fairness/reference';

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
      return bestGroup(
        groups,
        (g) => g.count,
        (g) => g.count,
      );
    case 'most_favorable':
      return bestGroup(
        groups,
        (g) => g.count,
        (g) => {
          const mae = g.estimates.mean_absolute_error.value;
          return mae === null ? null : -mae;
        },
      );
    case 'overall':
      return { kind: 'overall' };
    case 'explicit':
      return explicitReference(
        spec,
        groups.map((g) => g.count),
        reference.groups ?? {},
      );
  }
}
