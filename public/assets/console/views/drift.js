// A model's drift page: the timeline of one metric per group, and the latest audit's drift checks.
import {
  DRIFT_LABELS,
  SuppressionIndex,
  driftCheckView,
  formatDate,
  formatNumber,
  metricLabel,
  scrubSmallCounts,
  trendView,
} from '/assets/core/reports/browser.js';
import { api, errorBox, optional, showPageError } from '../api.js';
import { embedChart } from '../charts.js';
import { badge, h, headRow, highlightNav, renderPage, tableWrap } from '../dom.js';
import { isStale, nextRender } from '../state.js';

const TIMELINE_METRICS = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
  'base_rate',
  'accuracy',
  'roc_auc',
  'mean_score',
  'scoring_rate',
];

function checkRow(c, idx, minGroupSize) {
  const view = driftCheckView(c, idx, minGroupSize);
  const poisoning = c.kind === 'poisoning';
  return h(
    'tr',
    { class: poisoning && c.status !== 'ok' ? 'poisoning' : '', dataset: { kind: c.kind, status: c.status } },
    h('td', {}, badge(c.status, view.statusLabel)),
    h('td', {}, view.kindLabel, poisoning ? [' ', badge('alert', 'possible poisoning')] : ''),
    h('th', { scope: 'row' }, view.subject),
    h('td', { class: 'num' }, view.statistic),
    h('td', {}, view.message),
  );
}

function checksTable(caption, checks, idx, minGroupSize) {
  return tableWrap(
    caption,
    h(
      'table',
      {},
      h('caption', {}, caption),
      headRow(['Status', 'Kind', 'Subject', 'Statistic', 'What changed']),
      h(
        'tbody',
        {},
        checks.map((c) => checkRow(c, idx, minGroupSize)),
      ),
    ),
  );
}

export async function renderTimeline(container, modelId, metric, attribute, idx) {
  container.replaceChildren(h('p', { class: 'notes' }, 'Loading the timeline…'));
  try {
    const timeline = await api(
      `/v1/models/${modelId}/timeline?metric=${encodeURIComponent(metric)}&attribute=${encodeURIComponent(attribute)}`,
    );
    const view = trendView({ metric, attribute, points: timeline.points }, idx);
    if (view.points.length === 0) {
      container.replaceChildren(h('p', {}, 'No values to draw for this metric and attribute.'));
      return;
    }
    const chart = h('div', { class: 'chart', dataset: { chart: 'timeline' } });
    const groups = [...new Set(view.points.map((p) => p.group))];
    const audits = [...new Map(view.points.map((p) => [p.auditId, p.at])).entries()];
    const table = h(
      'table',
      {},
      h('caption', {}, view.title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Audit date'),
          groups.map((g) => h('th', { scope: 'col', class: 'num' }, g)),
        ),
      ),
      h(
        'tbody',
        {},
        audits.map(([id, at]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, formatDate(at)),
            groups.map((g) =>
              h(
                'td',
                { class: 'num' },
                formatNumber(view.points.find((p) => p.auditId === id && p.group === g)?.value),
              ),
            ),
          ),
        ),
      ),
    );
    container.replaceChildren(
      chart,
      view.note ? h('p', { class: 'notes' }, view.note) : '',
      h('details', {}, h('summary', {}, 'The numbers behind the chart'), tableWrap(view.title, table)),
    );
    embedChart(
      chart,
      view.chart,
      `Chart: ${view.title}, one line per group. The numbers are listed below the chart.`,
    );
  } catch (e) {
    const box = errorBox(e, 'the timeline');
    if (box) container.replaceChildren(box);
  }
}

