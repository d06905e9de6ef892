// Hash routes → views. Every view renders into <main>; signed-out users always get the sign-in page.
import { ApiError, api, errorBox } from './api.js';
import { renderPage, setStatus } from './dom.js';
import { renderSignIn, updateChrome } from './session.js';
import { state } from './state.js';
import { renderAudit } from './views/audit.js';
import { renderCalibration } from './views/calibration.js';
import { renderDrift } from './views/drift.js';
import { renderModels } from './views/models.js';
import { renderThresholds } from './views/thresholds.js';
import { renderVerify } from './views/verify.js';

export async function route() {
  if (!state.key) {
    renderSignIn();
    return;
  }
  if (!state.me) {
    try {
      state.me = await api('/v1/me');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        renderPage('Fairwatch', errorBox(e, 'your account') ?? '');
      }
      return;
    }
  }
  updateChrome();
  if (!state.notice) setStatus('');
  state.notice = null;
  const hash = location.hash.replace(/^#/, '') || '/models';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'audits' && parts[1] && parts[2] === 'calibration') return renderCalibration(parts[1]);
  if (parts[0] === 'audits' && parts[1] && parts[2] === 'thresholds') return renderThresholds(parts[1]);
  if (parts[0] === 'audits' && parts[1]) return renderAudit(parts[1]);
  if (parts[0] === 'models' && parts[1] && parts[2] === 'drift') return renderDrift(parts[1], params);
  if (parts[0] === 'verify') return renderVerify();
  if (parts[0] === 'signin') {
    history.replaceState(null, '', '#/models');
  }
  return renderModels();
}
