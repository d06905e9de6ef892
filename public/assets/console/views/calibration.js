// Calibration by group: at the same score, does each group have the same observed rate? The reliability curve
// per slice (10 bins, Wilson intervals) and the O/E ratio, calibration intercept and slope per group.
import { calibrationView } from '/assets/core/reports/browser.js';
import { api, showPageError } from '../api.js';
import { embedChart } from '../charts.js';
import { h, headRow, highlightNav, renderPage, tableWrap } from '../dom.js';
import { isStale, nextRender } from '../state.js';
import { SUPPRESSION_NOTE, auditLinks, auditTitle, loadAuditContext } from './score-quality.js';

const METRIC_HEADINGS = [
  'Group',
  'n',
  'Brier',
  'ECE',
  'O/E (95% CI)',
  'Intercept (95% CI)',
  'Slope (95% CI)',
  'Notes',
];

function metricsRow(g) {
  return h(
    'tr',
    { dataset: { group: g.label } },
    h('th', { scope: 'row' }, g.label),
    h('td', { class: 'num', dataset: { metric: 'count' } }, g.count),
    h('td', { class: 'num', dataset: { metric: 'brier_score' } }, g.brier),
    h('td', { class: 'num', dataset: { metric: 'expected_calibration_error' } }, g.ece),
    h('td', { class: 'num', dataset: { metric: 'observed_expected_ratio' } }, g.observedExpected),
    h('td', { class: 'num', dataset: { metric: 'calibration_intercept' } }, g.intercept),
    h('td', { class: 'num', dataset: { metric: 'calibration_slope' } }, g.slope),
    h('td', {}, g.notes.join('; ')),
  );
}

function binsTable(g) {
  return tableWrap(
    `Reliability bins: ${g.label}`,
    h(
      'table',
      { dataset: { bins: g.label } },
      h('caption', {}, `Reliability bins: ${g.label}`),
      headRow(['Score bin', 'n', 'Mean score', 'Observed rate (95% Wilson)']),
      h(
        'tbody',
        {},
        g.bins.map((b) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, b.range),
            h('td', { class: 'num' }, b.count),
            h('td', { class: 'num' }, b.meanScore),
            h(
              'td',
              { class: 'num' },
              b.observedRate,
              b.interval ? [' ', h('span', { class: 'ci' }, b.interval)] : '',
            ),
          ),
        ),
      ),
    ),
  );
}

function sliceSection(view) {
  const chart = h('div', { class: 'chart', dataset: { chart: `calibration-${view.title}` } });
  const shown = view.groups.filter((g) => !g.hidden);
  const section = h(
    'section',
    { 'aria-labelledby': `cal-${view.title}` },
    h('h3', { id: `cal-${view.title}` }, view.title),
    tableWrap(
      `Calibration by ${view.title}`,
      h(
        'table',
        { dataset: { slice: view.title } },
        h('caption', {}, `Calibration by ${view.title}`),
        headRow(METRIC_HEADINGS),
        h('tbody', {}, view.groups.map(metricsRow)),
      ),
    ),
    chart,
    h('details', {}, h('summary', {}, 'The numbers behind the chart'), shown.map(binsTable)),
  );
  embedChart(
    chart,
    view.chart,
    `Chart: reliability curves by ${view.title}, observed rate against mean score per bin. The bins are listed below the chart.`,
  );
  return section;
}

export async function renderCalibration(auditId) {
  const token = nextRender();
  highlightNav('models');
  renderPage('Calibration', h('p', { class: 'notes' }, 'Loading calibration…'));
  try {
    const [ctx, calibration] = await Promise.all([
      loadAuditContext(auditId),
      api(`/v1/audits/${auditId}/calibration`),
    ]);
    if (isStale(token)) return;
    const view = calibrationView(calibration, ctx.idx);
    renderPage(
      auditTitle('Calibration', ctx),
      auditLinks(ctx.audit),
      h(
        'p',
        {},
        'A calibrated score means what it says in every group: among people scored 0.3, about 30% have the outcome. O/E above 1: the score understates the risk of the group; a slope below 1: its scores are too extreme.',
      ),
      h('p', { class: 'notes' }, SUPPRESSION_NOTE),
      h(
        'section',
        { 'aria-labelledby': 'cal-overall' },
        h('h2', { id: 'cal-overall' }, 'Everyone'),
        tableWrap(
          'Calibration of everyone',
          h(
            'table',
            { id: 'calibration-overall' },
            headRow(METRIC_HEADINGS),
            h('tbody', {}, metricsRow(view.overall)),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'cal-groups' },
        h('h2', { id: 'cal-groups' }, 'Groups'),
        view.slices.map(sliceSection),
      ),
    );
  } catch (e) {
    showPageError(token, e, 'calibration');
  }
}
