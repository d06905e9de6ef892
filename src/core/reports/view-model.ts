/**
 * buildReportViewModel: everything the PDF prints, formatted and small-cell suppressed. Pure, and browser-safe:
 * the console builds its tables, trend charts, drift checks and control rationales with the same functions
 * (exported for it by ./browser.ts), so the page and the PDF cannot disagree.
 */
import type { ControlEvidence, ControlOutcome, ControlStatus, FrameworkId } from '../compliance/types';
import { FRAMEWORK_IDS } from '../compliance/types';
import type { DriftCheck, DriftStatus } from '../drift/types';
import type { FairnessResult, GroupResult, MetricKey, RateKey, SliceResult } from '../fairness/types';
import { disparityChartSpec, timelineChartSpec } from './chart-specs';
import type { TimelineChartPoint } from './chart-specs';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  formatCount,
  formatDate,
  formatIsoDay,
  formatNumber,
  formatPValue,
  formatPercent,
  formatSafeCount,
  formatValueWithInterval,
  groupLabel,
  isSmallCount,
  keyId,
  metricLabel,
  scrubSmallCounts,
} from './format';
import { suppressSlice } from './suppression';
import type { SliceSuppression } from './suppression';
import type {
  ControlView,
  DriftCheckView,
  DriftView,
  Finding,
  FrameworkView,
  GroupRow,
  MethodologyItem,
  ReportInput,
  ReportViewModel,
  SliceView,
  TableCell,
  TimelinePoint,
  TimelineSeries,
  Verdict,
  VegaLiteSpec,
} from './types';

export const FINGERPRINT_PLACEHOLDER = 'pending (computed when the report is stored)';

export const FRAMEWORK_NAMES: Record<FrameworkId, string> = {
  'nist-ai-rmf': 'NIST AI Risk Management Framework 1.0',
  'eu-ai-act': 'EU AI Act, Regulation (EU) 2024/1689',
  'hhs-1557': 'HHS Section 1557, 45 CFR 92',
  'onc-hti-1': 'ONC HTI-1, 45 CFR 170',
  'iso-42001': 'ISO/IEC 42001:2023',
  'nyc-ll144': 'NYC Local Law 144',
  'eeoc-ugesp': 'EEOC Uniform Guidelines, 29 CFR 1607',
  hipaa: 'HIPAA and the CMS cell-size rule',
};

export const STATUS_LABELS: Record<ControlStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  review: 'Needs review',
  inconclusive: 'Inconclusive',
  not_applicable: 'Not applicable',
};

export const DRIFT_LABELS: Record<DriftStatus, string> = { ok: 'OK', warning: 'Warning', alert: 'Alert' };

export interface TableColumn {
  key: MetricKey;
  header: string;
}

/** Columns of the per-group tables, in order, when present in the result. */
const TABLE_METRICS: TableColumn[] = [
  { key: 'selection_rate', header: 'Selection rate' },
  { key: 'true_positive_rate', header: 'TPR' },
  { key: 'false_positive_rate', header: 'FPR' },
  { key: 'positive_predictive_value', header: 'PPV' },
  { key: 'roc_auc', header: 'AUC' },
  { key: 'scoring_rate', header: 'Scoring rate' },
];

/** The table columns present in some group of the result (the ratio column is added by buildSliceView). */
export function tableColumns(result: Pick<FairnessResult, 'slices'>): TableColumn[] {
  const groups = result.slices.flatMap((s) => s.groups);
  return TABLE_METRICS.filter((m) => groups.some((g) => g.metrics[m.key] !== undefined));
}

const FINDING_METRICS: RateKey[] = ['selection_rate', 'true_positive_rate', 'false_positive_rate'];

/** Overall verdict: "Fails" if any control fails, "Needs review" if any needs review, else "Passes". */
export function overallVerdict(controls: readonly Pick<ControlOutcome, 'status'>[]): Verdict {
  if (controls.some((c) => c.status === 'fail')) return 'fail';
  if (controls.some((c) => c.status === 'review')) return 'review';
  return 'pass';
}

