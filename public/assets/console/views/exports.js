// The audit page's health-IT transparency section: the audit's HTI-1 data setting (shown, and changed with
// PATCH /v1/audits/{id}) and the model's signed exports (HTI-1 source attributes as JSON, CHAI model card as XML).
import { api, errorBox } from '../api.js';
import { h } from '../dom.js';
import { state } from '../state.js';

export const DATA_SOURCES = {
  training: 'Training data',
  internal_test: 'Internal test data (same source as training)',
  external: 'External data (another source)',
  local: 'Local data (this site)',
};
const EDIT_ROLES = new Set(['admin', 'data_scientist', 'compliance_officer']);
const EXPORT_ROLES = new Set(['admin', 'compliance_officer']);
const EXPORTS = [
  { kind: 'hti-1', label: 'Download HTI-1 attributes (JSON)', file: (id) => `fairwatch-hti-1-${id}.json` },
  {
    kind: 'chai-model-card',
    label: 'Download model card (XML)',
    file: (id) => `fairwatch-model-card-${id}.xml`,
  },
];

async function download(audit, spec, statusEl) {
  try {
    const res = await api(`/v1/models/${audit.modelId}/exports/${spec.kind}`, {
      raw: true,
      headers: { Accept: 'application/json, application/xml, application/problem+json' },
    });
    const blob = await res.blob();
    const name = spec.file(audit.modelId);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    statusEl.replaceChildren(
      h(
        'div',
        { class: 'alert ok' },
        `Downloaded ${name}, signed by key ${res.headers.get('X-Fairwatch-Signing-Key') ?? '?'}: check it on the Verify page.`,
      ),
    );
  } catch (e) {
    const box = errorBox(e, 'the export');
    if (box) statusEl.replaceChildren(box);
  }
}

/** The data setting of the audit and the model's export buttons, for the audit page. */
export function exportSection(audit) {
  const role = state.me?.role;
  const statusEl = h('div', { id: 'export-status', 'aria-live': 'polite' });
  const select = h(
    'select',
    { id: 'data-source', disabled: !EDIT_ROLES.has(role) },
    Object.entries(DATA_SOURCES).map(([value, label]) =>
      h('option', { value, selected: value === (audit.dataSource ?? 'local') }, label),
    ),
  );
  select.addEventListener('change', async () => {
    try {
      const saved = await api(`/v1/audits/${audit.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ dataSource: select.value }),
        headers: { 'Content-Type': 'application/json' },
      });
      audit.dataSource = saved.dataSource;
      statusEl.replaceChildren(
        h('div', { class: 'alert ok' }, `Data setting saved: ${DATA_SOURCES[saved.dataSource]}.`),
      );
    } catch (e) {
      select.value = audit.dataSource ?? 'local';
      const box = errorBox(e, 'the data setting');
      if (box) statusEl.replaceChildren(box);
    }
  });
  const buttons = EXPORT_ROLES.has(role)
    ? EXPORTS.map((spec) => {
        const b = h(
          'button',
          { type: 'button', class: 'button secondary', id: `export-${spec.kind}` },
          spec.label,
        );
        b.addEventListener('click', () => void download(audit, spec, statusEl));
        return b;
      })
    : [h('span', { class: 'notes' }, 'Exports are made by compliance officers and admins.')];
  return h(
    'section',
    { 'aria-labelledby': 'exports-h', id: 'exports' },
    h('h2', { id: 'exports-h' }, 'Health-IT transparency'),
    h(
      'p',
      { class: 'notes' },
      "HTI-1 reads each audit by its data setting: internal test and external audits fill (B)(7), local audits (B)(8). The exports cover all of this model's audits.",
    ),
    h('label', { for: 'data-source' }, 'Data setting of this audit '),
    select,
    audit.dataSourceDescription ? h('p', { class: 'notes' }, audit.dataSourceDescription) : '',
    h('div', { class: 'actions' }, buttons),
    statusEl,
  );
}
