import { DomainError } from '../errors';
import { GroupEstimates } from './rates';
import { SliceSpec } from './slices';
import { FairnessOptions } from './types';

/** The reference of a slice: one of its groups (by index), the whole analysed slice, or none (no rows). */
export type Reference = { kind: 'group'; index: number } | { kind: 'overall' } | { kind: 'none' };

/**
 * Picks the slice's reference (metrics.md, "Disparities"): `largest` = most rows, `most_favorable` =
 * highest favorable selection rate, ties going to the first group by name (groups are in name order);
 * `overall` = the whole analysed slice; `explicit` = options.reference.groups per attribute, an
 * intersection's reference being the combination of its attributes' groups. An explicit reference that is
 * not a group with rows is an invalid config.
 */
export function chooseReference(
  spec: SliceSpec,
  groups: readonly GroupEstimates[],
  options: FairnessOptions,
): Reference {
  switch (options.reference.strategy) {
    case 'largest':
      return bestGroup(
        groups,
        (g) => g.rows,
        (g) => g.rows,
      );
    case 'most_favorable':
      return bestGroup(
        groups,
        (g) => g.rows,
        (g) => favorableRate(g.rates.selection_rate?.value ?? null, options.favorableOutcome),
      );
    case 'overall':
      return { kind: 'overall' };
    case 'explicit':
      return explicitReference(
        spec,
        groups.map((g) => g.rows),
        options.reference.groups ?? {},
      );
  }
}

/** The favorable selection rate: the selection rate, or 1 − it when the favorable outcome is negative. */
export function favorableRate(
  selectionRate: number | null,
  favorableOutcome: 'positive' | 'negative',
): number | null {
  if (selectionRate === null) return null;
  return favorableOutcome === 'positive' ? selectionRate : 1 - selectionRate;
}

/**
 * The group with the highest score among those with rows (`size` > 0); the first one wins a tie. Shared by
 * every task: each passes its own group type, size and score.
 */
export function bestGroup<G>(
  groups: readonly G[],
  size: (g: G) => number,
  score: (g: G) => number | null,
): Reference {
  let best: Reference = { kind: 'none' };
  let bestScore = -Infinity;
  groups.forEach((group, index) => {
    const value = score(group);
    if (size(group) > 0 && value !== null && value > bestScore) {
      best = { kind: 'group', index };
      bestScore = value;
    }
  });
  return best;
}

/** The configured group per attribute (`sizes[g]`: group g's size); an error when it has no rows. */
export function explicitReference(
  spec: SliceSpec,
  sizes: readonly number[],
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
  if (index < 0 || !((sizes[index] ?? 0) > 0)) {
    const name = spec.attributes.map((a, i) => `${a}=${wanted[i]}`).join(', ');
    throw new DomainError('invalid_config', `Reference group ${name} does not exist in the data`, [
      { field: 'reference.groups', message: `no rows with ${name}` },
    ]);
  }
  return { kind: 'group', index };
}