export const VERDICT_LABELS = { pass: 'Passes', fail: 'Fails', review: 'Needs review' } as const;

export interface SuppressedSlice {
  slice: SliceResult;
  sup: SliceSuppression;
}

/** Every slice of a result with its suppression, and lookups of what is suppressed across all of them. */
export class SuppressionIndex {
  /** The result's slices, in order, each with suppressSlice's verdict. */
  readonly slices: SuppressedSlice[];
  private readonly countHidden = new Set<string>();
  private readonly metricHidden = new Set<string>();
  /** Small counts (group sizes, numerators, denominators) of each suppressed group, by key. */
  private readonly smallByGroup = new Map<string, number[]>();
  applied = false;
  totalSuppressed = false;

  constructor(slices: readonly SliceResult[]) {
    this.slices = slices.map((slice) => ({ slice, sup: suppressSlice(slice) }));
    for (const s of this.slices) {
      if (s.sup.applied) this.applied = true;
      if (s.sup.totalSuppressed) this.totalSuppressed = true;
      s.slice.groups.forEach((g, i) => {
        const gs = s.sup.groups[i];
        if (!gs) return;
        const id = keyId(g.key);
        const small = this.smallByGroup.get(id) ?? [];
        if (gs.countSuppressed) {
          this.countHidden.add(id);
          small.push(g.count);
        }
        for (const m of Object.keys(gs.suppressedMetrics)) this.metricHidden.add(`${id}\u0002${m}`);
        for (const m of gs.suppressedDisparities) this.metricHidden.add(`${id}\u0002disparity.${m}`);
        if (gs.impactRatioSuppressed) this.metricHidden.add(`${id}\u0002impact_ratio`);
        for (const m of Object.values(g.metrics)) {
          if (m?.numerator !== undefined && isSmallCount(m.numerator)) small.push(m.numerator);
          if (m?.denominator !== undefined && isSmallCount(m.denominator)) small.push(m.denominator);
        }
        if (small.length > 0) this.smallByGroup.set(id, small);
      });
    }
  }

  /** The small counts of the groups an evidence list refers to (for scrubbing free text about them). */
  smallCountsOf(evidence: readonly ControlEvidence[]): number[] {
    return evidence.flatMap((e) => [
      ...(e.group ? (this.smallByGroup.get(keyId(e.group)) ?? []) : []),
      e.count ?? 0,
    ]);
  }

  groupHidden(key: Record<string, string> | undefined): boolean {
    return key !== undefined && this.countHidden.has(keyId(key));
  }

  /** Whether the group's own value of `metric` is not shown (its count or that metric is suppressed). */
  valueHidden(key: Record<string, string>, metric: string): boolean {
    const id = keyId(key);
    return this.countHidden.has(id) || this.metricHidden.has(`${id}\u0002${metric}`);
  }

  metricHiddenFor(key: Record<string, string> | undefined, metric: string): boolean {
    if (key === undefined) return false;
    const id = keyId(key);
    if (this.countHidden.has(id)) return true;
    return (
      this.metricHidden.has(`${id}\u0002${metric}`) ||
      this.metricHidden.has(`${id}\u0002disparity.${metric}`) ||
      this.metricHidden.has(`${id}\u0002${metric.replace(/^disparity\./, '')}`)
    );
  }
}

function suppressedCell(): TableCell {
  return { text: SUPPRESSED_TEXT, value: SUPPRESSED_TEXT, interval: null, suppressed: true };
}

function metricCell(g: GroupResult, key: MetricKey, hidden: boolean): TableCell {
  if (hidden) return suppressedCell();
  const m = g.metrics[key];
  if (!m) return { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false };
  return { ...formatValueWithInterval(m.value, m.ciLow, m.ciHigh), suppressed: false };
}

