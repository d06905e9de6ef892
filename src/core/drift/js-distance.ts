import { DomainError } from '../errors';

/**
 * Jensen-Shannon distance √JSD with natural logarithms (scipy.spatial.distance.jensenshannon, base e).
 * Both inputs are non-negative weights over the same categories, normalised to sum 1 first (as scipy
 * does); a zero weight contributes 0. Identical → 0, disjoint supports → √ln 2.
 */
export function jsDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new DomainError('invalid_input', 'JS distance needs the same categories.');
  const pTotal = total(p);
  const qTotal = total(q);
  if (pTotal <= 0 || qTotal <= 0)
    throw new DomainError('invalid_input', 'JS distance needs non-empty distributions.');
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / pTotal;
    const qi = q[i]! / qTotal;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / mi);
    if (qi > 0) divergence += qi * Math.log(qi / mi);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}

function total(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i]!;
  return sum;
}
