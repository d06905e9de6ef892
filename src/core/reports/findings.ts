/**
 * The executive summary's findings: at most three, the most serious first. Candidates are the groups whose
 * rate lies outside the fairness band (taken in rankDisparities' order), the drift checks that warn or alert,
 * and the failing or reviewed controls no other finding names.
 */
import type { ControlEvidence, ControlOutcome } from '../compliance/types';
import type { GroupResult, RateKey, SliceResult } from '../fairness/types';
import { rankDisparities, type RankedDisparity } from '../fairness/rank-disparities';
import { controlRationale } from './compliance-view';
import { driftHiddenReason, driftSubject } from './drift-view';
import { formatNumber, formatPRelation, formatPercent, groupLabel, keyId, scrubSmallCounts } from './format';
import { peopleOf, referencesWholeSlice } from './labels';
import type { SuppressedSlice, SuppressionIndex } from './suppression-index';
import type { Finding, ReportInput } from './types';

const FINDING_METRICS: RateKey[] = ['selection_rate', 'true_positive_rate', 'false_positive_rate'];

/** How many findings the executive summary lists. */
const MAX_FINDINGS = 3;

/**
 * The weights that order the findings, larger first; equal weights go by size (|ln ratio| of a disparity, the
 * statistic of a drift check), then by the words. A disparity weighs by the worst status of the controls it
 * is linked to (info: none), plus a bonus when it is statistically significant at the policy's alpha. The
 * resulting order: significant failing disparity (35), failing disparity (30), drift alert and significant
 * disparity under review (25), failing control no disparity names (24), disparity under review (20), drift
 * warning and significant unlinked disparity (15), control under review (14), unlinked disparity (10).
 */
export const FINDING_RANK = {
  disparity: { fail: 30, review: 20, info: 10 },
  significantBonus: 5,
  drift: { alert: 25, warning: 15 },
  control: { fail: 24, review: 14 },
} as const;

interface Candidate {
  rank: number;
  magnitude: number;
  finding: Finding;
}

/** Complements: a gap in TPR is the same gap in FNR, one in FPR the same in TNR. */
const COMPLEMENT: Partial<Record<RateKey, RateKey>> = {
  true_positive_rate: 'false_negative_rate',
  false_positive_rate: 'true_negative_rate',
};

/**
 * Whether a control's evidence item is the rule's evaluation of this rate's disparity: the rate itself, its
 * difference or ratio, its complement, or a slice summary built from it. Drift evidence (monitoring rules)
 * is about change between audits, not this audit's disparity.
 */
function evidenceMatchesMetric(e: ControlEvidence, metric: RateKey): boolean {
  if (e.metric.startsWith('drift.')) return false;
  const base = e.metric.replace(/\.(difference|ratio)$/, '');
  if (base === metric || (COMPLEMENT[metric] !== undefined && base === COMPLEMENT[metric])) return true;
  if (metric === 'selection_rate')
    return ['impact_ratio', 'demographic_parity_ratio', 'demographic_parity_difference'].includes(e.metric);
  if (metric === 'true_positive_rate')
    return [
      'equal_opportunity_difference',
      'equal_opportunity_ratio',
      'equalized_odds_difference',
      'equalized_odds_ratio',
    ].includes(e.metric);
  if (metric === 'false_positive_rate')
    return ['equalized_odds_difference', 'equalized_odds_ratio'].includes(e.metric);
  return false;
}

function linkedControls(
  controls: readonly ControlOutcome[],
  slice: SliceResult,
  g: GroupResult,
  metric: RateKey,
): ControlOutcome[] {
  const gid = keyId(g.key);
  const attrs = slice.attributes.join('\u0001');
  return controls.filter(
    (c) =>
      (c.status === 'fail' || c.status === 'review') &&
      c.evidence.some(
        (e) =>
          evidenceMatchesMetric(e, metric) &&
          (e.group ? keyId(e.group) === gid : e.attributes ? e.attributes.join('\u0001') === attrs : true),
      ),
  );
}

