// The audit page's groups for regression and multiclass audits: core's task views (the PDF's own tables,
// deciles of prediction and per-class tables, suppressed the same way), rendered as tables and charts.
import { buildMulticlassView, buildRegressionView } from '/assets/core/reports/browser.js';
import { embedChart } from '../charts.js';
import { badge, h, tableWrap } from '../dom.js';

function cellEl(cell, column) {
  return h(
    'td',
    { class: 'num', dataset: { metric: column } },
    h('span', { class: 'value' }, cell.value),
    cell.interval ? [' ', h('span', { class: 'ci' }, cell.interval)] : '',
  );
}

/** A group table of core's TaskTable: Group, n, its columns, Flags. */
function taskTable(t, note) {
  const table = h(
    'table',
    { dataset: { table: t.title } },
    h('caption', {}, `${t.title}${note ? `; ${note}` : ''}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Group'),
        h('th', { scope: 'col', class: 'num' }, 'n'),
        t.columns.map((c) => h('th', { scope: 'col', class: 'num' }, c)),
        h('th', { scope: 'col' }, 'Flags'),
      ),
    ),
    h(
      'tbody',
      {},
      t.rows.map((r) =>
        h(
          'tr',
          { dataset: { group: r.label }, class: r.flags.includes('outside_band') ? 'outside' : '' },
          h('th', { scope: 'row' }, r.label),
          h('td', { class: 'num', dataset: { metric: 'count' } }, r.count),
          r.cells.map((c, i) => cellEl(c, t.columns[i])),
          h(
            'td',
            {},
            r.flagLabels.map((f, i) => badge(r.flags[i], f)),
          ),
        ),
      ),
    ),
  );
  return tableWrap(t.title, table);
}

const lines = (items) =>
  items.length
    ? h(
        'ul',
        { class: 'summary-lines' },
        items.map((l) => h('li', {}, l)),
      )
    : '';

/** Mean target by decile of prediction: the sentences, the chart and the groups × deciles table. */
function decileSection(d, target) {
  const chart = h('div', { class: 'chart', dataset: { chart: `deciles ${d.title}` } });
  const table = h(
    'table',
    { dataset: { table: `deciles ${d.title}` } },
    h('caption', {}, `Mean ${target} by decile of prediction (${d.title}), 95% intervals and n per cell`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Group'),
        d.ranges.map((r, i) => h('th', { scope: 'col', class: 'num' }, `${i + 1}: ${r}`)),
      ),
    ),
    h(
      'tbody',
      {},
      d.rows.map((r) =>
        h(
          'tr',
          { dataset: { group: r.label } },
          h('th', { scope: 'row' }, r.label),
          r.cells.map((c, i) =>
            h(
              'td',
              { class: 'num', dataset: { decile: String(i + 1) } },
              h('span', { class: 'value' }, c.value),
              c.interval ? [' ', h('span', { class: 'ci' }, c.interval)] : '',
              // a hidden cell: "n ≤10" only when its own count is the small one (a partner is not small)
              c.suppressed && r.counts[i] !== '≤10' ? '' : h('span', { class: 'ci' }, ` n ${r.counts[i]}`),
            ),
          ),
        ),
      ),
    ),
  );
  const section = h(
    'section',
    { class: 'deciles' },
    h('h4', {}, `Equal predictions, equal ${target}? (${d.title})`),
    lines(d.verdicts),
    chart,
    tableWrap(`Deciles of prediction by ${d.title}`, table),
    d.notes.map((n) => h('p', { class: 'notes' }, n)),
  );
  if (d.chart)
    embedChart(
      chart,
      d.chart,
      `Chart: mean ${target} by decile of prediction for each ${d.title} group. The table below lists the same numbers.`,
    );
  return section;
}

function regressionSection(view) {
  return [
    h('p', { class: 'notes' }, view.overall.join(' · ')),
    view.slices.map((s) =>
      h(
        'section',
        { 'aria-labelledby': `slice-${s.title}` },
        h('h3', { id: `slice-${s.title}` }, s.title),
        h('p', { class: 'notes' }, `Reference: ${s.referenceLabel}`),
        taskTable(s.metrics, '95% intervals'),
        lines(s.summaryLines),
        taskTable(s.differences),
        taskTable(s.ratios),
        s.notes.map((n) => h('p', { class: 'notes' }, n)),
        s.deciles ? decileSection(s.deciles, view.target) : '',
      ),
    ),
  ];
}

function multiclassSection(view) {
  return [
    h('p', {}, `Whole sample: accuracy ${view.overallAccuracy}.`),
    taskTable(view.overall),
    view.slices.map((s) =>
      h(
        'section',
        { 'aria-labelledby': `slice-${s.title}` },
        h('h3', { id: `slice-${s.title}` }, s.title),
        h('p', { class: 'notes' }, `Reference: ${s.referenceLabel}`),
        taskTable(s.accuracy, '95% intervals'),
        s.classes.map((c) => taskTable(c, '95% intervals')),
        lines(s.summaryLines),
        s.notes.map((n) => h('p', { class: 'notes' }, n)),
      ),
    ),
  ];
}

/** The Groups section of a regression or multiclass audit; `totalSuppressed` from the count-only index. */
export function taskGroupsSection(metrics, audit, totalSuppressed) {
  const c = metrics.conventions ?? {};
  const options = { band: c.fairnessBand ?? [0.8, 1.25], minGroupSize: c.minGroupSize ?? 30 };
  const target = audit.config?.targetColumn ?? 'target';
  const content =
    metrics.task === 'regression'
      ? regressionSection(buildRegressionView(metrics, { ...options, target }, totalSuppressed))
      : multiclassSection(buildMulticlassView(metrics, options, totalSuppressed));
  return h(
    'section',
    { 'aria-labelledby': 'groups-h', dataset: { task: metrics.task } },
    h(
      'h2',
      { id: 'groups-h' },
      metrics.task === 'regression' ? 'Groups (regression)' : 'Groups (multiclass)',
    ),
    content,
  );
}
