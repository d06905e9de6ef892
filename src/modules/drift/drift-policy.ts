import { DEFAULT_DRIFT_THRESHOLDS, type DriftThresholds } from '../../core/drift';
import { DomainError, type ProblemDetail } from '../../core/errors';

/** The fields a model may override, in a fixed order. */
const POLICY_FIELDS: (keyof DriftThresholds)[] = [
  'psiWarning',
  'psiAlert',
  'ksMinD',
  'jsWarning',
  'alpha',
  'fairnessBand',
  'rateChangeWarning',
  'rateChangeAlert',
];

/** The overrides actually given (undefined fields dropped), in a fixed field order. */
export function policyOverrides(
  given: Partial<DriftThresholds> | null | undefined,
): Partial<DriftThresholds> {
  const overrides: Partial<DriftThresholds> = {};
  for (const field of POLICY_FIELDS) {
    const value = given?.[field];
    if (value !== undefined) Object.assign(overrides, { [field]: value });
  }
  return overrides;
}

/** The defaults with a model's overrides applied. */
export function effectiveThresholds(policy: Partial<DriftThresholds> | null | undefined): DriftThresholds {
  return { ...DEFAULT_DRIFT_THRESHOLDS, ...policyOverrides(policy) };
}

/**
 * Cross-field rules, on the thresholds in force (so an override is checked against the defaults it keeps):
 * psiWarning < psiAlert, rateChangeWarning < rateChangeAlert, fairness band low < 1 < high. Single-field
 * ranges are checked by the DTO.
 */
export function assertValidThresholds(t: DriftThresholds): void {
  const problems: ProblemDetail[] = [];
  if (!(t.psiWarning < t.psiAlert)) {
    problems.push({
      field: 'psiWarning',
      message: `psiWarning (${t.psiWarning}) must be below psiAlert (${t.psiAlert})`,
    });
  }
  if (!(t.rateChangeWarning < t.rateChangeAlert)) {
    problems.push({
      field: 'rateChangeWarning',
      message: `rateChangeWarning (${t.rateChangeWarning}) must be below rateChangeAlert (${t.rateChangeAlert})`,
    });
  }
  const [low, high] = t.fairnessBand;
  if (!(low < 1 && high > 1)) {
    problems.push({
      field: 'fairnessBand',
      message: `fairnessBand [${low}, ${high}] must satisfy low < 1 < high`,
    });
  }
  if (problems.length > 0) {
    throw new DomainError('invalid_input', problems.map((p) => p.message).join('; '), problems);
  }
}
