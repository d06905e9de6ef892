// DOM helpers shared by every view. Nothing here parses HTML: API strings always end up as plain text.

/** h('td', {class: 'num'}, 'text', child): never parses HTML, so API strings are always plain text. */
export function h(tag, attrs = {}, ...children) {
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

export const main = () => document.getElementById('main');

export function badge(kind, text) {
  return h('span', { class: `badge ${kind}` }, text);
}

export function setStatus(message, kind = 'info') {
  const status = document.getElementById('status');
  status.replaceChildren(message ? h('div', { class: `alert ${kind}` }, message) : '');
}

export function renderPage(title, ...content) {
  document.title = `${title} · Fairwatch`;
  const heading = h('h1', { tabindex: '-1' }, title);
  main().replaceChildren(heading, ...content);
  heading.focus();
  return heading;
}

/** A header row of column headings. */
export function headRow(headings) {
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

export function tableWrap(label, table) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

export function highlightNav(name) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
