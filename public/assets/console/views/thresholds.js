// The threshold what-if: a slider moves along the grid the API returned once (0.01 to 0.99), and each
// group's selection rate, TPR, FPR, PPV, alerts per 1,000 and net benefit update in place; no request per
// step. Then the equal-opportunity thresholds and the net benefit and alert curves.
import {
  THRESHOLD_COLUMNS,
  formatNumber,
  thresholdGrid,
  thresholdsView,
} from '/assets/core/reports/browser.js';
import { api, showPageError } from '../api.js';
import { embedChart } from '../charts.js';
import { h, headRow, highlightNav, renderPage, tableWrap } from '../dom.js';
import { isStale, nextRender } from '../state.js';
import { SUPPRESSION_NOTE, auditLinks, auditTitle, loadAuditContext } from './score-quality.js';

/** 0.01, 0.02, …, 0.99 and the audit's threshold, ascending, as the API's query parameter. */
/** The audit's own threshold (0.5, already on the grid, when its config has none). */
const auditThreshold = (audit) => (typeof audit.config.threshold === 'number' ? audit.config.threshold : 0.5);

/** One slice's table at the slider's threshold; returns it with a function that refills it at index t. */
function liveTable(view) {
  const caption = h('caption', {});
  const rows = view.groups.map((g) => {
    const cells = THRESHOLD_COLUMNS.map((c) => h('td', { class: 'num', dataset: { metric: c.key } }));
    const row = h(
      'tr',
      { dataset: { group: g.label } },
      h('th', { scope: 'row' }, g.label),
      h('td', { class: 'num', dataset: { metric: 'count' } }, g.count),
      cells,
    );
    return { g, cells, row };
  });
  const fill = (t, threshold) => {
    caption.textContent = `Groups by ${view.title} at threshold ${threshold}`;
    for (const { g, cells } of rows) {
      const p = g.points[t];
      THRESHOLD_COLUMNS.forEach((c, i) => (cells[i].textContent = p ? p[c.key] : 'suppressed'));
    }
  };
  const table = h(
    'table',
    { dataset: { slice: view.title, live: 'thresholds' } },
    caption,
    headRow(['Group', 'n', ...THRESHOLD_COLUMNS.map((c) => c.header)]),
    h(
      'tbody',
      {},
      rows.map((r) => r.row),
    ),
  );
  return { table, fill };
}

function equalOpportunityTable(view) {
  return tableWrap(
    `Equal-opportunity thresholds by ${view.title}`,
    h(
      'table',
      { dataset: { equalOpportunity: view.title } },
      h(
        'caption',
        {},
        `Equal opportunity by ${view.title}: the threshold that gives each group the reference group's TPR at the audit's threshold (${view.target})`,
      ),
      headRow(['Group', 'Threshold', 'TPR', 'Alerts per 1,000', 'Net benefit', 'Note']),
      h(
        'tbody',
        {},
        view.groups.map((g) =>
          h(
            'tr',
            { dataset: { group: g.label } },
            h('th', { scope: 'row' }, g.label),
            h('td', { class: 'num' }, g.equalOpportunity.threshold),
            h('td', { class: 'num' }, g.equalOpportunity.true_positive_rate),
            h('td', { class: 'num' }, g.equalOpportunity.alerts_per_1000),
            h('td', { class: 'num' }, g.equalOpportunity.net_benefit),
            h('td', {}, g.equalOpportunity.note),
          ),
        ),
      ),
    ),
  );
}

function chartsOf(view) {
  const nb = h('div', { class: 'chart', dataset: { chart: `net-benefit-${view.title}` } });
  const alerts = h('div', { class: 'chart', dataset: { chart: `alerts-${view.title}` } });
  embedChart(nb, view.netBenefitChart, `Chart: net benefit by threshold, one line per ${view.title} group.`);
  embedChart(
    alerts,
    view.alertsChart,
    `Chart: alerts per 1,000 by threshold, one line per ${view.title} group.`,
  );
  return h('div', { class: 'chart-row' }, nb, alerts);
}

export async function renderThresholds(auditId) {
  const token = nextRender();
  highlightNav('models');
  renderPage('Thresholds', h('p', { class: 'notes' }, 'Loading the threshold what-if…'));
  try {
    // The whole grid once (0.01 to 0.99 and the audit's own threshold): the slider moves along it without
    // another request.
    const ctx = await loadAuditContext(auditId);
    const report = await api(
      `/v1/audits/${auditId}/thresholds?thresholds=${thresholdGrid(auditThreshold(ctx.audit)).join(',')}`,
    );
    if (isStale(token)) return;
    const view = thresholdsView(report, ctx.idx);
    const tables = view.slices.map(liveTable);
    const value = h('output', { id: 'threshold-value', for: 'threshold-slider', 'aria-live': 'polite' });
    const slider = h('input', {
      type: 'range',
      id: 'threshold-slider',
      min: 0,
      max: view.thresholds.length - 1,
      step: 1,
      value: view.startIndex,
      'aria-describedby': 'threshold-help',
    });
    const update = () => {
      const t = Number(slider.value);
      const threshold = formatNumber(view.thresholds[t]);
      slider.setAttribute('aria-valuetext', threshold);
      value.textContent = threshold;
      for (const table of tables) table.fill(t, threshold);
    };
    slider.addEventListener('input', update);
    update();
    renderPage(
      auditTitle('Thresholds', ctx),
      auditLinks(ctx.audit),
      h(
        'p',
        {},
        `What would another threshold do? A patient is flagged when the score is at or above the threshold; the audit used ${view.auditThreshold}. Net benefit = true positives/n − false positives/n × t/(1 − t) (Vickers and Elkin 2006): above 0, flagging at t does more good than flagging nobody.`,
      ),
      h('p', { class: 'notes' }, SUPPRESSION_NOTE),
      h(
        'div',
        { class: 'slider-field' },
        h('label', { for: 'threshold-slider' }, 'Threshold'),
        slider,
        value,
        h(
          'p',
          { class: 'hint', id: 'threshold-help' },
          'Arrow keys move by 0.01; Home and End go to the lowest and highest threshold.',
        ),
      ),
      h(
        'div',
        {},
        view.slices.map((s, i) =>
          h(
            'section',
            { 'aria-labelledby': `thr-${s.title}` },
            h('h2', { id: `thr-${s.title}` }, s.title),
            tableWrap(`Groups by ${s.title} at the chosen threshold`, tables[i].table),
            chartsOf(s),
            equalOpportunityTable(s),
          ),
        ),
      ),
    );
  } catch (e) {
    showPageError(token, e, 'the threshold what-if');
  }
}
