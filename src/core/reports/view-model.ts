/**
 * buildReportViewModel: everything the PDF prints, formatted and small-cell suppressed. Pure, and browser-safe:
 * the console builds its tables, trend charts, drift checks and control rationales with the same functions
 * (exported for it by ./browser.ts), so the page and the PDF cannot disagree.
 */
import type { ControlEvidence, ControlOutcome, ControlStatus, FrameworkId } from '../compliance/types';
import { FRAMEWORK_IDS } from '../compliance/types';
import type { DriftCheck, DriftStatus } from '../drift/types';
import type {
  Disparity,
  FairnessResult,
  GroupResult,
  MetricKey,
  RateKey,
  SliceResult,
  SliceSummary,
} from '../fairness/types';
import { summaryOver } from '../drift/evidence';
import { bandStatus, disparityChartSpec, timelineChartSpec } from './chart-specs';
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
import type { CountSuppressionReason, MetricSuppressionReason, SliceSuppression } from './suppression';
import {
  auditAxisLabels,
  evidenceMinimum,
  hiddenInAudit,
  published,
  publishedImpactRatio,
} from './disclosure';
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
  TrailHeadRef,
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
  // Undecided is not passed: a control the data cannot decide keeps the audit from passing.
  if (controls.some((c) => c.status === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** Plain-words meanings of the statistical terms the report uses, printed with the conventions. */
const GLOSSARY: readonly MethodologyItem[] = [
  {
    term: 'Selection rate',
    text: 'The share of a group predicted positive (for example, flagged for follow-up).',
  },
  {
    term: 'TPR (true positive rate)',
    text: 'Of the people who did have the outcome, the share the model flagged. Also called sensitivity or recall.',
  },
  {
    term: 'FPR (false positive rate)',
    text: 'Of the people who did not have the outcome, the share the model flagged anyway.',
  },
  {
    term: 'PPV (positive predictive value)',
    text: 'Of the people flagged, the share who did have the outcome.',
  },
  {
    term: 'AUC',
    text: 'The chance that the model scores a random person with the outcome above a random person without it: 0.5 is no better than chance and 1.0 is a perfect ranking.',
  },
  {
    term: 'Ratio vs reference',
    text: "A group's rate divided by its reference group's: 1.0 is parity, 0.8 means 80% of the reference's rate.",
  },
  {
    term: 'Demographic parity',
    text: 'Equal selection rates across groups. The ratio is the lowest rate over the highest; the difference is highest minus lowest.',
  },
  {
    term: 'Equalized odds',
    text: 'Equal true and false positive rates across groups; the figure shown is the worse of the two gaps (or ratios).',
  },
  { term: 'Equal opportunity', text: 'Equal true positive rates across groups.' },
  {
    term: 'Impact ratio',
    text: "The lowest group's selection rate over the highest group's (NYC Local Law 144; the four-fifths rule compares it with 0.8).",
  },
  {
    term: 'Confidence interval',
    text: 'The range of values the data are consistent with; a narrow interval means a precise estimate, a wide one an uncertain one.',
  },
  {
    term: 'p-value',
    text: 'How surprising the observed gap would be if the groups truly had equal rates; below 0.05 (after adjustment for testing many groups) is called statistically significant.',
  },
  {
    term: 'Minimum detectable ratio',
    text: "The smallest ratio to the reference this audit's group sizes could tell apart from parity (two-sided test at α = 0.05, 80% power). A threshold inside that range cannot be decided: the control is inconclusive.",
  },
  {
    term: 'Inconclusive',
    text: 'The data cannot decide the control either way; the rationale says how many more people in which group would decide it.',
  },
  {
    term: 'Drift (PSI, KS)',
    text: 'How much a distribution moved between this audit and its baseline: population stability index and Kolmogorov–Smirnov distance; larger means more change.',
  },
];

export const VERDICT_LABELS = {
  pass: 'Passes',
  fail: 'Fails',
  review: 'Needs review',
  inconclusive: 'Inconclusive',
} as const;

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
  private readonly countReasons = new Map<string, CountSuppressionReason>();
  private readonly metricReasons = new Map<string, MetricSuppressionReason>();
  /** Whether some group has 1 to 10 people (not only a rate resting on 1 to 10). */
  smallGroupPresent = false;
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
          if (gs.countReason) this.countReasons.set(id, gs.countReason);
          if (gs.countReason === 'small_count') this.smallGroupPresent = true;
        }
        for (const [m, why] of Object.entries(gs.suppressedMetrics)) {
          this.metricHidden.add(`${id}\u0002${m}`);
          if (why) this.metricReasons.set(`${id}\u0002${m}`, why);
        }
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

  /**
   * Why a group's figure is not shown, in words that are true of it: its own size, a partner's, or a
   * numerator (people predicted positive, with the outcome, ...) of 1 to 10. Null when it is shown.
   */
  hiddenReason(key: Record<string, string> | undefined, metric?: string): string | null {
    if (key === undefined) return null;
    const id = keyId(key);
    const count = this.countReasons.get(id);
    if (count === 'small_count') return 'the group has 1 to 10 people';
    if (count === 'complementary')
      return 'its figures are withheld so that a smaller group of 1 to 10 people cannot be worked out from the totals';
    if (metric === undefined || !this.metricHiddenFor(key, metric)) return null;
    const base = metric.replace(/^disparity\./, '').replace(/\.(difference|ratio)$/, '');
    const why =
      this.metricReasons.get(`${id}\u0002${base}`) ??
      (base === 'impact_ratio' ? this.metricReasons.get(`${id}\u0002selection_rate`) : undefined);
    switch (why) {
      case 'complementary':
        return 'the figure is withheld so that another figure resting on 1 to 10 people cannot be worked out';
      case 'small_numerator_or_denominator':
        return 'the figure rests on 1 to 10 people (for example the people predicted positive)';
      case 'depends_on_suppressed':
      case 'count':
      case 'unknown_denominator':
      case undefined:
        return 'the figure depends on a figure that is suppressed';
    }
  }

  /** hiddenReason in a few words, for evidence lists: "group of 1 to 10", "rests on 1 to 10 people", … */
  hiddenShort(key: Record<string, string> | undefined, metric?: string): string {
    const why = this.hiddenReason(key, metric) ?? '';
    if (why.startsWith('the group has')) return 'group of 1 to 10';
    if (why.startsWith('its figures are withheld')) return 'withheld with a smaller group';
    if (why.startsWith('the figure rests')) return 'rests on 1 to 10 people';
    if (why.startsWith('the figure is withheld')) return 'withheld with another small figure';
    return 'depends on a suppressed figure';
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
    // "true_positive_rate.difference", "disparity.selection_rate", "drift....": the rate underneath
    const base = metric
      .replace(/^disparity\./, '')
      .replace(/\.(difference|ratio)$/, '')
      .replace(/^.*\./, '');
    return (
      this.metricHidden.has(`${id}\u0002${metric}`) ||
      this.metricHidden.has(`${id}\u0002${base}`) ||
      this.metricHidden.has(`${id}\u0002disparity.${base}`)
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

/**
 * The slice summary as published: over the groups that carry evidence (at least minGroupSize people, and
 * never fewer than 11) and only the rates of them that are shown, so no summary is driven by a small
 * group or reveals a suppressed rate; the groups left out are named.
 */
/**
 * The slice summary that may be published: over the groups with at least minGroupSize people (never fewer
 * than 11), each rate only where it is shown; with the groups left out, by reason. Used by the report, the
 * console and the CLI.
 */
export function publishedSummary(
  s: SuppressedSlice,
  minGroupSize: number,
  favorable: 'positive' | 'negative',
): { summary: SliceSummary; tooSmall: string[]; withheld: string[]; min: number } {
  const { slice, sup } = s;
  const min = evidenceMinimum(minGroupSize);
  const tooSmall: string[] = [];
  const withheld: string[] = [];
  const groups = slice.groups.flatMap((g, i) => {
    const gs = sup.groups[i];
    const label = groupLabel(g.key, slice.attributes);
    if (g.count < min) {
      tooSmall.push(label);
      return [];
    }
    if (!gs) return [g];
    if (gs.countSuppressed) {
      withheld.push(label);
      return [];
    }
    const metrics = { ...g.metrics };
    let any = false;
    for (const k of SUMMARY_RATES) {
      if (gs.suppressedMetrics[k] !== undefined && metrics[k] !== undefined) {
        delete metrics[k];
        any = true;
      }
    }
    if (any) withheld.push(label);
    return [{ ...g, metrics, averageOddsDifference: null }];
  });
  return { summary: summaryOver(slice, groups, favorable), tooSmall, withheld, min };
}

function summaryLines(
  s: SuppressedSlice,
  band: [number, number],
  minGroupSize: number,
  favorable: 'positive' | 'negative',
): string[] {
  const { slice } = s;
  const { summary: sum, tooSmall, withheld, min } = publishedSummary(s, minGroupSize, favorable);
  const lines: string[] = [];
  const show = (label: string, v: number | null | undefined, stored: number | null | undefined): void => {
    if (stored === undefined) return;
    lines.push(`${label}: ${v === null || v === undefined ? UNDEFINED_TEXT : formatNumber(v)}`);
  };
  const st = slice.summary;
  show('Demographic parity ratio', sum.demographic_parity_ratio, st.demographic_parity_ratio);
  show('Demographic parity difference', sum.demographic_parity_difference, st.demographic_parity_difference);
  show('Impact ratio (lowest)', sum.impact_ratio, st.impact_ratio);
  show('Equal opportunity difference', sum.equal_opportunity_difference, st.equal_opportunity_difference);
  show('Equalized odds difference', sum.equalized_odds_difference, st.equalized_odds_difference);
  if (lines.length > 0) {
    lines.push(`Fairness band for ratios: ${band[0]}–${band[1]} (inclusive)`);
    const out: string[] = [];
    if (tooSmall.length > 0) out.push(`${tooSmall.join(', ')} (fewer than ${min} people)`);
    if (withheld.length > 0) out.push(`${withheld.join(', ')} (figures suppressed)`);
    lines.push(
      `Summaries are over the groups with at least ${min} people whose rates are shown${
        out.length > 0 ? `; left out: ${out.join('; ')}` : ''
      }.`,
    );
  }
  return lines;
}

const SUMMARY_RATES: RateKey[] = ['selection_rate', 'true_positive_rate', 'false_positive_rate'];

/** Which ratio a band flag is about, in the table's legend words. */
const BAND_RATIO_WORDS: Partial<Record<RateKey, string>> = {
  true_positive_rate: 'TPR',
  false_positive_rate: 'FPR',
  scoring_rate: 'scoring rate',
};

/**
 * One slice's group table (suppressed), summary lines, notes and disparity chart. The table's "outside band"
 * flag and the chart's mark come from the same rule (bandStatus) on the same published ratio (selection
 * rate); a group outside the band on another ratio gets its own flag naming that ratio.
 */
export function buildSliceView(
  s: SuppressedSlice,
  columns: readonly TableColumn[],
  band: [number, number],
  minGroupSize = 30,
  favorable: 'positive' | 'negative' = 'positive',
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
    const rawRatio = ratioHidden || d?.ratio === null || d?.ratio === undefined ? null : d.ratio;
    const ratio = published(rawRatio);
    const status = rawRatio === null || !Number.isFinite(rawRatio) ? null : bandStatus(rawRatio, band);
    cells.push(
      ratioHidden
        ? suppressedCell()
        : d
          ? { ...formatValueWithInterval(d.ratio, d.ratioCiLow, d.ratioCiHigh), suppressed: false }
          : { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false },
    );
    const isReference = g.flags.includes('reference');
    const flags: GroupRow['flags'] = [];
    const flagLabels: string[] = [];
    if (isReference) {
      flags.push('reference');
      flagLabels.push('reference');
    }
    if (g.flags.includes('insufficient_sample')) {
      flags.push('insufficient');
      flagLabels.push('small sample');
    }
    if (!isReference && status === 'outside') {
      flags.push('outside_band');
      flagLabels.push('outside band (selection rate)');
    }
    if (!isReference && !countHidden) {
      const others = (Object.keys(BAND_RATIO_WORDS) as RateKey[]).filter((k) => {
        const r = g.disparities[k]?.ratio;
        return (
          r !== null &&
          r !== undefined &&
          Number.isFinite(r) &&
          !(gs?.suppressedDisparities.includes(k) ?? false) &&
          bandStatus(r, band) === 'outside'
        );
      });
      if (others.length > 0) {
        flags.push('other_outside_band');
        flagLabels.push(`outside band (${others.map((k) => BAND_RATIO_WORDS[k]).join(', ')} ratio)`);
      }
    }
    if (countHidden || cells.some((c) => c.suppressed)) {
      flags.push('suppressed');
      flagLabels.push('suppressed');
    }
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
      flagLabels,
      detectable: ratioHidden || isReference ? null : detectableText(d),
    });
    chartGroups.push({
      group: label,
      ratio,
      ciLow: ratioHidden ? null : published(d?.ratioCiLow),
      ciHigh: ratioHidden ? null : published(d?.ratioCiHigh),
      reference: isReference,
      ...(status !== null ? { band: status } : {}),
      suppressed: ratioHidden,
    });
  });
  const notes: string[] = [];
  if (sup.applied) {
    const smallHere = sup.groups.some((x) => x.countReason === 'small_count');
    notes.push(
      smallHere
        ? `Small-cell suppression applied: counts of 1 to 10 are shown as "${SMALL_COUNT_TEXT}", and rates that could reveal such a count are shown as "${SUPPRESSED_TEXT}"; a second group may be suppressed so that no hidden count can be worked out from the totals.`
        : `Small-cell suppression applied: every group here has more than 10 people, but some rates rest on 1 to 10 people (for example those predicted positive) and are shown as "${SUPPRESSED_TEXT}", with a second rate where needed so that none can be worked out from the totals.`,
    );
  }
  if (slice.droppedRows !== undefined && slice.droppedRows > 0) {
    notes.push(
      `${formatSafeCount(slice.droppedRows)} rows were left out of this slice because an attribute was missing.`,
    );
  }
  notes.push(
    `Ratio: selection rate of the group divided by that of the reference (${referenceLabel(slice)}), with its 95% Koopman score interval; the chart plots the same ratio.`,
  );
  if (rows.some((r) => r.detectable !== null))
    notes.push(
      "Detectable: the selection-rate ratios this audit could tell apart from parity for the group (two-sided test at α = 0.05 with 80% power, given both groups' sizes). A ratio between the limits could not be told apart from parity with this much data.",
    );
  notes.push(
    `Flags: "outside band (selection rate)" means that ratio lies outside ${band[0]}–${band[1]}, as marked in the chart; "outside band (TPR ratio)" and the like name another ratio to the reference (true or false positive rate, scoring rate) that lies outside the band and is not plotted.`,
  );
  const anyRatio = chartGroups.some((c) => !c.suppressed && c.ratio !== null);
  return {
    title: sliceTitle(slice.attributes),
    attributes: [...slice.attributes],
    referenceLabel: referenceLabel(slice),
    columns: [...columns.map((c) => c.header), 'Ratio vs ref.'],
    rows,
    summaryLines: summaryLines(s, band, minGroupSize, favorable),
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
        ...(count('inconclusive') > 0 ? [`${count('inconclusive')} inconclusive`] : []),
        ...(count('not_applicable') > 0 ? [`${count('not_applicable')} not applicable`] : []),
      ].join(', ');
      return { framework: fw, name: FRAMEWORK_NAMES[fw], counts, controls };
    });
  const n = (st: ControlStatus): number => input.controls.filter((c) => c.status === st).length;
  const overview = `${input.controls.length} controls evaluated under policy version ${input.policyVersion}: ${n('pass')} pass, ${n('fail')} fail, ${n('review')} need review, ${n('inconclusive')} inconclusive, ${n('not_applicable')} not applicable.`;
  return { frameworks, overview };
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
      : `${c.statistic.replace(/_/g, ' ')} ${formatNumber(c.value, 3)}${c.pValue !== undefined && c.pValue !== null ? `, p ${c.pValue < 0.001 ? '< 0.001' : `= ${formatPValue(c.pValue)}`}` : ''}`;
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

