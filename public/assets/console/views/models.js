// The models overview: each model's latest audit, worst first (verdict, then worst impact ratio, then drift).
import {
  DRIFT_LABELS,
  SuppressionIndex,
  VERDICT_LABELS,
  formatDate,
  formatNumber,
  groupLabel,
  overallVerdict,
  rankDisparities,
} from '/assets/core/reports/browser.js';
import { api, listAll, optional, showPageError } from '../api.js';
import { badge, h, headRow, highlightNav, renderPage, tableWrap } from '../dom.js';
import { chosenFrameworks, frameworkName, frameworkSelect, loadFrameworks } from '../frameworks.js';
import { isStale, nextRender, state } from '../state.js';

const DEFAULT_MAX_AGE_DAYS = 365;

function ageDays(iso, now = Date.now()) {
  return (now - new Date(iso).getTime()) / 86_400_000;
}

/**
 * The worst-off group by impact ratio that may be shown (small-cell suppression as in the report), by core's
 * rankDisparities (the lowest impact ratio is the farthest from parity); only groups with at least
 * minGroupSize people count as evidence.
 */
function worstDisparity(metrics) {
  const minGroupSize = metrics.conventions?.minGroupSize ?? 30;
  const idx = new SuppressionIndex(metrics.slices);
  const [worst] = rankDisparities(metrics.slices, {
    rates: ['selection_rate'],
    comparator: () => 'most_favoured',
    hidden: (s, g, rate, comparator) =>
      idx.ratioHidden(s, g, rate, comparator) || metrics.slices[s].groups[g].count < minGroupSize,
  });
  if (!worst) return null;
  const slice = metrics.slices[worst.slice];
  return {
    value: worst.ratio,
    label: groupLabel(slice.groups[worst.group].key, slice.attributes),
    attribute: slice.attributes.join(' × '),
  };
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

export async function renderModels() {
  const token = nextRender();
  highlightNav('models');
  renderPage('Models', h('p', { class: 'notes' }, 'Loading models…'));
  try {
    const [models] = await Promise.all([listAll('/v1/models'), loadFrameworks()]);
    if (isStale(token)) return;
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
    if (isStale(token)) return;
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
