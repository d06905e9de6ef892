// Fairwatch compliance console: a small single-page app over the public /v1 API (no framework, no bundler).
// The API key lives in sessionStorage only (cleared on sign-out and when the tab closes), never localStorage.
// Tables, drift checks, trend charts and rationales come from core's report code (the PDF's), compiled for the
// browser by `npm run build:console`: the page suppresses small cells exactly as the report does.
import {
  DRIFT_LABELS,
  STATUS_LABELS,
  SuppressionIndex,
  VERDICT_LABELS,
  buildSliceView,
  controlRationale,
  driftCheckView,
  formatCount,
  formatDate,
  formatNumber,
  formatSafeCount,
  groupLabel,
  metricLabel,
  overallVerdict,
  scrubSmallCounts,
  tableColumns,
  trendView,
} from '/assets/core/reports/browser.js';
import { exportSection } from '/assets/exports.js';

const KEY_STORE = 'fairwatch.apiKey';
const REPORT_ROLES = new Set(['admin', 'compliance_officer']);
const DEFAULT_MAX_AGE_DAYS = 365;
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

const state = {
  key: sessionStorage.getItem(KEY_STORE),
  me: null,
  frameworks: null,
  policy: undefined,
  /** '' = the policy's frameworks; else one framework id. */
  framework: '',
  notice: null,
};
let renderToken = 0;

// ---------------------------------------------------------------- DOM helpers

/** h('td', {class: 'num'}, 'text', child): never parses HTML, so API strings are always plain text. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const main = () => document.getElementById('main');

function badge(kind, text) {
  return h('span', { class: `badge ${kind}` }, text);
}

function setStatus(message, kind = 'info') {
  const status = document.getElementById('status');
  status.replaceChildren(message ? h('div', { class: `alert ${kind}` }, message) : '');
}

function renderPage(title, ...content) {
  document.title = `${title} · Fairwatch`;
  const heading = h('h1', { tabindex: '-1' }, title);
  main().replaceChildren(heading, ...content);
  heading.focus();
  return heading;
}

/** A header row of column headings. */
function headRow(headings) {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      headings.map((t) => h('th', { scope: 'col' }, t)),
    ),
  );
}

function tableWrap(label, table) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

function highlightNav(name) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      body,
      headers: {
        Authorization: `Bearer ${state.key}`,
        Accept: 'application/json, application/problem+json',
        ...headers,
      },
    });
  } catch {
    throw new ApiError(
      0,
      'Server unreachable',
      'The Fairwatch server did not answer. Check the connection and try again.',
    );
  }
  if (res.status === 401) {
    signOut('Your key was not accepted (expired or revoked). Sign in with a valid key.', 'error');
    throw new ApiError(401, 'Unauthorized', 'Your key was not accepted (expired or revoked).');
  }
  if (!res.ok) {
    let problem = {};
    try {
      problem = await res.json();
    } catch {
      problem = {};
    }
    const detail =
      problem.detail ||
      (res.status >= 500 ? 'The server had a problem; try again in a moment.' : res.statusText);
    throw new ApiError(res.status, problem.title || `Error ${res.status}`, detail);
  }
  if (raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

/** Every item of a paginated list. */
async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A value that may be missing on this instance (route not there, or the role may not read it). */
async function optional(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof ApiError && e.status !== 401 && e.status !== 0 && e.status < 500) return null;
    throw e;
  }
}

async function loadFrameworks() {
  if (!state.frameworks) state.frameworks = (await optional(api('/v1/frameworks'))) ?? [];
  if (state.policy === undefined) state.policy = await optional(api('/v1/policy'));
  return state.frameworks;
}

function frameworkName(id) {
  return state.frameworks?.find((f) => f.id === id)?.name ?? id;
}

/** The frameworks the verdict is about: the chosen one, else the policy's, else all. */
function chosenFrameworks() {
  if (state.framework) return [state.framework];
  if (state.policy?.frameworks?.length) return state.policy.frameworks;
  return (state.frameworks ?? []).map((f) => f.id);
}

