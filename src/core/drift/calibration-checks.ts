import type { FairnessResult, MetricValue, SliceResult } from '../fairness/types';
import { normalCdf, zCritical } from '../stats';
import { holm } from './hypothesis-tests';
import type { CheckScope } from './scope';
import { matchSlices } from './slices';
import type { DriftCheck, DriftStatus, DriftThresholds } from './types';
import { describeSubject, formatNumber, formatPValue } from './wording';

/** The calibration keys drift follows (metrics.md, "Score quality per group"). */
export const CALIBRATION_DRIFT_METRICS = ['observed_expected_ratio', 'calibration_slope'] as const;
type CalibrationMetric = (typeof CALIBRATION_DRIFT_METRICS)[number];

/**
 * A material calibration change: the O/E ratio moving by this share of its baseline value (0.1: e.g. from 1.00
 * to 1.10), or the slope by this much (0.1: e.g. from 1.00 to 0.90), warns; CALIBRATION_CHANGE_ALERT alerts.
 * Both only when the change is also significant (Holm-adjusted p below alpha), as for rates.
 */
export const CALIBRATION_CHANGE_WARNING = 0.1;
export const CALIBRATION_CHANGE_ALERT = 0.2;

/** An estimate with its standard error, recovered from the stored Wald interval. */
interface Estimate {
  value: number;
  se: number;
}

interface Comparison {
  scope: CheckScope;
  before: Estimate;
  after: Estimate;
  z: number;
  pValue: number;
}

const WORDS: Record<CalibrationMetric, string> = {
  observed_expected_ratio: 'observed/expected ratio (events seen over events the scores predict)',
  calibration_slope: 'calibration slope',
};

/**
 * Calibration drift of the whole sample and of each group of every slice present in both results: the O/E
 * ratio compared on the log scale, z = (ln R₂ − ln R₁)/√(se₁² + se₂²), and the calibration slope,
 * z = (b₂ − b₁)/√(se₁² + se₂²), with each side's standard error read back from its stored interval (the
 * interval is exp(ln R ± z·se), resp. b ± z·se, at the result's confidence level). Holm within a slice and
 * metric across its groups. Results without calibration (no scores, scores outside [0, 1], a fit that is
 * null) give no check; small groups are left to notEnoughData like every per-group check.
 */
export function calibrationChecks(
  baseline: FairnessResult,
  current: FairnessResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const zBefore = zCritical(baseline.conventions.confidenceLevel);
  const zAfter = zCritical(current.conventions.confidenceLevel);
  const compare = (
    metric: CalibrationMetric,
    scope: CheckScope,
    before?: MetricValue,
    after?: MetricValue,
  ): Comparison[] => {
    const b = estimate(metric, before, zBefore);
    const a = estimate(metric, after, zAfter);
    if (b === null || a === null) return [];
    const difference =
      metric === 'observed_expected_ratio' ? Math.log(a.value) - Math.log(b.value) : a.value - b.value;
    const se = Math.sqrt(a.se * a.se + b.se * b.se);
    if (!(se > 0)) return [];
    const z = difference / se;
    return [{ scope, before: b, after: a, z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) }];
  };
  return CALIBRATION_DRIFT_METRICS.flatMap((metric) => [
    ...checks(
      metric,
      compare(metric, {}, baseline.overall.metrics[metric], current.overall.metrics[metric]),
      thresholds,
    ),
    ...matchSlices(baseline, current).flatMap(([before, after]) =>
      checks(metric, groupComparisons(metric, before, after, compare), thresholds),
    ),
  ]);
}

function groupComparisons(
  metric: CalibrationMetric,
  before: SliceResult,
  after: SliceResult,
  compare: (m: CalibrationMetric, scope: CheckScope, b?: MetricValue, a?: MetricValue) => Comparison[],
): Comparison[] {
  return before.groups.flatMap((group) => {
    const other = after.groups.find((candidate) => sameKey(candidate.key, group.key));
    if (!other) return [];
    const scope = { attributes: before.attributes, key: group.key };
    return compare(metric, scope, group.metrics[metric], other.metrics[metric]);
  });
}

function sameKey(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The value and its standard error, or null without a finite value and interval. */
function estimate(metric: CalibrationMetric, m: MetricValue | undefined, z: number): Estimate | null {
  const value = m?.value ?? null;
  const high = m?.ciHigh ?? null;
  if (value === null || high === null || !Number.isFinite(value) || !Number.isFinite(high)) return null;
  if (metric === 'observed_expected_ratio') {
    if (!(value > 0 && high > value)) return null;
    return { value, se: Math.log(high / value) / z };
  }
  return high > value ? { value, se: (high - value) / z } : null;
}

function checks(
  metric: CalibrationMetric,
  comparisons: readonly Comparison[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const adjusted = comparisons.length > 1 ? holm(comparisons.map((c) => c.pValue)) : null;
  return comparisons.map(({ scope, before, after, z, pValue: raw }, i): DriftCheck => {
    const pValueAdjusted = adjusted?.[i] ?? null;
    const pValue = pValueAdjusted ?? raw;
    const change =
      metric === 'observed_expected_ratio' ? after.value / before.value - 1 : after.value - before.value;
    const moved =
      formatNumber(before.value) === formatNumber(after.value)
        ? `stayed at ${formatNumber(after.value)}`
        : `${after.value > before.value ? 'rose' : 'fell'} from ${formatNumber(before.value)} to ${formatNumber(after.value)}`;
    return {
      kind: 'performance',
      ...scope,
      metric,
      statistic: 'z_test',
      value: z,
      pValue: raw,
      ...(adjusted ? { pValueAdjusted } : {}),
      baseline: before.value,
      current: after.value,
      status: changeStatus(change, pValue, thresholds),
      message: `The ${WORDS[metric]} of ${describeSubject(scope.key)} ${moved} (${formatPValue(pValue)}${adjusted ? ' after Holm' : ''}).`,
    };
  });
}

/** Significant (p < alpha) and material (|change| ≥ CALIBRATION_CHANGE_WARNING, ≥ …_ALERT alerts). */
function changeStatus(change: number, pValue: number, thresholds: DriftThresholds): DriftStatus {
  if (!(pValue < thresholds.alpha)) return 'ok';
  const size = Math.abs(change);
  if (size >= CALIBRATION_CHANGE_ALERT) return 'alert';
  return size >= CALIBRATION_CHANGE_WARNING ? 'warning' : 'ok';
}
