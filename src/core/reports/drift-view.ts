/**
 * The drift section: the checks that need attention, the most important first, each suppressed with the true
 * reason when it is about a hidden group or rests on one; with the trend charts of ./trend-view.ts. The
 * console prints its drift checks with driftCheckView (through ./browser.ts).
 */
import type { DriftCheck, DriftStatus } from '../drift/types';
import type { RateKey } from '../fairness/types';
import { evidenceMinimum } from './disclosure';
import {
  SUPPRESSED_TEXT,
  formatNumber,
  formatPRelation,
  groupLabel,
  metricLabel,
  scrubSmallCounts,
} from './format';
import { DRIFT_LABELS } from './labels';
import type { SuppressionIndex } from './suppression-index';
import { summaryTrend, trendView } from './trend-view';
import type { DriftCheckView, DriftView, ReportInput } from './types';

export function driftSubject(c: DriftCheck): string {
  const who = c.key
    ? groupLabel(c.key, c.attributes)
    : c.attributes
      ? c.attributes.join(' × ')
      : 'whole sample';
  return c.metric ? `${who} · ${metricLabel(c.metric)}` : who;
}

const SUMMARY_DEPENDS: Record<string, RateKey[]> = {
  demographic_parity_ratio: ['selection_rate'],
  demographic_parity_difference: ['selection_rate'],
  impact_ratio: ['selection_rate'],
  equal_opportunity_ratio: ['true_positive_rate'],
  equal_opportunity_difference: ['true_positive_rate'],
  equalized_odds_ratio: ['true_positive_rate', 'false_positive_rate'],
  equalized_odds_difference: ['true_positive_rate', 'false_positive_rate'],
  average_odds_difference: ['true_positive_rate', 'false_positive_rate'],
};

/**
 * Why a drift check's figures may not be printed (null: they may): it is about a group or rate that is
 * suppressed, or about a slice summary that rests on a group of at least minGroupSize people whose rate is
 * suppressed (drift computes summaries over those groups).
 */
export function driftHiddenReason(c: DriftCheck, idx: SuppressionIndex, minGroupSize = 30): string | null {
  if (c.key !== undefined) {
    if (idx.groupHidden(c.key)) return idx.hiddenReason(c.key);
    if (c.metric !== undefined && idx.metricHiddenFor(c.key, c.metric))
      return idx.hiddenReason(c.key, c.metric);
    return null;
  }
  const deps = c.metric !== undefined ? SUMMARY_DEPENDS[c.metric] : undefined;
  if (!deps || !c.attributes) return null;
  const attrs = c.attributes.join('\u0001');
  const s = idx.slices.find((x) => x.slice.attributes.join('\u0001') === attrs);
  if (!s) return null;
  const min = evidenceMinimum(minGroupSize);
  const rests = s.slice.groups.some((g, i) => {
    const gs = s.sup.groups[i];
    return (
      g.count >= min &&
      gs !== undefined &&
      (gs.countSuppressed || deps.some((k) => gs.suppressedMetrics[k] !== undefined))
    );
  });
  return rests ? 'the summary rests on a group whose figures are suppressed' : null;
}

/** One drift check as printed: its statistic and message suppressed (with the true reason) when hidden. */
export function driftCheckView(c: DriftCheck, idx: SuppressionIndex, minGroupSize = 30): DriftCheckView {
  const reason = driftHiddenReason(c, idx, minGroupSize);
  const stat =
    reason !== null
      ? SUPPRESSED_TEXT
      : `${c.statistic.replace(/_/g, ' ')} ${formatNumber(c.value, 3)}${c.pValue !== undefined && c.pValue !== null ? `, p ${formatPRelation(c.pValue)}` : ''}`;
  return {
    status: c.status,
    statusLabel: DRIFT_LABELS[c.status],
    kindLabel: c.kind.charAt(0).toUpperCase() + c.kind.slice(1),
    subject: driftSubject(c),
    statistic: stat,
    message:
      reason !== null
        ? `A change was detected; details are suppressed because ${reason}.`
        : scrubSmallCounts(c.message),
  };
}

/** Drift checks printed in the report, the most important first. */
const MAX_DRIFT_ROWS = 12;
const DRIFT_RANK: Record<DriftStatus, number> = { alert: 0, warning: 1, ok: 2 };

export function buildDrift(
  input: Pick<ReportInput, 'drift' | 'timeline' | 'audit'>,
  idx: SuppressionIndex,
  band: [number, number],
  favorable: 'positive' | 'negative',
): DriftView {
  const notes: string[] = [];
  const checks: DriftCheckView[] = [];
  let okCount = 0;
  let notEnough = 0;
  const minGroupSize = input.audit.config.minGroupSize;
  const flagged: DriftCheck[] = [];
  for (const c of input.drift?.checks ?? []) {
    if (c.status === 'ok') {
      okCount++;
      if (c.message.startsWith('Not enough data')) notEnough++;
    } else flagged.push(c);
  }
  // Led by the changes that matter most: alerts before warnings, then the larger statistic first; a long tail
  // is counted, not printed (it stays in the console and GET /v1/audits/{id}/drift).
  flagged.sort(
    (a, b) => DRIFT_RANK[a.status] - DRIFT_RANK[b.status] || Math.abs(b.value ?? 0) - Math.abs(a.value ?? 0),
  );
  for (const c of flagged.slice(0, MAX_DRIFT_ROWS)) checks.push(driftCheckView(c, idx, minGroupSize));
  if (flagged.length > MAX_DRIFT_ROWS) {
    const rest = flagged.slice(MAX_DRIFT_ROWS);
    const alerts = rest.filter((c) => c.status === 'alert').length;
    notes.push(
      `${rest.length} more check${rest.length === 1 ? '' : 's'} need${rest.length === 1 ? 's' : ''} attention (${alerts} alert${alerts === 1 ? '' : 's'}, ${rest.length - alerts} warning${rest.length - alerts === 1 ? '' : 's'}), ranked below those listed (alerts first, then by the size of the statistic); all are in the console's drift view and GET /v1/audits/{id}/drift.`,
    );
  }
  if (notEnough > 0)
    notes.push(
      `${notEnough} check${notEnough === 1 ? '' : 's'} of groups with fewer than ${minGroupSize} people in one of the two audits: not enough data to call a change, so none raises a warning or alert.`,
    );
  const trends: DriftView['trends'] = [];
  for (const series of input.timeline) {
    if (series.points.length === 0) continue;
    const { title, chart, note } = trendView(series, idx);
    trends.push({ title, chart, note });
  }
  const summary = summaryTrend(
    input.timeline.filter((t) => t.points.length > 0),
    minGroupSize,
    favorable,
    band,
  );
  if (summary) trends.unshift(summary);
  if (!input.drift) notes.push('No baseline audit to compare with: drift was not assessed.');
  if (input.timeline.every((t) => t.points.length === 0))
    notes.push('No earlier audits of this model: there is no trend to show yet.');
  return {
    present: input.drift !== null,
    status: input.drift?.status ?? null,
    statusLabel: input.drift ? DRIFT_LABELS[input.drift.status] : 'Not assessed',
    okCount,
    attentionCount: flagged.length,
    checks,
    trends,
    notes,
  };
}
