// Signing in and out. The API key lives in sessionStorage only (cleared on sign-out and when the tab closes),
// never localStorage.
import { ApiError, api, errorBox } from './api.js';
import { h, highlightNav, renderPage, setStatus } from './dom.js';
import { KEY_STORE, state } from './state.js';

let rerender = () => {};

/** The router, called after signing in or out (set once by app.js; the router imports this module). */
export function setRerender(fn) {
  rerender = fn;
}

export function signOut(message, kind = 'info') {
  sessionStorage.removeItem(KEY_STORE);
  state.key = null;
  state.me = null;
  state.frameworks = null;
  state.policy = undefined;
  state.notice = message ? { message, kind } : null;
  if (location.hash && location.hash !== '#/signin') history.replaceState(null, '', '#/signin');
  rerender();
}

export function updateChrome() {
  const signedIn = Boolean(state.key && state.me);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (signedIn) {
    document.getElementById('who-text').textContent =
      `Signed in as ${state.me.role.replace('_', ' ')} (key ${state.me.keyPrefix.replace(/…+$/, '')}…)`;
  }
}

export function renderSignIn() {
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
      else rerender();
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