function frameworkSelect(id, onChange) {
  const policyText = state.policy?.frameworks?.length ? "The policy's frameworks" : 'All frameworks';
  const select = h(
    'select',
    { id, onchange: (e) => onChange(e.target.value) },
    h('option', { value: '' }, policyText),
    (state.frameworks ?? []).map((f) =>
      h('option', { value: f.id, selected: f.id === state.framework }, f.name),
    ),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, 'Framework'), select);
}

function errorBox(e, what) {
  if (e instanceof ApiError && e.status === 401) return null; // sign-in page already shown
  const detail = e instanceof ApiError ? e.detail : String(e?.message ?? e);
  const title =
    e instanceof ApiError && e.status === 0 ? 'The server is not reachable' : `Could not load ${what}`;
  return h('div', { class: 'alert error', role: 'alert' }, h('strong', {}, title), h('p', {}, detail));
}

function showPageError(token, e, what) {
  if (token !== renderToken) return;
  const box = errorBox(e, what);
  if (box)
    renderPage(`Could not load ${what}`, box, h('p', {}, h('a', { href: '#/models' }, 'Back to the models')));
}

// ---------------------------------------------------------------- charts

function embedChart(container, spec, label) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  container.__spec = spec;
  if (typeof window.vegaEmbed !== 'function') {
    container.replaceChildren(
      h(
        'p',
        { class: 'notes' },
        'Chart unavailable (the chart library did not load); the table holds the same numbers.',
      ),
    );
    return;
  }
  // ast + the interpreter: vega evaluates its expressions without eval, under the page's CSP.
  window
    .vegaEmbed(container, spec, { actions: false, renderer: 'svg', ast: true })
    .then(() => container.setAttribute('data-rendered', 'true'))
    .catch((err) =>
      container.replaceChildren(h('p', { class: 'notes' }, `Chart could not be drawn: ${err.message}`)),
    );
}

// ---------------------------------------------------------------- auth

function signOut(message, kind = 'info') {
  sessionStorage.removeItem(KEY_STORE);
  state.key = null;
  state.me = null;
  state.frameworks = null;
  state.policy = undefined;
  state.notice = message ? { message, kind } : null;
  if (location.hash && location.hash !== '#/signin') history.replaceState(null, '', '#/signin');
  route();
}

function updateChrome() {
  const signedIn = Boolean(state.key && state.me);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (signedIn) {
    document.getElementById('who-text').textContent =
      `Signed in as ${state.me.role.replace('_', ' ')} (key ${state.me.keyPrefix.replace(/…+$/, '')}…)`;
  }
}