export interface TrendView {
  title: string;
  /**
   * The points drawn, values rounded to the printed precision: a group is left out of every audit when, in
   * any audit shown, it has 1 to 10 people, its rate rests on 1 to 10 people, or it is the partner hidden
   * with such a group (hiddenInAudit); or when its figure is suppressed in this audit's tables.
   */
  points: TimelineChartPoint[];
  /** Labels of the groups left out. */
  omitted: string[];
  spec: VegaLiteSpec;
  note: string | null;
}

type TrendPoint = Pick<TimelinePoint, 'at' | 'auditId' | 'groups'> &
  Partial<Pick<TimelinePoint, 'name' | 'periodEnd'>>;

/** One attribute's per-group history as a line chart, small groups left out and named; axis by audit name. */
export function trendView(
  series: Pick<TimelineSeries, 'metric' | 'attribute'> & { points: readonly TrendPoint[] },
  idx: SuppressionIndex,
): TrendView {
  const omitted = new Set<string>();
  const drawn: TimelineChartPoint[] = [];
  const labels = auditAxisLabels(series.points);
  for (const p of series.points) {
    const hidden = hiddenInAudit(p.groups, series.metric);
    for (const g of p.groups) {
      const label = groupLabel(g.key, [series.attribute]);
      if (idx.valueHidden(g.key, series.metric) || hidden.has(keyId(g.key))) omitted.add(label);
      else
        drawn.push({
          at: p.at,
          auditId: p.auditId,
          group: label,
          value: published(g.value),
          label: labels.get(p.auditId) ?? p.at.slice(0, 10),
        });
    }
  }
  // A group hidden in any one audit is left out of every audit, so no line has a telling gap.
  const points = drawn.filter((p) => !omitted.has(p.group));
  const title = `${metricLabel(series.metric)} by ${series.attribute} across audits`;
  return {
    title,
    points,
    omitted: [...omitted],
    spec: timelineChartSpec(points, series.metric, { title, omittedGroups: [...omitted] }),
    note:
      omitted.size > 0
        ? `Left out (small-cell suppression: in some audit shown, 1 to 10 people, a rate resting on 1 to 10 people, or withheld with such a group): ${[...omitted].join(', ')}.`
        : null,
  };
}