function sliceTitle(attributes: readonly string[]): string {
  return attributes.join(' × ');
}

function referencesWholeSlice(slice: SliceResult): boolean {
  const vals = Object.values(slice.reference);
  return vals.length > 0 && vals.every((v) => v === 'overall');
}

function referenceLabel(slice: SliceResult): string {
  return referencesWholeSlice(slice)
    ? 'the whole slice (overall)'
    : groupLabel(slice.reference, slice.attributes);
}

/**
 * The people of a group, for a sentence: "Black patients", but "patients in the age_cat group "Less than 25""
 * when the group's name holds a number (age bands, scores), which would otherwise read as a count.
 */
function peopleOf(label: string, attributes: readonly string[], noun: string): string {
  return /\d/.test(label) ? `${noun} in the ${sliceTitle(attributes)} group "${label}"` : `${label} ${noun}`;
}

/** Which summary values are safe to print: not when a suppressed group sits at the min or max. */
function summaryLines(s: SuppressedSlice, band: [number, number]): string[] {
  const { slice, sup } = s;
  const extremeHidden = (metric: RateKey): boolean => {
    const vals = slice.groups.map((g) => g.metrics[metric]?.value ?? null);
    const defined = vals.filter((v): v is number => v !== null);
    if (defined.length === 0) return false;
    const min = Math.min(...defined);
    const max = Math.max(...defined);
    return slice.groups.some((g, i) => {
      const v = vals[i];
      const hidden = sup.groups[i]?.suppressedMetrics[metric] !== undefined;
      return hidden && v !== null && v !== undefined && (v === min || v === max);
    });
  };
  const lines: string[] = [];
  const sum = slice.summary;
  const show = (label: string, v: number | null | undefined, deps: RateKey[]): void => {
    if (v === undefined) return;
    const text = deps.some(extremeHidden) ? `${SUPPRESSED_TEXT} (depends on a small group)` : formatNumber(v);
    lines.push(`${label}: ${text}`);
  };
  show('Demographic parity ratio', sum.demographic_parity_ratio, ['selection_rate']);
  show('Demographic parity difference', sum.demographic_parity_difference, ['selection_rate']);
  show('Impact ratio (lowest)', sum.impact_ratio, ['selection_rate']);
  show('Equal opportunity difference', sum.equal_opportunity_difference, ['true_positive_rate']);
  show('Equalized odds difference', sum.equalized_odds_difference, [
    'true_positive_rate',
    'false_positive_rate',
  ]);
  if (lines.length > 0) lines.push(`Fairness band for ratios: ${band[0]}–${band[1]} (inclusive)`);
  return lines;
}

