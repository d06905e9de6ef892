/**
 * Measured figures of one audit as the transparency exports publish them: validity (AUC, accuracy, error
 * rates, Brier score, with intervals), fairness (ratios to the reference with Koopman intervals, published
 * impact ratios) and demographic representativeness (group shares). Every figure passes the reports'
 * disclosure control (docs/disclosure-control.md): a group of 1 to 10 people, a rate resting on 1 to 10 people
 * and their complementary partners are left out, and rates and ratios carry the printed precision.
 */
import type { FairnessResult, GroupResult, MetricKey, RateKey, SliceResult } from '../fairness/types';
import { evidenceMinimum, published } from '../reports/disclosure';
import { formatCount, formatNumber, groupLabel, isSmallCount } from '../reports/format';
import { publishedSummary } from '../reports/slice-view';
import { SuppressionIndex } from '../reports/suppression-index';
import { privacyStatement } from '../privacy/statement';
import type { EvidenceMetric, ExportAudit, Hti1Evidence } from './types';

/** Overall validity metrics, in the order they are printed. */
export const VALIDITY_METRICS: readonly MetricKey[] = [
  'roc_auc',
  'accuracy',
  'balanced_accuracy',
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
  'brier_score',
];

/** Rates whose ratio to the reference the fairness evidence gives. */
export const FAIRNESS_RATES: readonly RateKey[] = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
];

const OVERALL_KEY = { overall: 'all' };

/** The date an audit stands for: the end of its period, else the day it was run. */
export function auditDate(a: Pick<ExportAudit, 'periodEnd' | 'createdAt'>): string {
  return a.periodEnd ?? a.createdAt;
}

export function auditLabel(a: Pick<ExportAudit, 'name' | 'periodEnd' | 'createdAt'>): string {
  const day = auditDate(a).slice(0, 10);
  return a.name ? `"${a.name}" (${day})` : `of ${day}`;
}

/** "4,000 people", or "a small number of people" for 1 to 10 (never printed). */
export function peopleText(n: number): string {
  return isSmallCount(n) ? 'fewer than 11 people' : `${formatCount(n)} people`;
}

/** The overall figures as a one-group slice, so the same suppression rules apply to them. */
function overallSlice(result: FairnessResult): SliceResult {
  const group: GroupResult = {
    key: OVERALL_KEY,
    count: result.overall.count,
    share: 1,
    metrics: result.overall.metrics,
    disparities: {},
    flags: [],
  };
  return {
    attributes: ['overall'],
    reference: OVERALL_KEY,
    groups: [group],
    summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
  };
}

function metricOf(
  metric: string,
  mv: { value: number | null; ciLow?: number | null; ciHigh?: number | null } | undefined,
  extra: Partial<EvidenceMetric> = {},
): EvidenceMetric {
  return {
    metric,
    ...extra,
    value: published(mv?.value),
    ciLow: published(mv?.ciLow),
    ciHigh: published(mv?.ciHigh),
  };
}

/** The evidence header of an audit, without figures. */
export function evidenceOf(a: ExportAudit, metrics: EvidenceMetric[]): Hti1Evidence {
  return {
    auditId: a.id,
    auditName: a.name,
    dataSource: a.dataSource,
    date: auditDate(a),
    periodStart: a.periodStart,
    periodEnd: a.periodEnd,
    rowCount: isSmallCount(a.rowCount) ? null : a.rowCount,
    metrics,
    ...(a.privacy ? { privacy: privacyStatement(a.privacy) } : {}),
  };
}

/** Overall validity with intervals, then each single attribute's groups' AUC where shown. */
export function validityMetrics(a: ExportAudit): EvidenceMetric[] {
  const result = a.results;
  const overall = new SuppressionIndex([overallSlice(result)]);
  const out: EvidenceMetric[] = [];
  for (const k of VALIDITY_METRICS) {
    const mv = result.overall.metrics[k];
    if (!mv || mv.value === null || overall.valueHidden(OVERALL_KEY, k)) continue;
    out.push(metricOf(k, mv));
  }
  const idx = new SuppressionIndex(result.slices);
  for (const { slice } of idx.slices) {
    if (slice.attributes.length !== 1) continue;
    for (const g of slice.groups) {
      const mv = g.metrics.roc_auc;
      if (!mv || mv.value === null || idx.valueHidden(g.key, 'roc_auc')) continue;
      out.push(metricOf('roc_auc', mv, { attributes: slice.attributes, group: g.key, count: g.count }));
    }
  }
  return out;
}