/**
 * The impact ratio of each attribute in each audit, over the groups that may carry a published summary in
 * that audit (at least minGroupSize people, never fewer than 11, and not hidden by hiddenInAudit), rounded
 * to the printed precision; with the groups left out named.
 */
export function summaryTrend(
  timeline: readonly TimelineSeries[],
  minGroupSize: number,
  favorable: 'positive' | 'negative',
  band: [number, number],
): { title: string; spec: VegaLiteSpec; note: string | null } | null {
  const min = evidenceMinimum(minGroupSize);
  const points: TimelineChartPoint[] = [];
  const leftOut = new Map<string, Set<string>>();
  for (const series of timeline) {
    if (series.metric !== 'selection_rate') continue;
    const labels = auditAxisLabels(series.points);
    for (const p of series.points) {
      if (p.groups.length === 0) continue;
      const hidden = hiddenInAudit(p.groups, series.metric);
      const eligible = p.groups.filter((g) => (g.count ?? 0) >= min && !hidden.has(keyId(g.key)));
      for (const g of p.groups) {
        if (eligible.includes(g)) continue;
        const set = leftOut.get(series.attribute) ?? new Set<string>();
        set.add(groupLabel(g.key, [series.attribute]));
        leftOut.set(series.attribute, set);
      }
      points.push({
        at: p.at,
        auditId: p.auditId,
        group: series.attribute,
        value: publishedImpactRatio(
          eligible.map((g) => g.value),
          favorable,
        ),
        label: labels.get(p.auditId) ?? p.at.slice(0, 10),
      });
    }
  }
  if (points.length === 0) return null;
  const title = `${metricLabel('impact_ratio')} by attribute across audits (groups of at least ${min} people)`;
  const out = [...leftOut.entries()].map(([a, set]) => `${a}: ${[...set].join(', ')}`);
  return {
    title,
    spec: timelineChartSpec(points, 'impact_ratio', { title, band }),
    note:
      out.length > 0
        ? `Each audit's impact ratio is over the groups with at least ${min} people whose rates are shown in that audit; left out in some audit: ${out.join('; ')}.`
        : null,
  };
}

