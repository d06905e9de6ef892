/**
 * The executive summary's findings: at most three, the most serious first. Candidates are the groups whose
 * rate lies outside the fairness band (in the order of rankDisparities), the drift checks that warn or alert,
 * and the failing or reviewed controls not already named; each is ranked by the named weights below, then by
 * its size, then by its words.
 */
import type { ControlEvidence, ControlOutcome } from '../compliance/types';
import type { GroupResult, RateKey, SliceResult } from '../fairness/types';
import { controlRationale } from './compliance-view';
import { driftHiddenReason, driftSubject } from './drift-view';
import { formatNumber, formatPValue, formatPercent, groupLabel, keyId, scrubSmallCounts } from './format';
import { peopleOf, referencesWholeSlice } from './labels';
import type { SuppressedSlice, SuppressionIndex } from './suppression-index';
import type { Finding, ReportInput } from './types';

const FINDING_METRICS: RateKey[] = ['selection_rate', 'true_positive_rate', 'false_positive_rate'];

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
  g: GroupResult,
  i: number,
  metric: RateKey,
  band: [number, number],
): Candidate | null {
  const { slice, sup } = s;
  const gs = sup.groups[i];
  if (!gs || gs.countSuppressed || gs.suppressedDisparities.includes(metric) || g.flags.includes('reference'))
    return null;
  const d = g.disparities[metric];
  if (!d) return null;
  const noun = input.subjectNoun ?? 'patients';
  const negative = input.result.conventions.favorableOutcome === 'negative';
  let ratio = d.ratio;
  let comparator = referencesWholeSlice(slice)
    ? `all ${noun} in the slice`
    : peopleOf(groupLabel(slice.reference, slice.attributes), slice.attributes, noun);
  if (metric === 'selection_rate' && negative) {
    if (gs.impactRatioSuppressed || d.impactRatio === undefined || d.impactRatio === null) return null;
    ratio = d.impactRatio;
    const topIndex = slice.groups.findIndex((x) => x.disparities.selection_rate?.impactRatio === 1);
    const top = slice.groups[topIndex];
    if (!top || topIndex === i) return null;
    comparator = peopleOf(groupLabel(top.key, slice.attributes), slice.attributes, noun);
  }
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return null;
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
  const sig =
    p === null
      ? 'significance not tested'
      : p < 0.05
        ? `statistically significant, adjusted p ${p < 0.001 ? '< 0.001' : `= ${formatPValue(p)}`}`
        : 'not statistically significant';
  const linked = linkedControls(input.controls, slice, g, metric);
  const ids = [...new Set(linked.map((c) => c.controlId))];
  const severity: Finding['severity'] = linked.some((c) => c.status === 'fail')
    ? 'fail'
    : linked.length > 0 || (p !== null && p < 0.05)
      ? 'review'
      : 'info';
  const affects = ids.length > 0 ? ` Affects: ${ids.join(', ')}.` : '';
  const text = `${who.charAt(0).toUpperCase()}${who.slice(1)} ${action} at ${rel} ${comparator} (${threshold}; ${sig}).${affects}`;
  const rank =
    (severity === 'fail' ? 30 : severity === 'review' ? 20 : 10) + (p !== null && p < 0.05 ? 5 : 0);
  return {
    rank,
    magnitude: Math.abs(Math.log(Math.max(ratio, 1e-9))),
    finding: { severity, text, controlIds: ids },
  };
}

export function buildFindings(
  input: ReportInput,
  slices: SuppressedSlice[],
  idx: SuppressionIndex,
  band: [number, number],
): Finding[] {
  const cands: Candidate[] = [];
  for (const s of slices) {
    s.slice.groups.forEach((g, i) => {
      for (const m of FINDING_METRICS) {
        const c = disparityFinding(input, s, g, i, m, band);
        if (c) cands.push(c);
      }
    });
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
      rank: check.status === 'alert' ? 25 : 15,
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
      rank: c.status === 'fail' ? 24 : 14,
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
    if (out.length === 3) break;
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