/** One slice's group table (suppressed), summary lines, notes and disparity chart. */
export function buildSliceView(
  s: SuppressedSlice,
  columns: readonly TableColumn[],
  band: [number, number],
): SliceView {
  const { slice, sup } = s;
  const rows: GroupRow[] = [];
  const chartGroups: Parameters<typeof disparityChartSpec>[0]['groups'] = [];
  slice.groups.forEach((g, i) => {
    const gs = sup.groups[i];
    const countHidden = gs?.countSuppressed ?? false;
    const hiddenMetric = (k: MetricKey): boolean => countHidden || gs?.suppressedMetrics[k] !== undefined;
    const cells = columns.map((c) => metricCell(g, c.key, hiddenMetric(c.key)));
    const d = g.disparities.selection_rate;
    const ratioHidden = countHidden || (gs?.suppressedDisparities.includes('selection_rate') ?? false);
    cells.push(
      ratioHidden
        ? suppressedCell()
        : d
          ? { ...formatValueWithInterval(d.ratio, d.ratioCiLow, d.ratioCiHigh), suppressed: false }
          : { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false },
    );
    const flags: GroupRow['flags'] = [];
    if (g.flags.includes('reference')) flags.push('reference');
    if (g.flags.includes('insufficient_sample')) flags.push('insufficient');
    if (g.flags.includes('outside_band') && !ratioHidden) flags.push('outside_band');
    if (countHidden || cells.some((c) => c.suppressed)) flags.push('suppressed');
    const flagWords: Record<GroupRow['flags'][number], string> = {
      reference: 'reference',
      insufficient: 'small sample',
      outside_band: 'outside band',
      suppressed: 'suppressed',
    };
    const label = groupLabel(g.key, slice.attributes);
    rows.push({
      label,
      // A complementary cell is not small: it is hidden, not labelled ≤10 (which would be false).
      count: countHidden
        ? gs?.countReason === 'small_count'
          ? SMALL_COUNT_TEXT
          : SUPPRESSED_TEXT
        : formatCount(g.count),
      cells,
      flags,
      flagLabels: flags.map((f) => flagWords[f]),
    });
    chartGroups.push({
      group: label,
      ratio: d?.ratio ?? null,
      ciLow: d?.ratioCiLow ?? null,
      ciHigh: d?.ratioCiHigh ?? null,
      reference: g.flags.includes('reference'),
      suppressed: ratioHidden,
    });
  });
  const notes: string[] = [];
  if (sup.applied) {
    notes.push(
      `Small-cell suppression applied: counts of 1 to 10 are shown as "${SMALL_COUNT_TEXT}", and rates that could reveal such a count are shown as "${SUPPRESSED_TEXT}"; a second group may be suppressed so that no hidden count can be worked out from the totals.`,
    );
  }
  if (slice.droppedRows !== undefined && slice.droppedRows > 0) {
    notes.push(
      `${formatSafeCount(slice.droppedRows)} rows were left out of this slice because an attribute was missing.`,
    );
  }
  notes.push(
    `Ratio: selection rate of the group divided by that of the reference (${referenceLabel(slice)}), with its 95% Katz interval.`,
  );
  const anyRatio = chartGroups.some((c) => !c.suppressed && c.ratio !== null);
  return {
    title: sliceTitle(slice.attributes),
    attributes: [...slice.attributes],
    referenceLabel: referenceLabel(slice),
    columns: [...columns.map((c) => c.header), 'Ratio vs ref.'],
    rows,
    summaryLines: summaryLines(s, band),
    notes,
    chart: anyRatio
      ? disparityChartSpec(
          { title: sliceTitle(slice.attributes), groups: chartGroups },
          'selection_rate',
          band,
        )
      : null,
  };
}

interface Candidate {
  rank: number;
  magnitude: number;
  finding: Finding;
}