/** "detectable: below 0.62 or above 1.45" from a disparity's minimum detectable ratios; null without one. */
function detectableText(d: Disparity | undefined): string | null {
  const below = d?.minDetectableRatio;
  const above = d?.minDetectableRatioAbove;
  if (below === undefined && above === undefined) return null; // results computed before it existed
  const parts = [
    ...(below !== null && below !== undefined ? [`below ${formatNumber(below)}`] : []),
    ...(above !== null && above !== undefined ? [`above ${formatNumber(above)}`] : []),
  ];
  return parts.length === 0 ? 'detectable: none with this much data' : `detectable: ${parts.join(' or ')}`;
}

/** Drift checks printed in the report, the most important first. */
const MAX_DRIFT_ROWS = 12;
const DRIFT_RANK: Record<DriftStatus, number> = { alert: 0, warning: 1, ok: 2 };

function buildDrift(input: ReportInput, idx: SuppressionIndex, band: [number, number]): DriftView {
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
    const { title, spec, note } = trendView(series, idx);
    trends.push({ title, spec, note });
  }
  const summary = summaryTrend(
    input.timeline.filter((t) => t.points.length > 0),
    minGroupSize,
    input.result.conventions.favorableOutcome,
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
      text: `${conf} intervals: Wilson score for rates, Newcombe hybrid score for differences of rates, Koopman score for ratios (defined when a group has no events), DeLong (logit scale) for AUC, or Newcombe's score-type interval where DeLong's variance is 0 (perfect separation in a small group). Shown as "value (low–high)".`,
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
    ...GLOSSARY,
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
    ...(input.trailHead ? [trailHeadItem(input.trailHead)] : []),
    ...(input.model.id ? [exportsItem(input.model.id)] : []),
  ];
  return { conventions, provenance, suppressionStatement: SUPPRESSION_STATEMENT };
}

