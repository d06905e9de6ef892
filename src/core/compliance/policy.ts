import { DomainError, type ProblemDetail } from '../errors';
import { FRAMEWORK_IDS, type FrameworkId } from './types';

/** Numbers the rules compare against (compliance-controls.md §0). Only irMin is a legal figure (four-fifths). */
export interface ComplianceThresholds {
  /** Lowest acceptable impact ratio (29 CFR 1607.4(D) four-fifths). */
  irMin: number;
  /** Largest acceptable absolute error-rate gap; above 2·gapMax and significant fails. */
  gapMax: number;
  /** Significance level applied to (Holm-adjusted) p-values. */
  alpha: number;
  /** Groups smaller than this can only be reviewed, never passed or failed on their own. */
  nMin: number;
  /** Fewest events (numerator of the rate) a group needs. */
  minEvents: number;
  /** PSI from which drift needs review, and from which it fails. */
  psiReview: number;
  psiFail: number;
  /** Largest age of the last audit, or of a dated review, in days. */
  maxAgeDays: number;
  /** Lowest acceptable ROC AUC (also used for balanced accuracy when no scores exist). */
  aucMin: number;
  /** Lowest acceptable share_in_data / share_in_reference_population for a group. */
  representationMin: number;
  /** Largest acceptable share of rows with a missing attribute. */
  missingShareMax: number;
  /** Categories below this share may be left out of impact ratios (6 RCNY 5-301(d)). */
  smallCategoryShare: number;
}

export interface CompliancePolicy {
  /** Recorded on every outcome it decides. */
  version: number;
  frameworks: FrameworkId[];
  thresholds: ComplianceThresholds;
  /** Leave categories under thresholds.smallCategoryShare out of impact-ratio calculations. */
  excludeSmallCategoriesFromImpactRatio: boolean;
  /** Reports hide counts 1–10 (CMS cell-size suppression). */
  suppressSmallCells: boolean;
  /** When the policy's thresholds were fixed (ISO 8601); EU AI Act Art. 9(8) needs this before the audit. */
  adoptedAt?: string | null;
  /**
   * Holm's family for the p-values the fairness rules judge: "metric" (each rate of a slice on its own, as
   * the metrics response adjusts them by default) or "slice" (every test of the slice together, which keeps
   * the chance of any false finding per slice at alpha; per metric it was 16–20% across a slice's metrics
   * in null simulations).
   */
  multipleTesting: MultipleTestingFamily;
}

export type MultipleTestingFamily = 'metric' | 'slice';

export const DEFAULT_THRESHOLDS: ComplianceThresholds = {
  irMin: 0.8,
  gapMax: 0.05,
  alpha: 0.05,
  nMin: 30,
  minEvents: 5,
  psiReview: 0.1,
  psiFail: 0.25,
  maxAgeDays: 365,
  aucMin: 0.6,
  representationMin: 0.8,
  missingShareMax: 0.05,
  smallCategoryShare: 0.02,
};

export const DEFAULT_POLICY: CompliancePolicy = {
  version: 0,
  frameworks: [...FRAMEWORK_IDS],
  thresholds: DEFAULT_THRESHOLDS,
  excludeSmallCategoriesFromImpactRatio: false,
  suppressSmallCells: true,
  multipleTesting: 'metric',
  /** The default thresholds were fixed with catalog 2026.11.1, before any audit they decide. */
  adoptedAt: '2026-11-01T00:00:00.000Z',
};

export interface PolicyOverrides {
  version?: number;
  frameworks?: string[];
  thresholds?: Partial<Record<keyof ComplianceThresholds, number>>;
  excludeSmallCategoriesFromImpactRatio?: boolean;
  suppressSmallCells?: boolean;
  adoptedAt?: string | null;
  multipleTesting?: string;
}

/** Validity of each threshold: [check, message]. */
const THRESHOLD_CHECKS: Record<keyof ComplianceThresholds, [(v: number) => boolean, string]> = {
  irMin: [(v) => v > 0 && v <= 1, 'must be in (0, 1]'],
  gapMax: [(v) => v > 0 && v < 1, 'must be in (0, 1)'],
  alpha: [(v) => v > 0 && v < 1, 'must be in (0, 1)'],
  nMin: [(v) => Number.isInteger(v) && v >= 1, 'must be an integer >= 1'],
  minEvents: [(v) => Number.isInteger(v) && v >= 0, 'must be an integer >= 0'],
  psiReview: [(v) => v > 0, 'must be > 0'],
  psiFail: [(v) => v > 0, 'must be > 0'],
  maxAgeDays: [(v) => Number.isInteger(v) && v >= 1, 'must be an integer >= 1'],
  aucMin: [(v) => v >= 0.5 && v <= 1, 'must be in [0.5, 1]'],
  representationMin: [(v) => v > 0 && v <= 1, 'must be in (0, 1]'],
  missingShareMax: [(v) => v >= 0 && v < 1, 'must be in [0, 1)'],
  smallCategoryShare: [(v) => v >= 0 && v < 1, 'must be in [0, 1)'],
};