/**
 * Per slice: the published impact ratio (over the groups that carry evidence), then each group's ratio of
 * selection rate, TPR and FPR to the reference, with its interval, where shown.
 */
export function fairnessMetrics(a: ExportAudit): EvidenceMetric[] {
  const result = a.results;
  const idx = new SuppressionIndex(result.slices);
  const out: EvidenceMetric[] = [];
  for (const s of idx.slices) {
    const { slice } = s;
    const { summary } = publishedSummary(
      s,
      result.conventions.minGroupSize,
      result.conventions.favorableOutcome,
    );
    out.push({
      metric: 'impact_ratio',
      attributes: slice.attributes,
      value: published(summary.impact_ratio),
    });
    for (const g of slice.groups) {
      if (g.flags.includes('reference')) continue;
      for (const rate of FAIRNESS_RATES) {
        const d = g.disparities[rate];
        if (!d || d.ratio === null || idx.metricHiddenFor(g.key, `disparity.${rate}`)) continue;
        out.push({
          metric: `${rate}.ratio`,
          attributes: slice.attributes,
          group: g.key,
          reference: slice.reference,
          count: g.count,
          value: published(d.ratio),
          ciLow: published(d.ratioCiLow),
          ciHigh: published(d.ratioCiHigh),
        });
      }
    }
  }
  return out;
}

/** Group shares of each single attribute (the HTI-1 demographic variables audited), where shown. */
export function representativenessMetrics(a: ExportAudit): EvidenceMetric[] {
  const idx = new SuppressionIndex(a.results.slices);
  const out: EvidenceMetric[] = [];
  for (const { slice } of idx.slices) {
    if (slice.attributes.length !== 1) continue;
    for (const g of slice.groups) {
      if (idx.groupHidden(g.key)) continue;
      out.push({
        metric: 'share',
        attributes: slice.attributes,
        group: g.key,
        count: g.count,
        value: published(g.share),
      });
    }
  }
  return out;
}

/** Groups outside the fairness band (flag) whose ratio is shown, in words; and how many more were left out. */
export function outsideBandText(a: ExportAudit): { shown: string[]; hidden: number } {
  const idx = new SuppressionIndex(a.results.slices);
  const shown: string[] = [];
  let hidden = 0;
  for (const { slice } of idx.slices) {
    for (const g of slice.groups) {
      if (!g.flags.includes('outside_band')) continue;
      const rates = FAIRNESS_RATES.filter((r) => g.disparities[r]?.withinBand === false);
      const visible = rates.filter((r) => !idx.metricHiddenFor(g.key, `disparity.${r}`));
      if (visible.length === 0) {
        hidden += 1;
        continue;
      }
      const parts = visible.map((r) => {
        const d = g.disparities[r]!;
        const ci =
          d.ratioCiLow !== undefined &&
          d.ratioCiLow !== null &&
          d.ratioCiHigh !== undefined &&
          d.ratioCiHigh !== null
            ? ` (CI ${formatNumber(d.ratioCiLow)}–${formatNumber(d.ratioCiHigh)})`
            : '';
        return `${RATE_WORDS[r]} ratio ${formatNumber(d.ratio)}${ci}`;
      });
      shown.push(
        `${groupLabel(g.key, slice.attributes)} (${slice.attributes.join(' × ')}): ${parts.join(', ')}`,
      );
    }
  }
  return { shown, hidden };
}

export const RATE_WORDS: Record<string, string> = {
  selection_rate: 'selection rate',
  true_positive_rate: 'true positive rate',
  false_positive_rate: 'false positive rate',
  roc_auc: 'ROC AUC',
  accuracy: 'accuracy',
  balanced_accuracy: 'balanced accuracy',
  positive_predictive_value: 'positive predictive value',
  brier_score: 'Brier score',
};

/** "ROC AUC 0.78 (95% CI 0.76–0.80)". */
export function figureText(m: EvidenceMetric): string {
  const name = RATE_WORDS[m.metric] ?? m.metric.replace(/_/g, ' ');
  const ci =
    m.ciLow !== undefined && m.ciLow !== null && m.ciHigh !== undefined && m.ciHigh !== null
      ? ` (CI ${formatNumber(m.ciLow)}–${formatNumber(m.ciHigh)})`
      : '';
  return `${name} ${formatNumber(m.value)}${ci}`;
}

/** Whether a group carries enough people for a published statement (minGroupSize, at least 11). */
export function carriesEvidence(g: Pick<GroupResult, 'count'>, minGroupSize: number): boolean {
  return g.count >= evidenceMinimum(minGroupSize);
}
