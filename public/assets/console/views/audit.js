// An audit: its verdict and controls first, then one group table and disparity chart per slice.
import {
  SuppressionIndex,
  buildSliceView,
  countOnlySlice,
  formatDate,
  formatSafeCount,
  metricLabel,
  ratioIntervalText,
  tableColumns,
} from '/assets/core/reports/browser.js';
import { api, optional, showPageError } from '../api.js';
import { embedChart } from '../charts.js';
import { badge, h, highlightNav, renderPage, tableWrap } from '../dom.js';
import { loadFrameworks } from '../frameworks.js';
import { isStale, nextRender, state } from '../state.js';
import { controlsSection } from './controls.js';
import { exportSection } from './exports.js';
import { reportActions } from './report-actions.js';
import { taskGroupsSection } from './task-audit.js';

function metricCellEl(cell, metricKey) {
  return h(
    'td',
    { class: 'num', dataset: { metric: metricKey } },
    h('span', { class: 'value' }, cell.value),
    cell.interval ? [' ', h('span', { class: 'ci' }, cell.interval)] : '',
  );
}

/** One slice: core's group table (the PDF's rows), its summary lines, notes and disparity chart. */
function sliceSection(view, columns, band) {
  const headers = [
    h('th', { scope: 'col' }, 'Group'),
    h('th', { scope: 'col', class: 'num' }, 'n'),
    columns.map((c) =>
      h('th', { scope: 'col', class: 'num' }, h('abbr', { title: metricLabel(c.key) }, c.header)),
    ),
    h('th', { scope: 'col', class: 'num' }, 'Ratio vs ref.'),
    h('th', { scope: 'col' }, 'Flags'),
  ];
  const table = h(
    'table',
    { dataset: { slice: view.title } },
    h('caption', {}, `Groups by ${view.title} (reference: ${view.referenceLabel}); rates with 95% intervals`),
    h('thead', {}, h('tr', {}, headers)),
    h(
      'tbody',
      {},
      view.rows.map((r) =>
        h(
          'tr',
          { dataset: { group: r.label }, class: r.flags.includes('outside_band') ? 'outside' : '' },
          h('th', { scope: 'row' }, r.label),
          h('td', { class: 'num', dataset: { metric: 'count' } }, r.count),
          // the cells are the table columns, then the ratio to the reference
          r.cells.map((c, i) => metricCellEl(c, columns[i]?.key ?? 'ratio')),
          h(
            'td',
            {},
            r.flagLabels.map((f, i) => badge(r.flags[i], f)),
          ),
        ),
      ),
    ),
  );
  const chart = h('div', { class: 'chart', dataset: { chart: view.title } });
  const section = h(
    'section',
    { 'aria-labelledby': `slice-${view.title}` },
    h('h3', { id: `slice-${view.title}` }, view.title),
    view.summaryLines.length
      ? h(
          'ul',
          { class: 'summary-lines' },
          view.summaryLines.map((line) => h('li', {}, line)),
        )
      : '',
    tableWrap(`Groups by ${view.title}`, table),
    view.notes.map((n) => h('p', { class: 'notes' }, n)),
    chart,
  );
  if (view.chart)
    embedChart(
      chart,
      view.chart,
      `Chart: selection rate ratio of each ${view.title} group to the reference, with the fairness band ${band[0]} to ${band[1]}. The table above lists the same numbers.`,
    );
  return section;
}

