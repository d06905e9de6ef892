import type { DriftCheck, DriftStatus, DriftThresholds } from './types';

const RANK: Record<DriftStatus, number> = { ok: 0, warning: 1, alert: 2 };

/** PSI bands: < psiWarning ok, [psiWarning, psiAlert) warning, ≥ psiAlert alert. */
export function psiStatus(value: number, thresholds: DriftThresholds): DriftStatus {
  if (value >= thresholds.psiAlert) return 'alert';
  return value >= thresholds.psiWarning ? 'warning' : 'ok';
}

/**
 * A rate change matters only when it is both significant (p, Holm-adjusted where several groups are
 * tested, below alpha) and material: |change| ≥ rateChangeWarning warns, ≥ rateChangeAlert alerts.
 */
export function rateChangeStatus(change: number, pValue: number, thresholds: DriftThresholds): DriftStatus {
  if (!(pValue < thresholds.alpha)) return 'ok';
  const size = Math.abs(change);
  if (size >= thresholds.rateChangeAlert) return 'alert';
  return size >= thresholds.rateChangeWarning ? 'warning' : 'ok';
}

export function worstStatus(checks: readonly DriftCheck[]): DriftStatus {
  return checks.reduce<DriftStatus>(
    (worst, check) => (RANK[check.status] > RANK[worst] ? check.status : worst),
    'ok',
  );
}

/** Worst status first (alert, warning, ok), then by |value| descending, null values last. */
export function compareChecks(a: DriftCheck, b: DriftCheck): number {
  return RANK[b.status] - RANK[a.status] || magnitude(b) - magnitude(a);
}

function magnitude(check: DriftCheck): number {
  return check.value === null ? -1 : Math.abs(check.value);
}
