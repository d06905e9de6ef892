import { CATALOG_VERSION, CONTROLS, type ControlSpec } from './catalog';
import { isDocumented } from './documentation';
import { assertFrameworks, type CompliancePolicy } from './policy';
import type { ComplianceInput, RuleSpec, RuleVerdict } from './rule-spec';
import type { ControlOutcome, FrameworkId } from './types';
import {
  evaluateAttributesPresent,
  evaluateDocumentation,
  evaluateRepresentation,
  evaluateSmallCells,
} from './rules/data-rules';
import { evaluateCalibration } from './rules/calibration-rules';
import { evaluateErrorRateGap, evaluateFairness, evaluateImpactRatio } from './rules/fairness-rules';
import {
  evaluateAuditAge,
  evaluateDrift,
  evaluateMonitoring,
  evaluatePredefinedThresholds,
  evaluateRecordKeeping,
} from './rules/operational-rules';
import { evaluateHti1Attributes } from './rules/hti1-rules';
import { evaluatePerformance } from './rules/performance-rules';
import { evaluateTaskRule, taskFairness } from './rules/task-rules';
import { MAX_EVIDENCE, rank, worse } from './rules/verdict';
import type { FairnessResult } from '../fairness/types';
import { isBinaryResult } from '../tasks/types';

/** Worst sub-verdict decides and explains; when all pass, their reasons are joined into one sentence. */
function combine(verdicts: RuleVerdict[]): RuleVerdict {
  const status = verdicts.reduce<RuleVerdict['status']>((s, v) => worse(s, v.status), 'not_applicable');
  const deciding = verdicts.filter((v) => v.status === status);
  const rationale =
    status === 'pass' && deciding.length > 1
      ? `${deciding.map((v, i) => (i === 0 ? v.rationale : v.rationale.charAt(0).toLowerCase() + v.rationale.slice(1)).replace(/\.$/, '')).join('; and ')}.`
      : (deciding[0]?.rationale ?? 'Nothing to evaluate.');
  const evidence = [...verdicts].sort((a, b) => rank(b.status) - rank(a.status)).flatMap((v) => v.evidence);
  return { status, rationale, evidence: evidence.slice(0, MAX_EVIDENCE) };
}

function evaluateMitigated(
  spec: Extract<RuleSpec, { kind: 'mitigated' }>,
  input: ComplianceInput,
  policy: CompliancePolicy,
): RuleVerdict {
  const found = isBinaryResult(input.result)
    ? evaluateFairness({ kind: 'fairness', gapMetrics: spec.gapMetrics }, input.result, policy)
    : taskFairness(input.result, policy);
  const documented = isDocumented(input.documentation, 'mitigations');
  const evidence = [
    { metric: 'documentation.mitigations', value: documented ? 'present' : 'missing' },
    ...found.evidence,
  ];
  // An inconclusive finding found no disparity either: there is nothing to mitigate.
  if (found.status === 'pass' || found.status === 'inconclusive')
    return { status: 'pass', rationale: 'No disparity was found that needs a mitigation measure.', evidence };
  if (documented) {
    return {
      status: 'pass',
      rationale: 'Possible disparities were found and mitigation measures for them are recorded.',
      evidence,
    };
  }
  return {
    status: 'review',
    rationale: `A possible disparity was found but no mitigation measure is recorded (documentation field mitigations): ${found.rationale.charAt(0).toLowerCase()}${found.rationale.slice(1)}`,
    evidence,
  };
}

/**
 * Evaluates one rule spec; the switch is exhaustive over RuleSpec kinds. A regression or multiclass result
 * first goes to the task's rules (rules/task-rules.ts); the rules that read no task-specific field (group
 * counts and shares, attributes, documentation, drift, records) are the same for every task.
 */
export function evaluateRule(spec: RuleSpec, input: ComplianceInput, policy: CompliancePolicy): RuleVerdict {
  const t = policy.thresholds;
  const { result } = input;
  if (!isBinaryResult(result)) {
    const taskVerdict = evaluateTaskRule(spec, result, policy);
    if (taskVerdict !== null) return taskVerdict;
  }
  // Below, a non-binary result reaches only the kinds evaluateTaskRule left to the common rules.
  const binary = result as FairnessResult;
  switch (spec.kind) {
    case 'fairness':
      return evaluateFairness(spec, binary, policy);
    case 'impact_ratio':
      return evaluateImpactRatio(spec, binary, policy);
    case 'error_rate_gap':
      return evaluateErrorRateGap(spec, binary, policy);
    case 'performance':
      return evaluatePerformance(spec, binary, t);
    case 'calibration':
      return evaluateCalibration(binary, t);
    case 'drift':
      return evaluateDrift(input.drift, t);
    case 'documentation':
      return evaluateDocumentation(spec.fields, spec.datedBy, input.documentation, input.now, t.maxAgeDays);
    case 'small_cells':
      return evaluateSmallCells(result, policy);
    case 'record_keeping':
      return evaluateRecordKeeping(input.audit, policy, spec.requirePeriod);
    case 'predefined_thresholds':
      return evaluatePredefinedThresholds(policy, input.audit);
    case 'representation':
      return evaluateRepresentation(result, input.referencePopulation, t);
    case 'attributes_present':
      return evaluateAttributesPresent(spec.attributes, result);
    case 'monitoring':
      return evaluateMonitoring(input.documentation, input.audit, input.now);
    case 'audit_age':
      return evaluateAuditAge(input.audit, input.now, t.maxAgeDays);
    case 'mitigated':
      return evaluateMitigated(spec, input, policy);
    case 'hti1_attributes':
      return evaluateHti1Attributes(spec.attributes, input.hti1);
    case 'all':
      return combine(spec.rules.map((r) => evaluateRule(r, input, policy)));
  }
}

export function evaluateControl(
  control: ControlSpec,
  input: ComplianceInput,
  policy: CompliancePolicy,
): ControlOutcome {
  const v = evaluateRule(control.rule, input, policy);
  return {
    framework: control.framework,
    controlId: control.controlId,
    title: control.title,
    status: v.status,
    evidence: v.evidence.slice(0, MAX_EVIDENCE),
    rationale: v.rationale,
    policyVersion: policy.version,
    catalogVersion: CATALOG_VERSION,
  };
}

/**
 * Every control of the chosen frameworks (default: the policy's), in catalog order.
 * Unknown framework IDs → DomainError('invalid_input').
 */
export function evaluateControls(
  input: ComplianceInput,
  policy: CompliancePolicy,
  frameworks?: readonly string[],
): ControlOutcome[] {
  const chosen: FrameworkId[] = frameworks ? assertFrameworks(frameworks) : policy.frameworks;
  return CONTROLS.filter((c) => chosen.includes(c.framework)).map((c) => evaluateControl(c, input, policy));
}