export async function renderDrift(modelId, params) {
  const token = nextRender();
  highlightNav('models');
  renderPage('Drift', h('p', { class: 'notes' }, 'Loading drift…'));
  try {
    const [model, audits] = await Promise.all([
      api(`/v1/models/${modelId}`),
      api(`/v1/models/${modelId}/audits?limit=100`),
    ]);
    const latest = audits.items.find((a) => a.id === params.get('audit')) ?? audits.items[0];
    if (isStale(token)) return;
    if (!latest) {
      renderPage(
        `Drift: ${model.name}`,
        h(
          'div',
          { class: 'empty' },
          h('p', {}, 'This model has no audit yet, so there is no drift to show.'),
        ),
      );
      return;
    }
    const [drift, metrics] = await Promise.all([
      optional(api(`/v1/audits/${latest.id}/drift`)),
      api(`/v1/audits/${latest.id}/metrics`),
    ]);
    if (isStale(token)) return;
    const idx = new SuppressionIndex(metrics.slices);
    const minGroupSize = metrics.conventions?.minGroupSize ?? 30;
    const attributes = latest.config.sensitiveAttributes ?? [];
    let metric = params.get('metric') ?? 'selection_rate';
    let attribute = params.get('attribute') ?? attributes[0];
    const timelineBox = h('div', { id: 'timeline' });
    const refresh = () => void renderTimeline(timelineBox, modelId, metric, attribute, idx);
    const metricSelect = h(
      'select',
      { id: 'timeline-metric', onchange: (e) => ((metric = e.target.value), refresh()) },
      TIMELINE_METRICS.map((m) => h('option', { value: m, selected: m === metric }, metricLabel(m))),
    );
    const attrSelect = h(
      'select',
      { id: 'timeline-attribute', onchange: (e) => ((attribute = e.target.value), refresh()) },
      attributes.map((a) => h('option', { value: a, selected: a === attribute }, a)),
    );

    const driftParts = [];
    if (!drift) {
      driftParts.push(h('p', {}, 'Drift could not be computed for this audit.'));
    } else if (!drift.baselineAuditId) {
      driftParts.push(
        h(
          'div',
          { class: 'empty' },
          h('p', {}, "This is the model's first audit: there is no earlier audit to compare with yet."),
        ),
      );
    } else {
      const flagged = drift.checks.filter((c) => c.status !== 'ok');
      const ok = drift.checks.filter((c) => c.status === 'ok');
      const poisoning = flagged.filter((c) => c.kind === 'poisoning');
      driftParts.push(
        h(
          'p',
          {},
          'Overall: ',
          badge(drift.status, DRIFT_LABELS[drift.status]),
          ` compared with the audit of ${formatDate(audits.items.find((a) => a.id === drift.baselineAuditId)?.createdAt ?? '')} (`,
          h('a', { href: `#/audits/${drift.baselineAuditId}` }, 'baseline'),
          ').',
        ),
        drift.message ? h('p', {}, scrubSmallCounts(drift.message)) : '',
        poisoning.length
          ? h(
              'div',
              { class: 'alert error', role: 'note' },
              h(
                'strong',
                {},
                `Possible data poisoning: ${poisoning.length} signal${poisoning.length === 1 ? '' : 's'}. `,
              ),
              'One group moved sharply while the other groups of its attribute stayed put. Check the data pipeline for these groups.',
            )
          : '',
        flagged.length
          ? checksTable('Checks that need attention', flagged, idx, minGroupSize)
          : h('p', {}, 'Every drift check is OK.'),
        ok.length
          ? h(
              'details',
              {},
              h('summary', {}, `${ok.length} checks are OK`),
              checksTable('Checks that are OK', ok, idx, minGroupSize),
            )
          : '',
      );
    }
    renderPage(
      `Drift: ${model.name} ${model.version}`,
      h(
        'p',
        {},
        'Latest audit: ',
        h('a', { href: `#/audits/${latest.id}` }, formatDate(latest.createdAt)),
        `; ${audits.items.length} audit${audits.items.length === 1 ? '' : 's'} in all.`,
      ),
      h(
        'section',
        { 'aria-labelledby': 'timeline-h' },
        h('h2', { id: 'timeline-h' }, 'Timeline'),
        h(
          'div',
          { class: 'inline-fields' },
          h('div', {}, h('label', { for: 'timeline-metric' }, 'Metric'), metricSelect),
          h('div', {}, h('label', { for: 'timeline-attribute' }, 'Attribute'), attrSelect),
        ),
        timelineBox,
      ),
      h(
        'section',
        { 'aria-labelledby': 'checks-h' },
        h('h2', { id: 'checks-h' }, 'Latest drift checks'),
        driftParts,
      ),
    );
    if (attribute) refresh();
  } catch (e) {
    showPageError(token, e, 'drift');
  }
}
