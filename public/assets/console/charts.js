// Charts: core's chart models (the PDF's own), converted to Vega-Lite by core's toVegaLite and drawn with
// vega-embed (loaded as classic scripts).
import { toVegaLite } from '/assets/core/reports/browser.js';
import { h } from './dom.js';

export function embedChart(container, chart, label) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', `${label} ${chart.description}`);
  container.__chart = chart;
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
    .vegaEmbed(container, toVegaLite(chart), { actions: false, renderer: 'svg', ast: true })
    .then(() => container.setAttribute('data-rendered', 'true'))
    .catch((err) =>
      container.replaceChildren(h('p', { class: 'notes' }, `Chart could not be drawn: ${err.message}`)),
    );
}
