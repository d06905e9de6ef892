import type { ControlOutcome } from '../client';

export interface GateVerdict {
  passed: boolean;
  failed: ControlOutcome[];
  review: ControlOutcome[];
  message: string;
}

/**
 * The release gate: it fails when any control of the chosen frameworks fails (review does not fail it).
 * Outcomes of other frameworks are ignored. The same for every task: the controls judge a regression or
 * multiclass audit with rules of its task and answer not_applicable where a rule is binary-only
 * (docs/compliance-controls.md), and not_applicable never fails the gate.
 */
export function gateVerdict(frameworks: readonly string[], outcomes: readonly ControlOutcome[]): GateVerdict {
  const gated = outcomes.filter((o) => frameworks.includes(o.framework));
  const failed = gated.filter((o) => o.status === 'fail');
  const review = gated.filter((o) => o.status === 'review');
  const names = frameworks.join(', ');
  const message =
    failed.length > 0
      ? `Gate FAILED: ${failed.length === 1 ? '1 control' : `${failed.length} controls`} of ${names} ` +
        `${failed.length === 1 ? 'fails' : 'fail'} ` +
        `(${failed.map((o) => `${o.framework} ${o.controlId}`).join('; ')}).`
      : `Gate passed: no control of ${names} fails` +
        (review.length > 0 ? ` (${review.length} need${review.length === 1 ? 's' : ''} review).` : '.');
  return { passed: failed.length === 0, failed, review, message };
}
