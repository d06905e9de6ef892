// The public /v1 API as the console calls it: the key as a bearer token, problem+json errors as ApiError.
import { h, renderPage } from './dom.js';
import { isStale, state } from './state.js';

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

let onUnauthorized = () => {};

/** What to do when the server refuses the key (the session module signs out). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      body,
      headers: {
        Authorization: `Bearer ${state.key}`,
        Accept: 'application/json, application/problem+json',
        ...headers,
      },
    });
  } catch {
    throw new ApiError(
      0,
      'Server unreachable',
      'The Fairwatch server did not answer. Check the connection and try again.',
    );
  }
  if (res.status === 401) {
    onUnauthorized('Your key was not accepted (expired or revoked). Sign in with a valid key.', 'error');
    throw new ApiError(401, 'Unauthorized', 'Your key was not accepted (expired or revoked).');
  }
  if (!res.ok) {
    let problem = {};
    try {
      problem = await res.json();
    } catch {
      problem = {};
    }
    const detail =
      problem.detail ||
      (res.status >= 500 ? 'The server had a problem; try again in a moment.' : res.statusText);
    throw new ApiError(res.status, problem.title || `Error ${res.status}`, detail);
  }
  if (raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

/** Every item of a paginated list. */
export async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A value that may be missing on this instance (route not there, or the role may not read it). */
export async function optional(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof ApiError && e.status !== 401 && e.status !== 0 && e.status < 500) return null;
    throw e;
  }
}

export function errorBox(e, what) {
  if (e instanceof ApiError && e.status === 401) return null; // sign-in page already shown
  const detail = e instanceof ApiError ? e.detail : String(e?.message ?? e);
  const title =
    e instanceof ApiError && e.status === 0 ? 'The server is not reachable' : `Could not load ${what}`;
  return h('div', { class: 'alert error', role: 'alert' }, h('strong', {}, title), h('p', {}, detail));
}

export function showPageError(token, e, what) {
  if (isStale(token)) return;
  const box = errorBox(e, what);
  if (box)
    renderPage(`Could not load ${what}`, box, h('p', {}, h('a', { href: '#/models' }, 'Back to the models')));
}
