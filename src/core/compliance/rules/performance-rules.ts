import type { FairnessResult } from '../../fairness/types';
import { attributesLabel, groupLabel } from '../format';
import type { ComplianceThresholds } from '../policy';
import type { RuleSpec, RuleVerdict } from '../rule-spec';
import { verdict, verdictFromFindings, type Finding } from './verdict';

const NAMES = { roc_auc: 'AUC', balanced_accuracy: 'balanced accuracy' } as const;
const fmt = (x: number): string => x.toFixed(2);

/** MEASURE 2.3 / 2.5, Art. 15: the model meets the required performance overall and in each group. */
export function evaluatePerformance(
  spec: Extract<RuleSpec, { kind: 'performance' }>,
  result: Pick<FairnessResult, 'overall' | 'slices' | 'labelFree'>,
  t: Pick<ComplianceThresholds, 'aucMin' | 'nMin'>,
): RuleVerdict {
  const min = spec.min ?? t.aucMin;
  const name = NAMES[spec.metric];
  if (result.labelFree) {
    return verdict(
      'review',
      `Labels were not supplied, so the model's ${name} could not be measured and a person should review its validity.`,
    );
  }
  const overall = result.overall.metrics[spec.metric];
  const value = overall?.value ?? null;
  if (value === null) {
    const why = spec.metric === 'roc_auc' ? 'the model supplied no scores' : 'it is undefined for these data';
    return verdict(
      'review',
      `The model's ${name} could not be measured because ${why}, so a person should review its validity.`,
    );
  }
  const overallEvidence = {
    metric: spec.metric,
    value,
    ciLow: overall?.ciLow ?? null,
    ciHigh: overall?.ciHigh ?? null,
    threshold: min,
    count: result.overall.count,
  };
  const findings: Finding[] = [
    {
      status: value < min ? 'fail' : 'pass',
      evidence: overallEvidence,
      order: value - min - 1,
      sentence: `The model's ${name} is ${fmt(value)} overall, below the ${min} the policy requires.`,
    },
  ];
  if (spec.perGroup) {
    for (const slice of result.slices) {
      for (const g of slice.groups) {
        const m = g.metrics[spec.metric];
        const v = m?.value ?? null;
        if (v === null || v >= min) continue;
        const clear = g.count >= t.nMin && (m?.ciHigh ?? null) !== null && (m?.ciHigh ?? 1) < min;
        findings.push({
          status: clear ? 'fail' : 'review',
          evidence: {
            metric: spec.metric,
            attributes: slice.attributes,
            group: g.key,
            value: v,
            ciLow: m?.ciLow ?? null,
            ciHigh: m?.ciHigh ?? null,
            threshold: min,
            count: g.count,
          },
          order: v - min,
          sentence: `For ${attributesLabel(slice.attributes)}, the model's ${name} in the group ${groupLabel(g.key)} is ${fmt(v)}, below the ${min} the policy requires${clear ? '' : ', though the estimate is uncertain, so a person should review it'}.`,
        });
      }
    }
  }
  return verdictFromFindings(
    findings,
    `The model's ${name} is ${fmt(value)} overall${spec.perGroup ? ' and no group is clearly below' : ', at least'} the ${min} the policy requires.`,
  );
}
