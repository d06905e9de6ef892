// The console's session state (one tab): the key, who it belongs to, the frameworks and policy once loaded,
// and a render token so a slow page load never paints over the page the user moved on to.

export const KEY_STORE = 'fairwatch.apiKey';

export const state = {
  key: sessionStorage.getItem(KEY_STORE),
  me: null,
  frameworks: null,
  policy: undefined,
  /** '' = the policy's frameworks; else one framework id. */
  framework: '',
  notice: null,
};

let renderToken = 0;

/** Starts a new page render; the returned token is current until the next call. */
export function nextRender() {
  return ++renderToken;
}

/** Whether a render started with `token` was overtaken by a newer one. */
export function isStale(token) {
  return token !== renderToken;
}
