/**
 * The compliance section: each framework's controls with their evidence and rationale as published (figures of
 * suppressed groups replaced by the true reason, small counts scrubbed). controlRationale is also the
 * console's (through ./browser.ts).
 */
import type { ControlEvidence, ControlOutcome, ControlStatus, FrameworkId } from '../compliance/types';
import { FRAMEWORK_IDS } from '../compliance/types';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  formatCount,
  formatNumber,
  formatPRelation,
  formatValueWithInterval,
  groupLabel,
  isSmallCount,
  metricLabel,
  scrubSmallCounts,
} from './format';
import { FRAMEWORK_NAMES, STATUS_LABELS } from './labels';
import type { SuppressionIndex } from './suppression-index';
import type { ControlView, FrameworkView, ReportInput } from './types';

function evidenceText(e: ControlEvidence, idx: SuppressionIndex): string {
  const who = e.group
    ? ` for ${groupLabel(e.group, e.attributes)}`
    : e.attributes
      ? ` for ${e.attributes.join(' × ')}`
      : '';
  const parts: string[] = [];
  if (idx.metricHiddenFor(e.group, e.metric)) {
    parts.push(`${SUPPRESSED_TEXT} (${idx.hiddenShort(e.group, e.metric)})`);
  } else {
    if (e.value !== undefined && e.value !== null) {
      const iv =
        typeof e.value === 'number'
          ? formatValueWithInterval(e.value, e.ciLow, e.ciHigh).text
          : scrubSmallCounts(e.value);
      parts.push(iv);
    }
    if (e.pValue !== undefined && e.pValue !== null) parts.push(`p ${formatPRelation(e.pValue)}`);
  }
  if (e.threshold !== undefined)
    parts.push(`threshold ${typeof e.threshold === 'number' ? formatNumber(e.threshold) : e.threshold}`);
  if (e.count !== undefined) {
    parts.push(
      isSmallCount(e.count)
        ? `n ${SMALL_COUNT_TEXT}`
        : idx.groupHidden(e.group)
          ? `n ${SUPPRESSED_TEXT}`
          : `n = ${formatCount(e.count)}`,
    );
  }
  return `${metricLabel(e.metric)}${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

const STATUS_WORDS: Record<ControlStatus, string> = {
  pass: 'passes',
  fail: 'fails',
  review: 'needs review',
  inconclusive: 'is inconclusive (the data cannot decide it)',
  not_applicable: 'does not apply',
};

/**
 * A control's rationale as published. The rule's own sentence explains its decisive evidence (the first
 * item, worst first); when that item's figure is suppressed, the sentence (which may state a rate, a ratio
 * or a gap of it) is replaced by one built from the same facts without the figure: the metric, the group,
 * the threshold, the status and the true reason for the suppression. Otherwise every small count of the
 * groups it names is scrubbed.
 */
export function controlRationale(
  c: Pick<ControlOutcome, 'rationale' | 'evidence'> & Partial<Pick<ControlOutcome, 'status' | 'controlId'>>,
  idx: SuppressionIndex,
): string {
  const decisive = c.evidence[0];
  const hiddenEvidence = c.evidence.filter(
    (e) => e.group !== undefined && idx.metricHiddenFor(e.group, e.metric),
  );
  if (decisive && decisive.group && idx.metricHiddenFor(decisive.group, decisive.metric)) {
    const who = groupLabel(decisive.group, decisive.attributes);
    const reason = idx.hiddenReason(decisive.group, decisive.metric) ?? 'its figures are suppressed';
    const status = c.status ? STATUS_WORDS[c.status] : 'is decided';
    const what =
      decisive.metric === 'count'
        ? `the size of the group ${who}`
        : `the ${metricLabel(decisive.metric).toLowerCase()} of the group ${who}`;
    const threshold =
      decisive.threshold !== undefined
        ? ` against the policy threshold ${typeof decisive.threshold === 'number' ? formatNumber(decisive.threshold) : decisive.threshold}`
        : '';
    return `The control ${status} on ${what}${threshold}; the figure is not printed because ${reason}.`;
  }
  // A later evidence item may be the one the sentence explains (e.g. after a documentation item): when the
  // sentence names a group whose figure is suppressed, its figures of that group ("at 29% of the rate",
  // "by 12 percentage points", "its 45% impact ratio") go, and the reason is said.
  const named = hiddenEvidence.filter((e) => {
    const g = e.group ?? {};
    return (
      c.rationale.includes(`the group ${Object.values(g).join(', ')} `) ||
      c.rationale.includes(groupLabel(g, e.attributes))
    );
  });
  if (named.length > 0) {
    const first = named[0]!;
    const reason = idx.hiddenReason(first.group, first.metric) ?? 'its figures are suppressed';
    const stripped = c.rationale
      .replace(/\bat \d+(?:\.\d+)?% of the rate/g, 'at a share (not printed) of the rate')
      .replace(/\bby \d+(?:\.\d+)? percentage points/g, 'by an amount (not printed)')
      .replace(/\bits \d+(?:\.\d+)?% /g, 'its ');
    return `${scrubSmallCounts(stripped, idx.smallCountsOf(c.evidence)).replace(/\.?\s*$/, '.')} (The figure for ${groupLabel(first.group ?? {}, first.attributes)} is not printed because ${reason}.)`;
  }
  return hiddenEvidence.length > 0
    ? scrubSmallCounts(c.rationale, idx.smallCountsOf(c.evidence))
    : scrubSmallCounts(
        c.rationale,
        c.evidence.map((e) => e.count ?? 0),
      );
}

export function buildCompliance(
  input: Pick<ReportInput, 'controls' | 'policyVersion'>,
  idx: SuppressionIndex,
): { frameworks: FrameworkView[]; overview: string } {
  const order = new Map<string, number>(FRAMEWORK_IDS.map((f, i) => [f, i]));
  const byFw = new Map<FrameworkId, ControlOutcome[]>();
  for (const c of input.controls) {
    const list = byFw.get(c.framework);
    if (list) list.push(c);
    else byFw.set(c.framework, [c]);
  }
  const frameworks: FrameworkView[] = [...byFw.entries()]
    .sort((a, b) => (order.get(a[0]) ?? 99) - (order.get(b[0]) ?? 99))
    .map(([fw, list]) => {
      const controls: ControlView[] = list.map((c) => ({
        controlId: c.controlId,
        title: c.title,
        status: c.status,
        statusLabel: STATUS_LABELS[c.status],
        evidence:
          c.evidence.length > 0
            ? c.evidence.map((e) => evidenceText(e, idx)).join('. ')
            : 'No evidence recorded.',
        rationale: controlRationale(c, idx),
      }));
      const count = (st: ControlStatus): number => list.filter((c) => c.status === st).length;
      const counts = [
        `${count('pass')} pass`,
        `${count('fail')} fail`,
        `${count('review')} need review`,
        ...(count('inconclusive') > 0 ? [`${count('inconclusive')} inconclusive`] : []),
        ...(count('not_applicable') > 0 ? [`${count('not_applicable')} not applicable`] : []),
      ].join(', ');
      return { framework: fw, name: FRAMEWORK_NAMES[fw], counts, controls };
    });
  const n = (st: ControlStatus): number => input.controls.filter((c) => c.status === st).length;
  const overview = `${input.controls.length} controls evaluated under policy version ${input.policyVersion}: ${n('pass')} pass, ${n('fail')} fail, ${n('review')} need review, ${n('inconclusive')} inconclusive, ${n('not_applicable')} not applicable.`;
  return { frameworks, overview };
}
