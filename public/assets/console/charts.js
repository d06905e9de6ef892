// Charts: vega-lite specs (built by core, the PDF's own) drawn with vega-embed, loaded as classic scripts.
import { h } from './dom.js';

export function embedChart(container, spec, label) {
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