export async function renderAudit(auditId) {
  const token = nextRender();
  highlightNav('models');
  renderPage('Audit', h('p', { class: 'notes' }, 'Loading the audit…'));
  try {
    await loadFrameworks();
    const allIds = (state.frameworks ?? []).map((f) => f.id);
    const [audit, metrics, controls] = await Promise.all([
      api(`/v1/audits/${auditId}`),
      api(`/v1/audits/${auditId}/metrics`),
      optional(
        api(`/v1/audits/${auditId}/controls${allIds.length ? `?frameworks=${allIds.join(',')}` : ''}`),
      ),
    ]);
    const [model, reports] = await Promise.all([
      optional(api(`/v1/models/${audit.modelId}`)),
      optional(api(`/v1/audits/${auditId}/reports?limit=20`)),
    ]);
    if (isStale(token)) return;
    const band = metrics.conventions?.fairnessBand ?? [0.8, 1.25];
    const intervalSetting = {
      confidenceLevel: metrics.conventions?.confidenceLevel ?? 0.95,
      ratio: metrics.conventions?.intervals?.ratio ?? 'koopman',
    };
    const columns = tableColumns(metrics);
    // regression and multiclass results: the group sizes go through the binary rules (core's count-only slices)
    const isTask = metrics.task === 'regression' || metrics.task === 'multiclass';
    const idx = new SuppressionIndex(isTask ? metrics.slices.map(countOnlySlice) : metrics.slices);
    const meta = h(
      'dl',
      { class: 'meta' },
      h('div', {}, h('dt', {}, 'Audited'), h('dd', {}, formatDate(audit.createdAt))),
      h(
        'div',
        {},
        h('dt', {}, 'Rows'),
        h('dd', {}, idx.totalSuppressed ? 'suppressed' : formatSafeCount(audit.rowCount)),
      ),
      h(
        'div',
        {},
        h('dt', {}, 'Favourable outcome'),
        h('dd', {}, `${audit.config.favorableOutcome} prediction`),
      ),
      h('div', {}, h('dt', {}, 'Reference'), h('dd', {}, audit.config.reference?.strategy ?? 'largest')),
      audit.config.privacy
        ? h('div', {}, h('dt', {}, 'Differential privacy'), h('dd', {}, privacyText(audit.config.privacy)))
        : null,
      h('div', {}, h('dt', {}, 'Audit ID'), h('dd', {}, h('code', {}, audit.id))),
    );
    renderPage(
      `${model ? `${model.name} ${model.version}` : 'Model'}: audit of ${formatDate(audit.createdAt)}`,
      meta,
      reportActions(
        audit,
        reports?.items ?? [],
        metrics.slices.some((sl) => sl.groups.some((g) => g.metrics.brier_score?.value != null)),
      ),
      exportSection(audit),
      // The verdict and the controls first: what a compliance officer opens the page for.
      controls
        ? controlsSection(controls, idx)
        : h(
            'section',
            {},
            h('h2', {}, 'Controls'),
            h('p', {}, 'The controls could not be evaluated for this audit.'),
          ),
      isTask
        ? taskGroupsSection(metrics, audit, idx.totalSuppressed)
        : h(
            'section',
            { 'aria-labelledby': 'groups-h' },
            h('h2', { id: 'groups-h' }, 'Groups'),
            h(
              'p',
              { class: 'notes' },
              `Ratio: the group's selection rate over the reference group's, with its ${ratioIntervalText(intervalSetting)}. The shaded band ${band[0]}–${band[1]} is where a ratio counts as fair.`,
            ),
            idx.slices.map((s) =>
              sliceSection(
                buildSliceView(
                  s,
                  columns,
                  band,
                  metrics.conventions?.minGroupSize ?? 30,
                  metrics.conventions?.favorableOutcome ?? 'positive',
                  metrics.conventions?.evidence,
                  intervalSetting,
                ),
                columns,
                band,
              ),
            ),
          ),
    );
  } catch (e) {
    showPageError(token, e, 'the audit');
  }
}

/** The mechanism names of docs/privacy.md, as the report prints them. */
const PRIVACY_MECHANISMS = {
  geometric: 'two-sided geometric',
  laplace: 'Laplace',
  gaussian: 'Gaussian (analytic calibration)',
  discrete_gaussian: 'discrete Gaussian',
};

/** What the report's cover says about an audit whose counts were noised before upload. */
function privacyText(privacy) {
  const params =
    privacy.delta === undefined ? `ε = ${privacy.epsilon}` : `ε = ${privacy.epsilon}, δ = ${privacy.delta}`;
  return `Noised counts: ${PRIVACY_MECHANISMS[privacy.mechanism] ?? privacy.mechanism} mechanism (${params}). Every figure is computed from noised counts; intervals include the noise.`;
}
