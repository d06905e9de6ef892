/**
 * HTI-1 source attributes (45 CFR 170.315(b)(11)(iv)(B)): an onc-hti-1 control passes only when the model's
 * HTI-1 export (core/exports) has its attributes filled, from audits or documentation.
 */
import type { Hti1AttributeState, RuleVerdict } from '../rule-spec';
import { verdict } from './verdict';

export function evaluateHti1Attributes(
  ids: readonly string[],
  exported: readonly Hti1AttributeState[] | undefined,
): RuleVerdict {
  if (!exported)
    return verdict('not_applicable', 'The HTI-1 export was not computed for this evaluation.', []);
  const state = new Map(exported.map((a) => [a.id, a]));
  const evidence = ids.map((id) => ({
    metric: `hti-1.${id}`,
    value: state.get(id)?.source ?? 'missing',
  }));
  const missing = ids.filter((id) => (state.get(id)?.source ?? 'missing') === 'missing');
  if (missing.length > 0) {
    const fields = [...new Set(missing.flatMap((id) => state.get(id)?.documentationFields ?? []))];
    const plural = missing.length > 1;
    return verdict(
      'fail',
      `The HTI-1 source attribute${plural ? 's' : ''} ${missing.join(', ')} ${plural ? 'are' : 'is'} empty in the model's HTI-1 export` +
        (fields.length > 0
          ? ` (documentation field${fields.length > 1 ? 's' : ''} ${fields.join(', ')}, or the audits that measure ${plural ? 'them' : 'it'}).`
          : ' (the audits that measure it).'),
      evidence,
    );
  }
  return verdict('pass', `The model's HTI-1 export fills ${ids.join(', ')}.`, evidence);
}