function isThresholdKey(key: string): key is keyof ComplianceThresholds {
  return Object.hasOwn(THRESHOLD_CHECKS, key);
}

function unknownFrameworks(ids: readonly string[]): string[] {
  const known: readonly string[] = FRAMEWORK_IDS;
  return ids.filter((id) => !known.includes(id));
}

/** Narrows framework IDs; unknown IDs → DomainError('invalid_input') naming them (HTTP 400). */
export function assertFrameworks(ids: readonly string[]): FrameworkId[] {
  const unknown = unknownFrameworks(ids);
  if (unknown.length > 0) {
    throw new DomainError(
      'invalid_input',
      `Unknown framework${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${FRAMEWORK_IDS.join(', ')}.`,
      unknown.map((id) => ({ field: 'frameworks', message: `unknown framework "${id}"` })),
    );
  }
  return [...new Set(ids)] as FrameworkId[];
}

function thresholdErrors(thresholds: Record<string, unknown>, merged: ComplianceThresholds): ProblemDetail[] {
  const errors: ProblemDetail[] = [];
  for (const [key, value] of Object.entries(thresholds)) {
    const field = `thresholds.${key}`;
    if (!isThresholdKey(key)) {
      errors.push({ field, message: 'unknown threshold' });
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push({ field, message: 'must be a finite number' });
    } else if (!THRESHOLD_CHECKS[key][0](value)) {
      errors.push({ field, message: THRESHOLD_CHECKS[key][1] });
    }
  }
  if (errors.length === 0 && merged.psiReview >= merged.psiFail) {
    errors.push({ field: 'thresholds.psiReview', message: 'must be below thresholds.psiFail' });
  }
  return errors;
}

function scalarErrors(o: PolicyOverrides): ProblemDetail[] {
  const errors: ProblemDetail[] = [];
  if (o.version !== undefined && !(Number.isInteger(o.version) && o.version >= 0)) {
    errors.push({ field: 'version', message: 'must be an integer >= 0' });
  }
  for (const key of ['excludeSmallCategoriesFromImpactRatio', 'suppressSmallCells'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean')
      errors.push({ field: key, message: 'must be a boolean' });
  }
  if (o.multipleTesting !== undefined && o.multipleTesting !== 'metric' && o.multipleTesting !== 'slice') {
    errors.push({ field: 'multipleTesting', message: 'must be "metric" or "slice"' });
  }
  if (o.adoptedAt !== undefined && o.adoptedAt !== null && Number.isNaN(Date.parse(o.adoptedAt))) {
    errors.push({ field: 'adoptedAt', message: 'must be an ISO 8601 date-time' });
  }
  if (o.frameworks !== undefined) {
    if (!Array.isArray(o.frameworks) || o.frameworks.length === 0) {
      errors.push({ field: 'frameworks', message: 'must be a non-empty list of framework IDs' });
    } else {
      for (const id of unknownFrameworks(o.frameworks)) {
        errors.push({ field: 'frameworks', message: `unknown framework "${id}"` });
      }
    }
  }
  return errors;
}

/**
 * An organization's policy: the defaults with its overrides (e.g. a stricter irMin of 0.9).
 * Invalid overrides → DomainError('invalid_input') listing every bad field (HTTP 400).
 */
export function resolvePolicy(
  overrides: PolicyOverrides = {},
  base: CompliancePolicy = DEFAULT_POLICY,
): CompliancePolicy {
  const rawThresholds: Record<string, unknown> = overrides.thresholds ?? {};
  const thresholds = { ...base.thresholds, ...overrides.thresholds };
  const errors = [...scalarErrors(overrides), ...thresholdErrors(rawThresholds, thresholds)];
  if (errors.length > 0) {
    throw new DomainError(
      'invalid_input',
      `Invalid compliance policy: ${errors.map((e) => e.field).join(', ')}.`,
      errors,
    );
  }
  return {
    version: overrides.version ?? base.version,
    frameworks: overrides.frameworks ? assertFrameworks(overrides.frameworks) : [...base.frameworks],
    thresholds,
    excludeSmallCategoriesFromImpactRatio:
      overrides.excludeSmallCategoriesFromImpactRatio ?? base.excludeSmallCategoriesFromImpactRatio,
    suppressSmallCells: overrides.suppressSmallCells ?? base.suppressSmallCells,
    multipleTesting: (overrides.multipleTesting as MultipleTestingFamily | undefined) ?? base.multipleTesting,
    // New thresholds without their own adoption date cannot claim the base policy's date.
    adoptedAt:
      overrides.adoptedAt !== undefined
        ? overrides.adoptedAt
        : overrides.thresholds
          ? null
          : (base.adoptedAt ?? null),
  };
}
