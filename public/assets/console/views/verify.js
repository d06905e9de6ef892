// Verify a report: the PDF goes to this server only, which says whether it issued it unaltered.
import { api, errorBox } from '../api.js';
import { h, highlightNav, renderPage } from '../dom.js';
import { nextRender } from '../state.js';

export function renderVerify() {
  nextRender();
  highlightNav('verify');
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'verify-file', accept: 'application/pdf,.pdf' });
  const check = async (file) => {
    if (!file) return;
    result.replaceChildren(h('div', { class: 'alert info' }, `Checking ${file.name}…`));
    try {
      const out = await api('/v1/reports/verify', {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': 'application/pdf' },
      });
      result.replaceChildren(
        out.valid
          ? h(
              'div',
              { class: 'alert ok', dataset: { valid: 'true' } },
              h('strong', {}, 'Valid. '),
              `This instance issued this report${out.reportId ? ` (ID ${out.reportId})` : ''}, and it has not been altered since it was signed.`,
            )
          : h(
              'div',
              { class: 'alert error', dataset: { valid: 'false' } },
              h('strong', {}, 'Not valid. '),
              'This PDF was not issued by this instance, or it was changed after it was signed.',
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
    h('p', {}, 'Drop a Fairwatch report (PDF) here, or'),
    h('label', { for: 'verify-file' }, 'choose a PDF file'),
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