/** Where the model's signed health-IT transparency exports are (docs/hti-1-exports.md). */
function exportsItem(modelId: string): MethodologyItem {
  return {
    term: 'Transparency exports',
    text:
      `The model's ONC HTI-1 source attributes (GET /v1/models/${modelId}/exports/hti-1, JSON) and its CHAI ` +
      `Applied Model Card (GET /v1/models/${modelId}/exports/chai-model-card, XML), built from all of its audits ` +
      'and signed with the same key as this report; POST a downloaded copy to /v1/reports/verify to check it.',
  };
}

/** The audit-trail head, printed in full so a reader can send it back to POST /v1/audit-events/verify. */
function trailHeadItem(h: TrailHeadRef): MethodologyItem {
  const event =
    h.seq === '0'
      ? 'The audit trail was empty (seq 0)'
      : `Audit trail event ${h.seq}${h.createdAt ? ` of ${h.createdAt}` : ''}, hash ${h.hash}`;
  return {
    term: 'Audit trail head',
    text: `${event}. Ed25519 signature ${h.signature} (key ${h.keyId}) over the organization, seq and hash. Send it to POST /v1/audit-events/verify to prove the trail up to this event is unchanged.`,
  };
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
  const nUndecided = input.controls.filter((c) => c.status === 'inconclusive').length;
  const verdictExplanation =
    verdict === 'fail'
      ? `${nFail} control${nFail === 1 ? '' : 's'} fail${nFail === 1 ? 's' : ''}${nReview > 0 ? ` and ${nReview} need${nReview === 1 ? 's' : ''} review` : ''}.`
      : verdict === 'review'
        ? `No control fails; ${nReview} need${nReview === 1 ? 's' : ''} human review.`
        : verdict === 'inconclusive'
          ? `No control fails or needs review, but the data cannot decide ${nUndecided} control${nUndecided === 1 ? '' : 's'}: each one's rationale says how many more people would decide it.`
          : 'Every applicable control passes.';
  const compliance = buildCompliance(input, idx);
  const suppressionApplied = idx.applied;
  const overview = [compliance.overview];
  overview.push(
    `${input.result.slices.length} slice${input.result.slices.length === 1 ? '' : 's'} analysed (${input.result.slices.map((s) => sliceTitle(s.attributes)).join('; ')}), on ${idx.totalSuppressed ? 'a suppressed number of' : formatSafeCount(input.result.overall.count)} rows.`,
  );
  overview.push(
    !suppressionApplied
      ? 'No small-cell suppression was needed: every count shown is 0 or above 10.'
      : idx.smallGroupPresent
        ? 'Small-cell suppression was applied: some groups have 1 to 10 people, so their counts are shown as "≤10" and figures that could reveal them are not printed.'
        : 'Small-cell suppression was applied: no group has 1 to 10 people, but some rates rest on 1 to 10 people (for example those predicted positive), so those rates, and figures that could reveal them, are not printed.',
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
    slices: slices.map((s) =>
      buildSliceView(
        s,
        columns,
        band,
        input.audit.config.minGroupSize,
        input.result.conventions.favorableOutcome,
      ),
    ),
    drift: buildDrift(input, idx, band),
    compliance,
    methodology: buildMethodology(input, idx),
    suppressionApplied,
  };
}
