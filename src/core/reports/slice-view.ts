/**
 * One slice as published: its group table (suppressed), the slice summary over the groups that carry evidence,
 * its notes and its disparity chart. Used by the report and by the console (through ./browser.ts), and the
 * published summary by the CLI.
 */
import { summaryOver } from '../drift/evidence';
import type {
  Disparity,
  FairnessResult,
  GroupResult,
  MetricKey,
  RateKey,
  SliceSummary,
} from '../fairness/types';
import { DEFAULT_EVIDENCE_TEST } from '../fairness/types';
// Files, not the charts/ folder: the console loads these modules in the browser, which resolves no index.
import { bandStatus, disparityChart } from './charts/disparity-chart';
import { evidenceMinimum, published } from './disclosure';
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  formatCount,
  formatNumber,
  formatPercent,
  formatSafeCount,
  formatValueWithInterval,
  groupLabel,
} from './format';
import { referenceLabel, sliceTitle } from './labels';
import type { SuppressedSlice } from './suppression-index';
import type { GroupRow, SliceView, TableCell } from './types';

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

function suppressedCell(): TableCell {
  return { text: SUPPRESSED_TEXT, value: SUPPRESSED_TEXT, interval: null, suppressed: true };
}

function metricCell(g: GroupResult, key: MetricKey, hidden: boolean): TableCell {
  if (hidden) return suppressedCell();
  const m = g.metrics[key];
  if (!m) return { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false };
  return { ...formatValueWithInterval(m.value, m.ciLow, m.ciHigh), suppressed: false };
}

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

/** How a result's ratio intervals were computed (from its conventions), for the words under a table. */
export interface RatioIntervalSetting {
  confidenceLevel: number;
  ratio: 'koopman' | 'katz';
}

/** What results computed before the setting was recorded used. */
export const DEFAULT_RATIO_INTERVAL: RatioIntervalSetting = { confidenceLevel: 0.95, ratio: 'koopman' };

/** "95% Koopman score interval", as the result computed it. */
export function ratioIntervalText(setting: RatioIntervalSetting = DEFAULT_RATIO_INTERVAL): string {
  const method = setting.ratio === 'katz' ? 'Katz log' : 'Koopman score';
  return `${formatPercent(setting.confidenceLevel, Number.isInteger(setting.confidenceLevel * 100) ? 0 : 1)} ${method} interval`;
}

/**
 * One slice's group table (suppressed), summary lines, notes and disparity chart. The table's "outside band"
 * flag and the chart's mark come from the same rule (bandStatus) on the same published ratio (selection
 * rate); a group outside the band on another ratio gets its own flag naming that ratio. `evidence` is the
 * test the minimum detectable ratios were computed with (the result's conventions.evidence), `interval` how its
 * ratio intervals were.
 */
export function buildSliceView(
  s: SuppressedSlice,
  columns: readonly TableColumn[],
  band: [number, number],
  minGroupSize = 30,
  favorable: 'positive' | 'negative' = 'positive',
  evidence: { alpha: number; power: number } = DEFAULT_EVIDENCE_TEST,
  interval: RatioIntervalSetting = DEFAULT_RATIO_INTERVAL,
): SliceView {
  const { slice, sup } = s;
  const rows: GroupRow[] = [];
  const chartGroups: Parameters<typeof disparityChart>[0]['groups'] = [];
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
    `Ratio: selection rate of the group divided by that of the reference (${referenceLabel(slice)}), with its ${ratioIntervalText(interval)}; the chart plots the same ratio.`,
  );
  if (rows.some((r) => r.detectable !== null))
    notes.push(
      `Detectable: the selection-rate ratios this audit could tell apart from parity for the group (two-sided test at α = ${evidence.alpha} with ${formatPercent(evidence.power)} power, given both groups' sizes). A ratio between the limits could not be told apart from parity with this much data.`,
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
      ? disparityChart({ title: sliceTitle(slice.attributes), groups: chartGroups }, 'selection_rate', band)
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
