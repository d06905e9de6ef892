// Fairwatch compliance console: a small single-page app over the public /v1 API (no framework, no bundler).
// Native ES modules: console/ holds the shell (state, API, DOM helpers, session, router) and console/views/
// one module per page (docs/console.md maps them). Tables, drift checks, trend charts and rationales come from
// core's report code (the PDF's), compiled for the browser by `npm run build:console` and served at
// /assets/core/: the page suppresses small cells exactly as the report does.
import { setUnauthorizedHandler } from './console/api.js';
import { route } from './console/router.js';
import { setRerender, signOut } from './console/session.js';

setRerender(() => void route());
setUnauthorizedHandler(signOut);
document
  .getElementById('sign-out')
  .addEventListener('click', () => signOut('You are signed out. Your key was removed from this tab.'));
window.addEventListener('hashchange', () => void route());
void route();
