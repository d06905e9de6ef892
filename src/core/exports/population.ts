/**
 * Population drift for HTI-1 (B)(4)(iv), the relevance of the development data to the deployed setting: the
 * PSI of each audited attribute's group mix between the latest development audit (training, else internal
 * test) and the latest local audit, from the audits' group counts (no row data needed). Same statistic and
 * thresholds as the drift checks (core/drift/psi.ts, the model's drift policy).
 */
import { psi } from '../drift/psi';
import type { DriftThresholds } from '../drift/types';
import { keyId } from '../reports/format';
import type { ExportAudit, PopulationDrift } from './types';

export function populationDrift(
  baseline: ExportAudit,
  current: ExportAudit,
  t: DriftThresholds,
): PopulationDrift | null {
  const checks: PopulationDrift['checks'] = [];
  for (const before of baseline.results.slices) {
    if (before.attributes.length !== 1) continue;
    const after = current.results.slices.find(
      (s) => s.attributes.length === 1 && s.attributes[0] === before.attributes[0],
    );
    if (!after) continue;
    const keys = [...new Set([...before.groups, ...after.groups].map((g) => keyId(g.key)))];
    const counts = (groups: typeof before.groups): number[] =>
      keys.map((k) => groups.find((g) => keyId(g.key) === k)?.count ?? 0);
    const b = counts(before.groups);
    const a = counts(after.groups);
    const nb = b.reduce((s, x) => s + x, 0);
    const na = a.reduce((s, x) => s + x, 0);
    if (nb === 0 || na === 0) continue;
    const value = psi(
      b.map((x) => x / nb),
      a.map((x) => x / na),
    );
    const status = value >= t.psiAlert ? 'alert' : value >= t.psiWarning ? 'warning' : 'ok';
    checks.push({ attributes: before.attributes, statistic: 'psi', value, status });
  }
  if (checks.length === 0) return null;
  return { baselineAuditId: baseline.id, auditId: current.id, checks };
}