function evidenceMatchesMetric(e: ControlEvidence, metric: RateKey): boolean {
  if (e.metric === metric || e.metric.endsWith(`.${metric}`)) return true;
  if (metric === 'selection_rate')
    return ['impact_ratio', 'demographic_parity_ratio', 'demographic_parity_difference'].includes(e.metric);
  if (metric === 'true_positive_rate')
    return [
      'equal_opportunity_difference',
      'equal_opportunity_ratio',
      'equalized_odds_difference',
      'false_negative_rate',
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

function driftSubject(c: DriftCheck): string {
  const who = c.key
    ? groupLabel(c.key, c.attributes)
    : c.attributes
      ? c.attributes.join(' × ')
      : 'whole sample';
  return c.metric ? `${who} · ${metricLabel(c.metric)}` : who;
}

function buildFindings(
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
    if (check.status === 'ok' || idx.groupHidden(check.key)) continue;
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
    if (c.evidence.some((e) => idx.metricHiddenFor(e.group, e.metric))) {
      cands.push({
        rank: c.status === 'fail' ? 24 : 14,
        magnitude: 0,
        finding: {
          severity: c.status,
          text: `${c.controlId} (${c.title}) ${c.status === 'fail' ? 'fails' : 'needs review'} on a group too small to report. Affects: ${c.controlId}.`,
          controlIds: [c.controlId],
        },
      });
      continue;
    }
    const rationale = scrubSmallCounts(c.rationale).replace(/\.?\s*$/, '.');
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

function evidenceText(e: ControlEvidence, idx: SuppressionIndex): string {
  const who = e.group
    ? ` for ${groupLabel(e.group, e.attributes)}`
    : e.attributes
      ? ` for ${e.attributes.join(' × ')}`
      : '';
  const parts: string[] = [];
  if (idx.metricHiddenFor(e.group, e.metric)) {
    parts.push(SUPPRESSED_TEXT + ' (small group)');
  } else {
    if (e.value !== undefined && e.value !== null) {
      const iv =
        typeof e.value === 'number'
          ? formatValueWithInterval(e.value, e.ciLow, e.ciHigh).text
          : scrubSmallCounts(e.value);
      parts.push(iv);
    }
    if (e.pValue !== undefined && e.pValue !== null)
      parts.push(`p ${e.pValue < 0.001 ? '< 0.001' : `= ${formatPValue(e.pValue)}`}`);
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

/** A control's rationale with every small count of the groups it names scrubbed. */
export function controlRationale(
  c: Pick<ControlOutcome, 'rationale' | 'evidence'>,
  idx: SuppressionIndex,
): string {
  return c.evidence.some((e) => idx.groupHidden(e.group))
    ? `${scrubSmallCounts(c.rationale, idx.smallCountsOf(c.evidence))} (Figures for groups of 1 to 10 people are suppressed.)`
    : scrubSmallCounts(
        c.rationale,
        c.evidence.map((e) => e.count ?? 0),
      );
}

function buildCompliance(
  input: ReportInput,
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
        ...(count('not_applicable') > 0 ? [`${count('not_applicable')} not applicable`] : []),
      ].join(', ');
      return { framework: fw, name: FRAMEWORK_NAMES[fw], counts, controls };
    });
  const n = (st: ControlStatus): number => input.controls.filter((c) => c.status === st).length;
  const overview = `${input.controls.length} controls evaluated under policy version ${input.policyVersion}: ${n('pass')} pass, ${n('fail')} fail, ${n('review')} need review, ${n('not_applicable')} not applicable.`;
  return { frameworks, overview };
}

/** One drift check as printed: its statistic and message suppressed when they concern a hidden group or rate. */
export function driftCheckView(c: DriftCheck, idx: SuppressionIndex): DriftCheckView {
  const hidden = idx.groupHidden(c.key) || (c.metric !== undefined && idx.metricHiddenFor(c.key, c.metric));
  const stat = hidden
    ? SUPPRESSED_TEXT
    : `${c.statistic.replace(/_/g, ' ')} ${formatNumber(c.value, 3)}${c.pValue !== undefined && c.pValue !== null ? `, p ${c.pValue < 0.001 ? '< 0.001' : `= ${formatPValue(c.pValue)}`}` : ''}`;
  return {
    status: c.status,
    statusLabel: DRIFT_LABELS[c.status],
    kindLabel: c.kind.charAt(0).toUpperCase() + c.kind.slice(1),
    subject: driftSubject(c),
    statistic: stat,
    message: hidden
      ? 'A change was detected for a group of 1 to 10 people; details are suppressed.'
      : scrubSmallCounts(c.message),
  };
}

export interface TrendView {
  title: string;
  /**
   * The points drawn: groups with 1 to 10 people in any audit, or whose count or value of the metric is
   * suppressed in this audit, are left out (this audit's point next to its printed n could reveal a small count).
   */
  points: TimelineChartPoint[];
  /** Labels of the groups left out. */
  omitted: string[];
  spec: VegaLiteSpec;
  note: string | null;
}

/** One attribute's per-group history as a line chart, small groups left out and named. */
export function trendView(
  series: Pick<TimelineSeries, 'metric' | 'attribute'> & {
    points: readonly Pick<TimelinePoint, 'at' | 'auditId' | 'groups'>[];
  },
  idx: SuppressionIndex,
): TrendView {
  const omitted = new Set<string>();
  const drawn: TimelineChartPoint[] = [];
  for (const p of series.points) {
    for (const g of p.groups) {
      const label = groupLabel(g.key, [series.attribute]);
      if (idx.valueHidden(g.key, series.metric) || isSmallCount(g.count)) omitted.add(label);
      else drawn.push({ at: p.at, auditId: p.auditId, group: label, value: g.value });
    }
  }
  // A group small in any one audit is left out of every audit, so no line has a telling gap.
  const points = drawn.filter((p) => !omitted.has(p.group));
  const title = `${metricLabel(series.metric)} by ${series.attribute} across audits`;
  return {
    title,
    points,
    omitted: [...omitted],
    spec: timelineChartSpec(points, series.metric, { title, omittedGroups: [...omitted] }),
    note:
      omitted.size > 0
        ? `Left out (small-cell suppression: 1 to 10 people in some audit, or figures suppressed in this one): ${[...omitted].join(', ')}.`
        : null,
  };
}

function buildDrift(input: ReportInput, idx: SuppressionIndex, band: [number, number]): DriftView {
  const notes: string[] = [];
  const checks: DriftCheckView[] = [];
  let okCount = 0;
  for (const c of input.drift?.checks ?? []) {
    if (c.status === 'ok') okCount++;
    else checks.push(driftCheckView(c, idx));
  }
  const trends: DriftView['trends'] = [];
  const summaryPoints: TimelineChartPoint[] = [];
  let summaryKey: string | null = null;
  for (const series of input.timeline) {
    if (series.points.length === 0) continue;
    const { title, spec, note } = trendView(series, idx);
    trends.push({ title, spec, note });
    const sk = ['impact_ratio', 'demographic_parity_ratio'].find((k) =>
      series.points.some((p) => p.summary[k] !== undefined),
    );
    if (sk && (summaryKey === null || summaryKey === sk)) {
      summaryKey = sk;
      for (const p of series.points) {
        if (!summaryPoints.some((q) => q.auditId === p.auditId && q.group === series.attribute)) {
          summaryPoints.push({
            at: p.at,
            auditId: p.auditId,
            group: series.attribute,
            value: p.summary[sk] ?? null,
          });
        }
      }
    }
  }
  if (summaryKey !== null && summaryPoints.length > 0) {
    trends.unshift({
      title: `${metricLabel(summaryKey)} by attribute across audits`,
      spec: timelineChartSpec(summaryPoints, summaryKey, {
        title: `${metricLabel(summaryKey)} by attribute across audits`,
        band,
      }),
      note: null,
    });
  }
  if (!input.drift) notes.push('No baseline audit to compare with: drift was not assessed.');
  if (input.timeline.every((t) => t.points.length === 0))
    notes.push('No earlier audits of this model: there is no trend to show yet.');
  return {
    present: input.drift !== null,
    status: input.drift?.status ?? null,
    statusLabel: input.drift ? DRIFT_LABELS[input.drift.status] : 'Not assessed',
    okCount,
    checks,
    trends,
    notes,
  };
}

export const SUPPRESSION_STATEMENT =
  'Small cells are suppressed following the CMS cell-size suppression policy: no count from 1 to 10 is printed in this report, nor any figure from which such a count could be worked out. Such counts are shown as "≤10"; rates whose numerator, denominator or their difference is from 1 to 10 are shown as "suppressed"; where only one group of a slice would be hidden, the next-smallest group is hidden too, so that it cannot be recovered from the totals. Zero counts are shown.';

function buildMethodology(input: ReportInput, idx: SuppressionIndex): ReportViewModel['methodology'] {
  const c = input.result.conventions;
  const strategyText: Record<typeof c.referenceStrategy, string> = {
    largest: 'the largest group of each slice (most rows; ties go to the first by name)',
    most_favorable:
      'the group with the highest favourable selection rate in each slice (as in the four-fifths rule and NYC LL144)',
    overall: 'the whole analysed slice',
    explicit: `groups named in the audit configuration${
      input.audit.config.reference.groups
        ? ` (${Object.entries(input.audit.config.reference.groups)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')})`
        : ''
    }`,
  };
  const conf = `${Math.round(c.confidenceLevel * 100)}%`;
  const conventions: MethodologyItem[] = [
    {
      term: 'Reference group',
      text: `Each group is compared with ${strategyText[c.referenceStrategy]}. A ratio of 1 means parity.`,
    },
    {
      term: 'Favourable outcome',
      text:
        c.favorableOutcome === 'positive'
          ? 'A positive prediction benefits the person (for example a referral); the selection rate is the share predicted positive.'
          : 'A negative prediction benefits the person; impact ratios use the favourable rate, 1 − selection rate.',
    },
    {
      term: 'Intervals',
      text: `${conf} intervals: Wilson score for rates, Newcombe hybrid score for differences of rates, Katz log for ratios, DeLong (logit scale) for AUC. Shown as "value (low–high)".`,
    },
    {
      term: 'Tests',
      text: 'A group is compared with its reference by a two-sided two-proportion z-test, or Fisher\'s exact test when an expected cell is below 5; p-values are adjusted with Holm\'s method within each slice and metric. "Statistically significant" means adjusted p < 0.05.',
    },
    {
      term: 'Fairness band',
      text: `A ratio inside ${c.fairnessBand[0]}–${c.fairnessBand[1]} (inclusive) counts as within the band; the lower limit 0.8 is the four-fifths rule of 29 CFR 1607.4(D).`,
    },
    {
      term: 'Minimum group size',
      text: `Groups with fewer than ${c.minGroupSize} rows, or a rate denominator below 5, are flagged "small sample"; their results are uncertain.`,
    },
    {
      term: 'Decision threshold',
      text:
        input.audit.config.threshold !== undefined
          ? `Scores at or above ${formatNumber(input.audit.config.threshold)} count as a positive prediction when no prediction column is given.`
          : 'Predictions were given directly.',
    },
    {
      term: 'Missing attribute values',
      text:
        c.missingAttribute === 'group'
          ? 'Missing values form their own group, "Unknown".'
          : "Rows missing an attribute are left out of that attribute's slices.",
    },
    {
      term: 'Undefined values',
      text: `"${UNDEFINED_TEXT}" marks a value that cannot be computed for the group (for example a rate with no one in its denominator).`,
    },
    {
      term: 'Policy and catalog',
      text: `Controls were decided by policy version ${input.policyVersion} against control catalog ${input.catalogVersion}.`,
    },
  ];
  const cols = input.audit.columnsUsed;
  const overallCount = idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.result.overall.count);
  const provenance: MethodologyItem[] = [
    {
      term: 'Audit',
      text: `${input.audit.name ? `${input.audit.name}, ` : ''}ID ${input.audit.id}, submitted ${formatDate(input.audit.createdAt)}`,
    },
    {
      term: 'Rows',
      text: `${idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.audit.rowCount)} rows uploaded; ${overallCount} analysed`,
    },
    { term: 'Data SHA-256', text: input.audit.dataSha256 },
    {
      term: 'Columns used',
      text: [
        cols.label ? `label: ${cols.label}` : null,
        cols.prediction ? `prediction: ${cols.prediction}` : null,
        cols.score ? `score: ${cols.score}` : null,
        `sensitive attributes: ${cols.attributes.join(', ')}`,
      ]
        .filter((x): x is string => x !== null)
        .join('; '),
    },
    {
      term: 'Other columns',
      text: 'Only the columns above were stored; every other column of the upload was discarded.',
    },
    { term: 'Software', text: `Fairwatch ${input.softwareVersion}` },
  ];
  return { conventions, provenance, suppressionStatement: SUPPRESSION_STATEMENT };
}

export function buildReportViewModel(input: ReportInput): ReportViewModel {
  const band = input.result.conventions.fairnessBand;
  const idx = new SuppressionIndex(input.result.slices);
  const { slices } = idx;
  const columns = tableColumns(input.result);
  const verdict = overallVerdict(input.controls);
  const fingerprint = input.report.fingerprint ?? FINGERPRINT_PLACEHOLDER;
  const period =
    input.audit.periodStart && input.audit.periodEnd
      ? `${formatDate(input.audit.periodStart)} to ${formatDate(input.audit.periodEnd)}`
      : input.audit.periodStart
        ? `from ${formatDate(input.audit.periodStart)}`
        : input.audit.periodEnd
          ? `until ${formatDate(input.audit.periodEnd)}`
          : 'not stated';
  const nFail = input.controls.filter((c) => c.status === 'fail').length;
  const nReview = input.controls.filter((c) => c.status === 'review').length;
  const verdictExplanation =
    verdict === 'fail'
      ? `${nFail} control${nFail === 1 ? '' : 's'} fail${nFail === 1 ? 's' : ''}${nReview > 0 ? ` and ${nReview} need${nReview === 1 ? 's' : ''} review` : ''}.`
      : verdict === 'review'
        ? `No control fails; ${nReview} need${nReview === 1 ? 's' : ''} human review.`
        : 'Every applicable control passes.';
  const compliance = buildCompliance(input, idx);
  const suppressionApplied = idx.applied;
  const overview = [compliance.overview];
  overview.push(
    `${input.result.slices.length} slice${input.result.slices.length === 1 ? '' : 's'} analysed (${input.result.slices.map((s) => sliceTitle(s.attributes)).join('; ')}), on ${idx.totalSuppressed ? 'a suppressed number of' : formatSafeCount(input.result.overall.count)} rows.`,
  );
  overview.push(
    suppressionApplied
      ? 'Small-cell suppression was applied: some groups have 1 to 10 people, so their counts are shown as "≤10" and figures that could reveal them are not printed.'
      : 'No small-cell suppression was needed: every count shown is 0 or above 10.',
  );
  const driftStatus = input.drift ? DRIFT_LABELS[input.drift.status] : 'not assessed';
  const facts: MethodologyItem[] = [
    { term: 'Model', text: `${input.model.name}, version ${input.model.version}` },
    ...(input.model.intendedUse ? [{ term: 'Intended use', text: input.model.intendedUse }] : []),
    ...(input.model.owner ? [{ term: 'Owner', text: input.model.owner }] : []),
    { term: 'Organization', text: input.organization.name },
    { term: 'Data period', text: period },
    {
      term: 'Rows analysed',
      text: idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.result.overall.count),
    },
    { term: 'Drift since baseline', text: driftStatus },
  ];
  return {
    meta: {
      reportId: input.report.id,
      title: input.report.title,
      fingerprint,
      createdAt: input.report.createdAt,
      softwareVersion: input.softwareVersion,
      organization: input.organization.name,
    },
    cover: {
      title: input.report.title,
      modelName: input.model.name,
      modelVersion: input.model.version,
      organization: input.organization.name,
      period,
      date: formatDate(input.report.createdAt),
      auditLabel: `${input.audit.name ?? 'Audit'} (${formatIsoDay(input.audit.createdAt)})`,
      verdict,
      verdictLabel: VERDICT_LABELS[verdict],
      verdictExplanation,
      facts,
      reportId: input.report.id,
      fingerprint,
    },
    executiveSummary: { findings: buildFindings(input, slices, idx, band), overview },
    slices: slices.map((s) => buildSliceView(s, columns, band)),
    drift: buildDrift(input, idx, band),
    compliance,
    methodology: buildMethodology(input, idx),
    suppressionApplied,
  };
}
