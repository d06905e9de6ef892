// The compliance frameworks and the organization policy: which frameworks a verdict is about.
import { api, optional } from './api.js';
import { h } from './dom.js';
import { state } from './state.js';

export async function loadFrameworks() {
  if (!state.frameworks) state.frameworks = (await optional(api('/v1/frameworks'))) ?? [];
  if (state.policy === undefined) state.policy = await optional(api('/v1/policy'));
  return state.frameworks;
}

export function frameworkName(id) {
  return state.frameworks?.find((f) => f.id === id)?.name ?? id;
}

/** The frameworks the verdict is about: the chosen one, else the policy's, else all. */
export function chosenFrameworks() {
  if (state.framework) return [state.framework];
  if (state.policy?.frameworks?.length) return state.policy.frameworks;
  return (state.frameworks ?? []).map((f) => f.id);
}

export function frameworkSelect(id, onChange) {
  const policyText = state.policy?.frameworks?.length ? "The policy's frameworks" : 'All frameworks';
  const select = h(
    'select',
    { id, onchange: (e) => onChange(e.target.value) },
    h('option', { value: '' }, policyText),
    (state.frameworks ?? []).map((f) =>
      h('option', { value: f.id, selected: f.id === state.framework }, f.name),
    ),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, 'Framework'), select);
}
