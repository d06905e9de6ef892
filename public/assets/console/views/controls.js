// The audit page's controls: the verdict for the chosen frameworks, then each control with its rationale.
import {
  STATUS_LABELS,
  VERDICT_LABELS,
  controlRationale,
  overallVerdict,
} from '/assets/core/reports/browser.js';
import { badge, h, headRow, tableWrap } from '../dom.js';
import { chosenFrameworks, frameworkName, frameworkSelect } from '../frameworks.js';
import { state } from '../state.js';

export function controlsSection(controls, idx) {
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
