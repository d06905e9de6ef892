// What the calibration and thresholds pages share: the audit, its model and its table suppression.
import { SuppressionIndex, formatDate } from '/assets/core/reports/browser.js';
import { api, optional } from '../api.js';
import { h } from '../dom.js';

/** The audit, its model and its metrics' suppression index (which groups the tables hide). */
export async function loadAuditContext(auditId) {
  const [audit, metrics] = await Promise.all([
    api(`/v1/audits/${auditId}`),
    api(`/v1/audits/${auditId}/metrics`),
  ]);
  const model = await optional(api(`/v1/models/${audit.modelId}`));
  return { audit, model, idx: new SuppressionIndex(metrics.slices) };
}

export function auditTitle(what, { audit, model }) {
  return `${what}: ${model ? `${model.name} ${model.version}` : 'Model'}, audit of ${formatDate(audit.createdAt)}`;
}

export function auditLinks(audit) {
  return h(
    'p',
    { class: 'actions' },
    h('a', { href: `#/audits/${audit.id}` }, 'Back to the audit'),
    h('a', { href: `#/audits/${audit.id}/calibration` }, 'Calibration'),
    h('a', { href: `#/audits/${audit.id}/thresholds` }, 'Thresholds'),
  );
}

export const SUPPRESSION_NOTE =
  'Figures that could give away 1 to 10 people read “suppressed” and are left out of the charts, as in the signed reports.';