function renderSignIn() {
  updateChrome();
  highlightNav('');
  const input = h('input', {
    id: 'api-key',
    name: 'apiKey',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
  });
  const error = h('div', { id: 'signin-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'signin', 'aria-describedby': 'signin-help' },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), input),
    h(
      'p',
      { class: 'hint', id: 'signin-help' },
      'Your key stays in this browser tab only and is forgotten when you sign out or close the tab.',
    ),
    error,
    h('button', { type: 'submit', class: 'button' }, 'Sign in'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    error.replaceChildren();
    state.key = key;
    try {
      state.me = await api('/v1/me');
      sessionStorage.setItem(KEY_STORE, key);
      state.notice = null;
      setStatus('');
      if (!location.hash || location.hash === '#/signin') location.hash = '#/models';
      else route();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // signOut re-rendered with the message
      state.key = null;
      error.replaceChildren(errorBox(e, 'your account') ?? '');
    }
  });
  renderPage('Sign in', h('p', {}, 'Sign in with the API key your administrator gave you.'), form);
  setStatus(state.notice?.message ?? '', state.notice?.kind);
  input.focus();
}

// ---------------------------------------------------------------- models overview

function ageDays(iso, now = Date.now()) {
  return (now - new Date(iso).getTime()) / 86_400_000;
}

/**
 * Lowest impact ratio that may be shown (small-cell suppression as in the report), with its group; only
 * groups with at least minGroupSize people count as evidence.
 */
function worstDisparity(metrics) {
  let worst = null;
  const minGroupSize = metrics.conventions?.minGroupSize ?? 30;
  for (const { slice, sup } of new SuppressionIndex(metrics.slices).slices) {
    slice.groups.forEach((g, i) => {
      const ir = g.disparities.selection_rate?.impactRatio;
      if (ir === null || ir === undefined || !Number.isFinite(ir) || sup.groups[i]?.impactRatioSuppressed)
        return;
      if (g.count < minGroupSize) return;
      if (!worst || ir < worst.value)
        worst = {
          value: ir,
          label: groupLabel(g.key, slice.attributes),
          attribute: slice.attributes.join(' × '),
        };
    });
  }
  return worst;
}

async function modelRow(model, frameworks) {
  const audits = await api(`/v1/models/${model.id}/audits?limit=1`);
  const latest = audits.items[0] ?? null;
  if (!latest) return { model, latest: null };
  const [controls, drift, metrics] = await Promise.all([
    optional(api(`/v1/audits/${latest.id}/controls?frameworks=${frameworks.join(',')}`)),
    optional(api(`/v1/audits/${latest.id}/drift`)),
    optional(api(`/v1/audits/${latest.id}/metrics`)),
  ]);
  return {
    model,
    latest,
    controls,
    verdict: controls ? overallVerdict(controls) : null,
    drift,
    worst: metrics ? worstDisparity(metrics) : null,
    band: metrics?.conventions?.fairnessBand ?? [0.8, 1.25],
  };
}

const VERDICT_RANK = { fail: 0, review: 1, inconclusive: 2, pass: 3 };
const DRIFT_RANK = { alert: 0, warning: 1, ok: 2 };

function compareRows(a, b) {
  const va = a.latest ? (VERDICT_RANK[a.verdict] ?? 3) : 4;
  const vb = b.latest ? (VERDICT_RANK[b.verdict] ?? 3) : 4;
  if (va !== vb) return va - vb;
  const wa = a.worst?.value ?? Infinity;
  const wb = b.worst?.value ?? Infinity;
  if (wa !== wb) return wa - wb;
  const da = DRIFT_RANK[a.drift?.status] ?? 3;
  const db = DRIFT_RANK[b.drift?.status] ?? 3;
  if (da !== db) return da - db;
  return a.model.name.localeCompare(b.model.name);
}

async function renderModels() {
  const token = ++renderToken;
  highlightNav('models');
  renderPage('Models', h('p', { class: 'notes' }, 'Loading models…'));
  try {
    const [models] = await Promise.all([listAll('/v1/models'), loadFrameworks()]);
    if (token !== renderToken) return;
    if (models.length === 0) {
      renderPage(
        'Models',
        h(
          'div',
          { class: 'empty' },
          h('h2', {}, 'No models yet'),
          h(
            'p',
            {},
            'Nothing has been audited in your organization yet. A data scientist registers a model and submits its first audit through the API (POST /v1/models, then POST /v1/models/{modelId}/audits).',
          ),
          h('p', {}, 'See the ', h('a', { href: '/docs' }, 'API documentation'), '.'),
        ),
      );
      return;
    }
    const frameworks = chosenFrameworks();
    const rows = await Promise.all(models.map((m) => modelRow(m, frameworks)));
    if (token !== renderToken) return;
    rows.sort(compareRows);
    const maxAge = state.policy?.thresholds?.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
    const now = Date.now();
    const tbody = h(
      'tbody',
      {},
      rows.map((r) => {
        const overdue = !r.latest || ageDays(r.latest.createdAt, now) > maxAge;
        const outside = r.worst && (r.worst.value < r.band[0] || r.worst.value > r.band[1]);
        return h(
          'tr',
          { dataset: { modelId: r.model.id, modelName: r.model.name }, class: outside ? 'outside' : '' },
          h(
            'th',
            { scope: 'row' },
            r.latest ? h('a', { href: `#/audits/${r.latest.id}` }, r.model.name) : r.model.name,
            h('div', { class: 'notes' }, `version ${r.model.version}`),
          ),
          h(
            'td',
            { dataset: { col: 'latest' } },
            r.latest ? formatDate(r.latest.createdAt) : 'No audit yet',
            overdue ? [' ', badge('overdue', r.latest ? 'Overdue' : 'Never audited')] : '',
          ),
          h(
            'td',
            { dataset: { col: 'verdict' } },
            r.latest ? (r.verdict ? badge(r.verdict, VERDICT_LABELS[r.verdict]) : 'Unknown') : '—',
          ),
          h(
            'td',
            { dataset: { col: 'drift' } },
            !r.latest
              ? '—'
              : r.drift
                ? r.drift.baselineAuditId
                  ? h(
                      'a',
                      { href: `#/models/${r.model.id}/drift` },
                      badge(r.drift.status, DRIFT_LABELS[r.drift.status]),
                    )
                  : h('a', { href: `#/models/${r.model.id}/drift` }, 'No baseline yet')
                : 'Unknown',
          ),
          h(
            'td',
            { dataset: { col: 'worst' } },
            r.worst
              ? [
                  h('span', { class: 'num' }, formatNumber(r.worst.value)),
                  ` ${r.worst.label} (${r.worst.attribute})`,
                  outside ? [' ', badge('outside_band', 'Outside band')] : '',
                ]
              : '—',
          ),
        );
      }),
    );
    const table = h(
      'table',
      { id: 'models-table' },
      h(
        'caption',
        {},
        `Verdict for: ${state.framework ? frameworkName(state.framework) : state.policy?.frameworks?.length ? "the organization policy's frameworks" : 'all frameworks'}. Sorted worst first.`,
      ),
      headRow(['Model', 'Latest audit', 'Verdict', 'Drift', 'Worst impact ratio']),
      tbody,
    );
    renderPage(
      'Models',
      h(
        'p',
        {},
        `Each model's latest audit. An audit older than ${maxAge} days is overdue${state.policy ? ' (organization policy)' : ' (default policy)'}. Impact ratio: a group's favourable-outcome rate over the highest group's; below ${rows[0]?.band?.[0] ?? 0.8} fails the four-fifths rule.`,
      ),
      h(
        'div',
        { class: 'inline-fields' },
        frameworkSelect('framework-filter', (v) => {
          state.framework = v;
          void renderModels();
        }),
      ),
      tableWrap('Models', table),
    );
  } catch (e) {
    showPageError(token, e, 'the models');
  }
}

// ---------------------------------------------------------------- audit page

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

function controlsSection(controls, idx) {
  const body = h('tbody', {});
  const count = h('p', { class: 'notes', 'aria-live': 'polite' });
  const verdictEl = h('p', {});
  const fill = () => {
    const wanted = new Set(chosenFrameworks());
    const shown = controls.filter((c) => wanted.has(c.framework));
    body.replaceChildren(
      ...shown.map((c) =>
        h(
          'tr',
          { dataset: { control: c.controlId, framework: c.framework } },
          h('td', {}, frameworkName(c.framework)),
          h('th', { scope: 'row' }, c.controlId, h('div', { class: 'notes' }, c.title)),
          h('td', {}, badge(c.status, STATUS_LABELS[c.status] ?? c.status)),
          h('td', {}, controlRationale(c, idx)),
        ),
      ),
    );
    const n = (s) => shown.filter((c) => c.status === s).length;
    count.textContent = `${shown.length} controls: ${n('fail')} fail, ${n('review')} need review, ${n('inconclusive')} inconclusive, ${n('pass')} pass, ${n('not_applicable')} not applicable.`;
    const v = overallVerdict(shown);
    verdictEl.replaceChildren('Verdict: ', badge(v, VERDICT_LABELS[v]));
  };
  fill();
  const table = h(
    'table',
    { id: 'controls-table' },
    h('caption', {}, 'Controls, with status and rationale'),
    headRow(['Framework', 'Control', 'Status', 'Rationale']),
    body,
  );
  return h(
    'section',
    { 'aria-labelledby': 'controls-h' },
    h('h2', { id: 'controls-h' }, 'Controls'),
    h(
      'div',
      { class: 'inline-fields' },
      frameworkSelect('controls-framework', (v) => {
        state.framework = v;
        fill();
      }),
    ),
    verdictEl,
    count,
    tableWrap('Controls', table),
  );
}

async function downloadReport(reportId, statusEl) {
  try {
    const res = await api(`/v1/reports/${reportId}/pdf`, {
      raw: true,
      headers: { Accept: 'application/pdf, application/problem+json' },
    });
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `fairwatch-report-${reportId}.pdf` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    statusEl.replaceChildren(
      h(
        'div',
        { class: 'alert ok' },
        `Downloaded fairwatch-report-${reportId}.pdf (${formatCount(blob.size)} bytes).`,
      ),
    );
  } catch (e) {
    const box = errorBox(e, 'the PDF');
    if (box) statusEl.replaceChildren(box);
  }
}

function reportActions(audit, reports) {
  const canReport = REPORT_ROLES.has(state.me?.role);
  const latest = reports?.[0] ?? null;
  const statusEl = h('div', { id: 'report-status', 'aria-live': 'polite' });
  const download = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      id: 'download-pdf',
      disabled: !latest,
      'aria-describedby': 'download-help',
    },
    'Download PDF',
  );
  const help = h(
    'span',
    { id: 'download-help', class: 'notes' },
    canReport
      ? latest
        ? `Latest report: ${formatDate(latest.createdAt)} (${latest.id})`
        : 'No report yet: create one first.'
      : `${reports?.length ? `${reports.length} signed report${reports.length === 1 ? ' exists' : 's exist'} for this audit. ` : ''}Reports are created and downloaded by compliance officers and admins.`,
  );
  let reportId = latest?.id ?? null;
  download.addEventListener('click', () => {
    if (reportId) void downloadReport(reportId, statusEl);
  });
  const buttons = [];
  if (canReport) {
    const create = h('button', { type: 'button', class: 'button', id: 'create-report' }, 'Create report');
    create.addEventListener('click', async () => {
      create.disabled = true;
      statusEl.replaceChildren(h('div', { class: 'alert info' }, 'Creating the signed report…'));
      try {
        const body = state.framework ? { frameworks: [state.framework] } : {};
        const report = await api(`/v1/audits/${audit.id}/reports`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'Content-Type': 'application/json' },
        });
        reportId = report.id;
        download.disabled = false;
        help.textContent = `Latest report: ${formatDate(report.createdAt)} (${report.id})`;
        statusEl.replaceChildren(
          h(
            'div',
            { class: 'alert ok', dataset: { reportId: report.id } },
            h('strong', {}, 'Report created. '),
            `ID ${report.id}, ${formatDate(report.createdAt)}. SHA-256 `,
            h('code', {}, report.sha256),
            '.',
          ),
        );
        download.focus();
      } catch (e) {
        const box = errorBox(e, 'the report');
        if (box) statusEl.replaceChildren(box);
      } finally {
        create.disabled = false;
      }
    });
    buttons.push(create, download);
  }
  buttons.push(help);
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'actions' },
      buttons,
      h('a', { href: `#/models/${audit.modelId}/drift` }, 'Drift and trends'),
      h('a', { href: '#/verify' }, 'Verify a report'),
    ),
    statusEl,
  );
}

