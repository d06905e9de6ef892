// The audit page's report actions: create a signed report (admins and compliance officers), download its PDF.
import { formatCount, formatDate } from '/assets/core/reports/browser.js';
import { api, errorBox } from '../api.js';
import { h } from '../dom.js';
import { state } from '../state.js';

const REPORT_ROLES = new Set(['admin', 'compliance_officer']);

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

export function reportActions(audit, reports, hasScores = false) {
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
      // Calibration and the threshold what-if need scores and labels.
      hasScores ? h('a', { href: `#/audits/${audit.id}/calibration` }, 'Calibration') : '',
      hasScores ? h('a', { href: `#/audits/${audit.id}/thresholds` }, 'Thresholds') : '',
      h('a', { href: '#/verify' }, 'Verify a report'),
    ),
    statusEl,
  );
}
