// Console-side views over the public API's data, built the same way as the PDF's view model
// (src/core/reports/view-model.ts: buildSliceView and the drift trends), from the same code: core's browser
// modules (src/core/reports/browser.ts), compiled by `npm run build:console` and served at /assets/core/.
import {
  SMALL_COUNT_TEXT,
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  disparityChartSpec,
  formatCount,
  formatValueWithInterval,
  groupLabel,
  isSmallCount,
  keyId,
  suppressSlice,
  timelineChartSpec,
  metricLabel,
} from '/assets/core/reports/browser.js';

/** Columns of the group tables, as in the report. */
export const TABLE_METRICS = [
  { key: 'selection_rate', header: 'Selection rate' },
  { key: 'true_positive_rate', header: 'TPR' },
  { key: 'false_positive_rate', header: 'FPR' },
  { key: 'positive_predictive_value', header: 'PPV' },
  { key: 'roc_auc', header: 'AUC' },
  { key: 'scoring_rate', header: 'Scoring rate' },
];

const FLAG_WORDS = {
  reference: 'reference',
  insufficient: 'small sample',
  outside_band: 'outside band',
  suppressed: 'suppressed',
};

function suppressedCell() {
  return { text: SUPPRESSED_TEXT, value: SUPPRESSED_TEXT, interval: null, suppressed: true };
}

function metricCell(g, key, hidden) {
  if (hidden) return suppressedCell();
  const m = g.metrics[key];
  if (!m) return { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false };
  return { ...formatValueWithInterval(m.value, m.ciLow, m.ciHigh), suppressed: false };
}

/** The table columns present anywhere in the result (as the report chooses them). */
export function tableColumns(metrics) {
  const groups = metrics.slices.flatMap((s) => s.groups);
  return TABLE_METRICS.filter((m) => groups.some((g) => g.metrics[m.key] !== undefined));
}

/** One slice: rows of the group table (suppressed as in the report) and the disparity chart spec. */
export function sliceView(slice, columns, band) {
  const sup = suppressSlice(slice);
  const title = slice.attributes.join(' × ');
  const rows = [];
  const chartGroups = [];
  slice.groups.forEach((g, i) => {
    const gs = sup.groups[i];
    const countHidden = gs?.countSuppressed ?? false;
    const hiddenMetric = (k) => countHidden || gs?.suppressedMetrics[k] !== undefined;
    const cells = columns.map((c) => metricCell(g, c.key, hiddenMetric(c.key)));
    const d = g.disparities.selection_rate;
    const ratioHidden = countHidden || (gs?.suppressedDisparities.includes('selection_rate') ?? false);
    const ratioCell = ratioHidden
      ? suppressedCell()
      : d
        ? { ...formatValueWithInterval(d.ratio, d.ratioCiLow, d.ratioCiHigh), suppressed: false }
        : { text: UNDEFINED_TEXT, value: UNDEFINED_TEXT, interval: null, suppressed: false };
    const flags = [];
    if (g.flags.includes('reference')) flags.push('reference');
    if (g.flags.includes('insufficient_sample')) flags.push('insufficient');
    if (g.flags.includes('outside_band') && !ratioHidden) flags.push('outside_band');
    if (countHidden || cells.some((c) => c.suppressed) || ratioCell.suppressed) flags.push('suppressed');
    const label = groupLabel(g.key, slice.attributes);
    rows.push({
      key: g.key,
      label,
      count: countHidden
        ? gs?.countReason === 'small_count'
          ? SMALL_COUNT_TEXT
          : SUPPRESSED_TEXT
        : formatCount(g.count),
      countHidden,
      cells,
      ratio: ratioCell,
      flags,
      flagLabels: flags.map((f) => FLAG_WORDS[f]),
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
  const anyRatio = chartGroups.some((c) => !c.suppressed && c.ratio !== null);
  return {
    title,
    attributes: [...slice.attributes],
    reference: groupLabel(slice.reference, slice.attributes),
    rows,
    suppressionApplied: sup.applied,
    totalSuppressed: sup.totalSuppressed,
    sup,
    chart: anyRatio ? disparityChartSpec({ title, groups: chartGroups }, 'selection_rate', band) : null,
  };
}

/** Keys of every group whose count is suppressed in some slice of the audit (as the report's index). */
export function hiddenGroupIds(metrics) {
  const ids = new Set();
  for (const slice of metrics.slices) {
    const sup = suppressSlice(slice);
    slice.groups.forEach((g, i) => {
      if (sup.groups[i]?.countSuppressed) ids.add(keyId(g.key));
    });
  }
  return ids;
}

/**
 * A timeline of one attribute from GET /v1/models/{id}/timeline: groups with 1 to 10 people in any audit,
 * or suppressed in the current audit, are left out and named (as in the report's drift trends).
 */
export function timelineView(timeline, metric, attribute, hiddenNow = new Set()) {
  const omitted = new Set();
  const points = [];
  for (const p of timeline.points) {
    for (const g of p.groups) {
      const label = groupLabel(g.key, [attribute]);
      if (hiddenNow.has(keyId(g.key)) || isSmallCount(g.count)) {
        omitted.add(label);
        continue;
      }
      points.push({ at: p.at, auditId: p.auditId, group: label, value: g.value });
    }
  }
  const kept = points.filter((p) => !omitted.has(p.group));
  const title = `${metricLabel(metric)} by ${attribute} across audits`;
  return {
    title,
    points: kept,
    omitted: [...omitted],
    spec: timelineChartSpec(kept, metric, { title, omittedGroups: [...omitted] }),
  };
}