async function renderAudit(auditId) {
  const token = ++renderToken;
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
    if (token !== renderToken) return;
    const band = metrics.conventions?.fairnessBand ?? [0.8, 1.25];
    const columns = tableColumns(metrics);
    const idx = new SuppressionIndex(metrics.slices);
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
      h('div', {}, h('dt', {}, 'Audit ID'), h('dd', {}, h('code', {}, audit.id))),
    );
    renderPage(
      `${model ? `${model.name} ${model.version}` : 'Model'}: audit of ${formatDate(audit.createdAt)}`,
      meta,
      reportActions(audit, reports?.items ?? []),
      exportSection({ h, api, errorBox }, audit, state.me?.role),
      // The verdict and the controls first: what a compliance officer opens the page for.
      controls
        ? controlsSection(controls, idx)
        : h(
            'section',
            {},
            h('h2', {}, 'Controls'),
            h('p', {}, 'The controls could not be evaluated for this audit.'),
          ),
      h(
        'section',
        { 'aria-labelledby': 'groups-h' },
        h('h2', { id: 'groups-h' }, 'Groups'),
        h(
          'p',
          { class: 'notes' },
          `Ratio: the group's selection rate over the reference group's, with its 95% Koopman score interval. The shaded band ${band[0]}–${band[1]} is where a ratio counts as fair.`,
        ),
        idx.slices.map((s) =>
          sliceSection(
            buildSliceView(
              s,
              columns,
              band,
              metrics.conventions?.minGroupSize ?? 30,
              metrics.conventions?.favorableOutcome ?? 'positive',
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

// ---------------------------------------------------------------- drift page

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

async function renderTimeline(container, modelId, metric, attribute, idx) {
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
      view.spec,
      `Chart: ${view.title}, one line per group. The numbers are listed below the chart.`,
    );
  } catch (e) {
    const box = errorBox(e, 'the timeline');
    if (box) container.replaceChildren(box);
  }
}

async function renderDrift(modelId, params) {
  const token = ++renderToken;
  highlightNav('models');
  renderPage('Drift', h('p', { class: 'notes' }, 'Loading drift…'));
  try {
    const [model, audits] = await Promise.all([
      api(`/v1/models/${modelId}`),
      api(`/v1/models/${modelId}/audits?limit=100`),
    ]);
    const latest = audits.items.find((a) => a.id === params.get('audit')) ?? audits.items[0];
    if (token !== renderToken) return;
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
    if (token !== renderToken) return;
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

// ---------------------------------------------------------------- verify page

function renderVerify() {
  ++renderToken;
  highlightNav('verify');
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'file',
    id: 'verify-file',
    accept: 'application/pdf,.pdf,application/xml,.xml,application/json,.json',
  });
  const check = async (file) => {
    if (!file) return;
    result.replaceChildren(h('div', { class: 'alert info' }, `Checking ${file.name}…`));
    try {
      const type = /\.xml$/i.test(file.name)
        ? 'application/xml'
        : /\.json$/i.test(file.name)
          ? 'application/json'
          : 'application/pdf';
      const out = await api('/v1/reports/verify', {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': type },
      });
      result.replaceChildren(
        out.valid
          ? h(
              'div',
              { class: 'alert ok', dataset: { valid: 'true' } },
              h('strong', {}, 'Valid. '),
              out.exportId
                ? `This instance issued this ${out.kind === 'hti-1' ? 'HTI-1 export' : 'model card'} (ID ${out.exportId}), and it has not been altered since it was signed.`
                : `This instance issued this report${out.reportId ? ` (ID ${out.reportId})` : ''}, and it has not been altered since it was signed.`,
            )
          : h(
              'div',
              { class: 'alert error', dataset: { valid: 'false' } },
              h('strong', {}, 'Not valid. '),
              'This file was not issued by this instance, or it was changed after it was signed.',
            ),
      );
    } catch (e) {
      const box = errorBox(e, 'the verification');
      if (box) result.replaceChildren(box);
    }
  };
  input.addEventListener('change', () => void check(input.files?.[0]));
  const zone = h(
    'div',
    { class: 'dropzone', id: 'dropzone' },
    h('p', {}, 'Drop a Fairwatch report (PDF), model card (XML) or HTI-1 export (JSON) here, or'),
    h('label', { for: 'verify-file' }, 'choose a file'),
    input,
  );
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void check(e.dataTransfer?.files?.[0]);
  });
  renderPage(
    'Verify a report',
    h(
      'p',
      {},
      'Check whether this Fairwatch instance issued a report PDF and that it has not been changed since. The file is sent to this server only.',
    ),
    zone,
    result,
  );
}

// ---------------------------------------------------------------- router

async function route() {
  if (!state.key) {
    renderSignIn();
    return;
  }
  if (!state.me) {
    try {
      state.me = await api('/v1/me');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        renderPage('Fairwatch', errorBox(e, 'your account') ?? '');
      }
      return;
    }
  }
  updateChrome();
  if (!state.notice) setStatus('');
  state.notice = null;
  const hash = location.hash.replace(/^#/, '') || '/models';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'audits' && parts[1]) return renderAudit(parts[1]);
  if (parts[0] === 'models' && parts[1] && parts[2] === 'drift') return renderDrift(parts[1], params);
  if (parts[0] === 'verify') return renderVerify();
  if (parts[0] === 'signin') {
    history.replaceState(null, '', '#/models');
  }
  return renderModels();
}

document
  .getElementById('sign-out')
  .addEventListener('click', () => signOut('You are signed out. Your key was removed from this tab.'));
window.addEventListener('hashchange', () => void route());
void route();
