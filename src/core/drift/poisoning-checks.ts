import type { DriftCheck, DriftThresholds } from './types';
import { describeRateMove, describeSubject, formatNumber, formatPoints } from './wording';

/** How one kind of per-group check measures a group's change, and what counts as sharp or small. */
interface Signal {
  select(check: DriftCheck): boolean;
  change(check: DriftCheck): number;
  isSharp(check: DriftCheck): boolean;
  isSmall(change: number): boolean;
  describe(check: DriftCheck, othersLargest: number): string;
}

/**
 * A group whose label rate or score distribution moved at alert level while every other group of the
 * same attribute barely moved (label change < rateChangeWarning, score PSI < psiWarning) is the footprint
 * of a data error or of poisoning aimed at that group. Reads the per-group label and score checks.
 */
export function poisoningChecks(checks: readonly DriftCheck[], thresholds: DriftThresholds): DriftCheck[] {
  return signals(thresholds).flatMap((signal) => {
    const candidates = checks.filter(
      (check) => check.key !== undefined && check.attributes?.length === 1 && signal.select(check),
    );
    return candidates.flatMap((check) => {
      if (!signal.isSharp(check)) return [];
      const others = candidates.filter(
        (other) => other !== check && other.attributes![0] === check.attributes![0],
      );
      const othersLargest = Math.max(...others.map((other) => Math.abs(signal.change(other))));
      if (others.length === 0 || !signal.isSmall(othersLargest)) return [];
      return [poisoningCheck(check, signal, othersLargest)];
    });
  });
}

function poisoningCheck(check: DriftCheck, signal: Signal, othersLargest: number): DriftCheck {
  const groupChange = signal.change(check);
  return {
    kind: 'poisoning',
    attributes: check.attributes,
    key: check.key,
    metric: check.metric ?? 'score',
    statistic: check.statistic,
    value: groupChange,
    ...(check.pValue === undefined ? {} : { pValue: check.pValue }),
    baseline: check.baseline,
    current: check.current,
    status: 'alert',
    message: `${signal.describe(check, othersLargest)} Such a change in one group alone can come from a data error or deliberate tampering: check the new data for this group.`,
    evidence: { groupChange, othersLargestChange: othersLargest },
  };
}

function signals(thresholds: DriftThresholds): Signal[] {
  const labelRate: Signal = {
    select: (check) => check.kind === 'label',
    change: (check) => (check.current ?? 0) - (check.baseline ?? 0),
    isSharp: (check) => check.status === 'alert',
    isSmall: (change) => change < thresholds.rateChangeWarning,
    describe: (check, othersLargest) =>
      `Only ${describeSubject(check.key)} changed sharply: its share of positive labels ${describeRateMove(check.baseline ?? 0, check.current ?? 0)}, while no other ${check.attributes![0]} group moved more than ${formatPoints(othersLargest)}.`,
  };
  const scoreShift: Signal = {
    select: (check) => check.kind === 'score' && check.statistic === 'psi',
    change: (check) => check.value ?? 0,
    isSharp: (check) => (check.value ?? 0) >= thresholds.psiAlert,
    isSmall: (change) => change < thresholds.psiWarning,
    describe: (check, othersLargest) =>
      `Only ${describeSubject(check.key)} changed sharply: its scores shifted with PSI ${formatNumber(check.value ?? 0)}, while no other ${check.attributes![0]} group exceeded PSI ${formatNumber(othersLargest)}.`,
  };
  return [labelRate, scoreShift];
}
