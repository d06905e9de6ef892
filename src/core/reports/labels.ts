/**
 * The words of the report: names of frameworks, statuses, verdicts, slices and the people of a group. Pure and
 * browser-safe (the console uses the labels through ./browser.ts).
 */
import type { ControlOutcome, ControlStatus, FrameworkId } from '../compliance/types';
import type { DriftStatus } from '../drift/types';
import type { SliceResult } from '../fairness/types';
import { groupLabel } from './format';
import type { Verdict } from './types';

export const FINGERPRINT_PLACEHOLDER = 'pending (computed when the report is stored)';

export const FRAMEWORK_NAMES: Record<FrameworkId, string> = {
  'nist-ai-rmf': 'NIST AI Risk Management Framework 1.0',
  'eu-ai-act': 'EU AI Act, Regulation (EU) 2024/1689',
  'hhs-1557': 'HHS Section 1557, 45 CFR 92',
  'onc-hti-1': 'ONC HTI-1, 45 CFR 170',
  'iso-42001': 'ISO/IEC 42001:2023',
  'nyc-ll144': 'NYC Local Law 144',
  'eeoc-ugesp': 'EEOC Uniform Guidelines, 29 CFR 1607',
  hipaa: 'HIPAA and the CMS cell-size rule',
};

export const STATUS_LABELS: Record<ControlStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  review: 'Needs review',
  inconclusive: 'Inconclusive',
  not_applicable: 'Not applicable',
};

export const DRIFT_LABELS: Record<DriftStatus, string> = { ok: 'OK', warning: 'Warning', alert: 'Alert' };

export const VERDICT_LABELS = {
  pass: 'Passes',
  fail: 'Fails',
  review: 'Needs review',
  inconclusive: 'Inconclusive',
} as const;

/** Overall verdict: "Fails" if any control fails, "Needs review" if any needs review, else "Passes". */
export function overallVerdict(controls: readonly Pick<ControlOutcome, 'status'>[]): Verdict {
  if (controls.some((c) => c.status === 'fail')) return 'fail';
  if (controls.some((c) => c.status === 'review')) return 'review';
  // Undecided is not passed: a control the data cannot decide keeps the audit from passing.
  if (controls.some((c) => c.status === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

export function sliceTitle(attributes: readonly string[]): string {
  return attributes.join(' × ');
}

export function referencesWholeSlice(slice: Pick<SliceResult, 'reference'>): boolean {
  const vals = Object.values(slice.reference);
  return vals.length > 0 && vals.every((v) => v === 'overall');
}

export function referenceLabel(slice: Pick<SliceResult, 'reference' | 'attributes'>): string {
  return referencesWholeSlice(slice)
    ? 'the whole slice (overall)'
    : groupLabel(slice.reference, slice.attributes);
}

/**
 * The people of a group, for a sentence: "Black patients", but "patients in the age_cat group "Less than 25""
 * when the group's name holds a number (age bands, scores), which would otherwise read as a count.
 */
export function peopleOf(label: string, attributes: readonly string[], noun: string): string {
  return /\d/.test(label) ? `${noun} in the ${sliceTitle(attributes)} group "${label}"` : `${label} ${noun}`;
}