function disparityFinding(
  input: ReportInput,
  s: SuppressedSlice,
  r: RankedDisparity,
  band: [number, number],
  alpha: number,
): Candidate | null {
  const { slice } = s;
  const { rate: metric, ratio, disparity: d } = r;
  const g = slice.groups[r.group];
  // A finding compares a group with others: the reference group, the others' yardstick, gets none.
  if (!g || g.flags.includes('reference')) return null;
  const noun = input.subjectNoun ?? 'patients';
  const negative = input.result.conventions.favorableOutcome === 'negative';
  let comparator = referencesWholeSlice(slice)
    ? `all ${noun} in the slice`
    : peopleOf(groupLabel(slice.reference, slice.attributes), slice.attributes, noun);
  if (r.comparator === 'most_favoured') {
    const topIndex = slice.groups.findIndex((x) => x.disparities.selection_rate?.impactRatio === 1);
    const top = slice.groups[topIndex];
    if (!top || topIndex === r.group) return null;
    comparator = peopleOf(groupLabel(top.key, slice.attributes), slice.attributes, noun);
  }
  if (ratio >= band[0] && ratio <= band[1]) return null;
  const who = peopleOf(groupLabel(g.key, slice.attributes), slice.attributes, noun);
  const action =
    metric === 'selection_rate'
      ? negative
        ? 'receive the favourable outcome (a negative prediction)'
        : 'receive a positive prediction'
      : metric === 'true_positive_rate'
        ? 'who have the outcome are correctly identified (true positive rate)'
        : 'who do not have the outcome are wrongly flagged (false positive rate)';
  const rel =
    ratio < 1 ? `${formatPercent(ratio)} of the rate of` : `${formatNumber(ratio)} times the rate of`;
  const threshold =
    ratio < band[0]
      ? metric === 'selection_rate' && band[0] === 0.8
        ? 'below the 80% four-fifths threshold'
        : `below the fairness band's lower limit of ${formatPercent(band[0])}`
      : `above the fairness band's upper limit of ${formatNumber(band[1])}`;
  const p = d.pValueAdjusted ?? d.pValue ?? null;
  const significant = p !== null && p < alpha;
  const sig =
    p === null
      ? 'significance not tested'
      : significant
        ? `statistically significant, adjusted p ${formatPRelation(p)}`
        : 'not statistically significant';
  const linked = linkedControls(input.controls, slice, g, metric);
  const ids = [...new Set(linked.map((c) => c.controlId))];
  const severity: Finding['severity'] = linked.some((c) => c.status === 'fail')
    ? 'fail'
    : linked.length > 0 || significant
      ? 'review'
      : 'info';
  const affects = ids.length > 0 ? ` Affects: ${ids.join(', ')}.` : '';
  const text = `${who.charAt(0).toUpperCase()}${who.slice(1)} ${action} at ${rel} ${comparator} (${threshold}; ${sig}).${affects}`;
  return {
    rank: FINDING_RANK.disparity[severity] + (significant ? FINDING_RANK.significantBonus : 0),
    magnitude: r.distance,
    finding: { severity, text, controlIds: ids },
  };
}

export function buildFindings(input: ReportInput, idx: SuppressionIndex, band: [number, number]): Finding[] {
  const cands: Candidate[] = [];
  // With a negative favourable outcome, selection is judged as LL144 does: against the most favoured group.
  const negative = input.result.conventions.favorableOutcome === 'negative';
  const ranked = rankDisparities(
    idx.slices.map((s) => s.slice),
    {
      rates: FINDING_METRICS,
      comparator: (rate) => (rate === 'selection_rate' && negative ? 'most_favoured' : 'reference'),
      hidden: (slice, group, rate, comparator) => idx.ratioHidden(slice, group, rate, comparator),
    },
  );
  for (const r of ranked) {
    const s = idx.slices[r.slice];
    const c = s ? disparityFinding(input, s, r, band, input.alpha) : null;
    if (c) cands.push(c);
  }
  const driftControls = input.controls.filter(
    (c) =>
      (c.status === 'fail' || c.status === 'review') && c.evidence.some((e) => e.metric.startsWith('drift')),
  );
  for (const check of input.drift?.checks ?? []) {
    if (check.status === 'ok') continue;
    if (driftHiddenReason(check, idx, input.audit.config.minGroupSize) !== null) continue;
    const ids = [...new Set(driftControls.map((c) => c.controlId))];
    const msg = scrubSmallCounts(check.message).replace(/\.?\s*$/, '.');
    cands.push({
      rank: FINDING_RANK.drift[check.status],
      magnitude: Math.abs(check.value ?? 0),
      finding: {
        severity: check.status === 'alert' ? 'fail' : 'review',
        text: `Drift (${driftSubject(check)}): ${msg}${ids.length > 0 ? ` Affects: ${ids.join(', ')}.` : ''}`,
        controlIds: ids,
      },
    });
  }
  const covered = new Set(cands.flatMap((c) => c.finding.controlIds));
  for (const c of input.controls) {
    if ((c.status !== 'fail' && c.status !== 'review') || covered.has(c.controlId)) continue;
    const rationale = controlRationale(c, idx).replace(/\.?\s*$/, '.');
    cands.push({
      rank: FINDING_RANK.control[c.status],
      magnitude: 0,
      finding: {
        severity: c.status,
        text: `${rationale} Affects: ${c.controlId}.`,
        controlIds: [c.controlId],
      },
    });
  }
  cands.sort(
    (a, b) => b.rank - a.rank || b.magnitude - a.magnitude || a.finding.text.localeCompare(b.finding.text),
  );
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const c of cands) {
    if (seen.has(c.finding.text)) continue;
    seen.add(c.finding.text);
    out.push(c.finding);
    if (out.length === MAX_FINDINGS) break;
  }
  if (out.length === 0) {
    out.push({
      severity: 'info',
      text: `No group's rate falls outside the fairness band ${band[0]}–${band[1]}, and no control fails or needs review.`,
      controlIds: [],
    });
  }
  return out;
}
