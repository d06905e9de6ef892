import type { DriftCheck, DriftReport } from '../../drift/types';
import { isDocumented, type Documentation } from '../documentation';
import {
  cadenceDays,
  daysBetween,
  groupLabel,
  listLabel,
  metricName,
  percent,
  pointLimit,
  points,
} from '../format';
import type { ComplianceThresholds, CompliancePolicy } from '../policy';
import type { AuditRecord, RuleVerdict } from '../rule-spec';
import type { ControlEvidence } from '../types';
import { verdict, verdictFromFindings, type Finding } from './verdict';

const SHA256 = /^[0-9a-f]{64}$/i;
const validDate = (s: string | null | undefined): s is string =>
  typeof s === 'string' && !Number.isNaN(Date.parse(s));
const day = (iso: string): string => iso.slice(0, 10);

type DriftThresholds = Pick<ComplianceThresholds, 'psiReview' | 'psiFail' | 'gapMax' | 'alpha'>;

function driftCheckFinding(c: DriftCheck, t: DriftThresholds): Finding {
  const where = c.key ? ` for the group ${groupLabel(c.key)}` : '';
  const p = c.pValueAdjusted ?? c.pValue ?? null;
  const evidence: ControlEvidence = {
    metric: `drift.${c.kind}.${c.statistic}${c.metric ? `.${c.metric}` : ''}`,
    ...(c.attributes ? { attributes: c.attributes } : {}),
    ...(c.key ? { group: c.key } : {}),
    value: c.value,
    pValue: p,
  };
  const isPsi = c.statistic === 'psi' || c.statistic === 'psi_equal_width';
  if (isPsi && c.value !== null) {
    const status = c.value >= t.psiFail ? 'fail' : c.value >= t.psiReview ? 'review' : 'pass';
    const limit = status === 'fail' ? t.psiFail : t.psiReview;
    return {
      status,
      evidence: { ...evidence, threshold: limit },
      order: -c.value,
      sentence: `The ${c.kind} distribution${where} has shifted since the earlier audit (PSI ${c.value.toFixed(2)}, at or above the ${limit} limit).`,
    };
  }
  const baseline = c.baseline ?? null;
  const current = c.current ?? null;
  if (c.statistic === 'z_test' && baseline !== null && current !== null) {
    const change = Math.abs(current - baseline);
    const significant = p !== null && p < t.alpha;
    const status = change > 2 * t.gapMax && significant ? 'fail' : change > t.gapMax ? 'review' : 'pass';
    const limit = status === 'fail' ? 2 * t.gapMax : t.gapMax;
    const what = c.metric ? metricName(c.metric) : 'share of the data';
    return {
      status,
      evidence: { ...evidence, threshold: limit },
      order: -change,
      sentence: `The ${what}${where} moved from ${percent(baseline)} to ${percent(current)} since the earlier audit, a change of ${points(change)}, more than the ${pointLimit(limit)}${status === 'fail' ? ', and the change is statistically significant' : ''}.`,
    };
  }
  const status = c.status === 'alert' ? 'fail' : c.status === 'warning' ? 'review' : 'pass';
  return { status, evidence, sentence: c.message };
}

/** MEASURE 2.4: drift checks against the policy's PSI bands and rate-change limits. */
export function evaluateDrift(drift: DriftReport | null, t: DriftThresholds): RuleVerdict {
  if (drift === null) {
    return verdict('review', 'There is no earlier audit to compare with, so drift cannot be checked yet.');
  }
  const findings = drift.checks.map((c) => driftCheckFinding(c, t));
  if (findings.length === 0 && drift.status !== 'ok') {
    return verdict(
      drift.status === 'alert' ? 'fail' : 'review',
      `The drift report's overall status is ${drift.status}.`,
    );
  }
  return verdictFromFindings(
    findings,
    'Compared with the earlier audit, no shift in inputs, scores, performance or fairness goes beyond the policy limits.',
  );
}

/** MANAGE 4.1: a documented plan and cadence, and the latest audit within that cadence. */
export function evaluateMonitoring(
  doc: Documentation,
  audit: Pick<AuditRecord, 'createdAt' | 'lastAuditAt'>,
  now: string,
): RuleVerdict {
  const missing = (['monitoringPlan', 'monitoringCadence'] as const).filter((f) => !isDocumented(doc, f));
  const evidence: ControlEvidence[] = [
    {
      metric: 'documentation.monitoringPlan',
      value: isDocumented(doc, 'monitoringPlan') ? 'present' : 'missing',
    },
    { metric: 'documentation.monitoringCadence', value: doc.monitoringCadence ?? 'missing' },
  ];
  if (missing.length > 0) {
    return verdict(
      'fail',
      `The monitoring plan is incomplete: ${listLabel(missing)} ${missing.length > 1 ? 'are' : 'is'} not documented.`,
      evidence,
    );
  }
  const cadenceText = doc.monitoringCadence ?? '';
  const cadence = cadenceDays(cadenceText);
  if (cadence === null) {
    return verdict(
      'review',
      `The monitoring cadence "${cadenceText}" cannot be read as a period, so a person should check it.`,
      evidence,
    );
  }
  const age = daysBetween(audit.createdAt, now);
  evidence.push({
    metric: 'audit.ageDays',
    value: age === null ? null : Math.floor(age),
    threshold: cadence,
  });
  if (age === null || age > cadence) {
    return verdict(
      'fail',
      `The latest audit is older than the stated "${cadenceText}" cadence, so monitoring is overdue.`,
      evidence,
    );
  }
  const interval = audit.lastAuditAt ? daysBetween(audit.lastAuditAt, audit.createdAt) : null;
  if (interval !== null && interval > cadence) {
    evidence.push({ metric: 'audit.intervalDays', value: Math.floor(interval), threshold: cadence });
    return verdict(
      'review',
      `The gap between the last two audits was longer than the stated "${cadenceText}" cadence, so a person should review why.`,
      evidence,
    );
  }
  return verdict(
    'pass',
    `A monitoring plan is documented and the latest audit is within its "${cadenceText}" cadence.`,
    evidence,
  );
}

/** 6 RCNY 5-301(a): the audit is at most maxAgeDays old. */
export function evaluateAuditAge(
  audit: Pick<AuditRecord, 'createdAt'>,
  now: string,
  maxAgeDays: number,
): RuleVerdict {
  const age = daysBetween(audit.createdAt, now);
  const evidence = [
    { metric: 'audit.ageDays', value: age === null ? null : Math.floor(age), threshold: maxAgeDays },
  ];
  if (age === null)
    return verdict('fail', 'The audit has no valid date, so its age cannot be shown.', evidence);
  if (age > maxAgeDays) {
    return verdict(
      'fail',
      `The audit is ${Math.floor(age)} days old, more than the ${maxAgeDays} days allowed.`,
      evidence,
    );
  }
  return verdict(
    'pass',
    `The audit is ${Math.floor(age)} days old, within the ${maxAgeDays} days allowed.`,
    evidence,
  );
}

/** E-LOG: what a reader needs to reproduce the run (hash, size, time, policy, and the data period if required). */
export function evaluateRecordKeeping(
  audit: AuditRecord,
  policy: Pick<CompliancePolicy, 'version'>,
  requirePeriod: boolean,
): RuleVerdict {
  const periodOk =
    validDate(audit.periodStart) &&
    validDate(audit.periodEnd) &&
    Date.parse(audit.periodStart) <= Date.parse(audit.periodEnd);
  const items: [string, boolean, string | number | null][] = [
    ["the input data's SHA-256 hash", SHA256.test(audit.dataSha256), audit.dataSha256],
    ['the row count', Number.isInteger(audit.rowCount) && audit.rowCount > 0, audit.rowCount],
    ['the run time', validDate(audit.createdAt), audit.createdAt],
    ['the policy version', Number.isInteger(policy.version), policy.version],
  ];
  if (requirePeriod)
    items.push([
      'the period the data cover',
      periodOk,
      periodOk ? `${audit.periodStart}/${audit.periodEnd}` : null,
    ]);
  const evidence = items.map(([label, ok, value]) => ({
    metric: `log.${label}`,
    value: ok ? value : 'missing',
  }));
  const missing = items.filter(([, ok]) => !ok).map(([label]) => label);
  if (missing.length > 0) return verdict('fail', `The run record lacks ${listLabel(missing)}.`, evidence);
  return verdict(
    'pass',
    `The run record holds the data's SHA-256 hash, its size, the run time and the policy version${requirePeriod ? ', and the period the data cover' : ''}.`,
    evidence,
  );
}

/** EU AI Act Art. 9(8): thresholds fixed before the test ran. */
export function evaluatePredefinedThresholds(
  policy: Pick<CompliancePolicy, 'version' | 'adoptedAt'>,
  audit: Pick<AuditRecord, 'createdAt'>,
): RuleVerdict {
  const evidence = [
    { metric: 'policy.adoptedAt', value: policy.adoptedAt ?? null },
    { metric: 'audit.createdAt', value: audit.createdAt },
  ];
  if (!validDate(policy.adoptedAt)) {
    return verdict(
      'fail',
      `Policy version ${policy.version} has no adoption date, so it cannot be shown that its thresholds were fixed before testing.`,
      evidence,
    );
  }
  if (!validDate(audit.createdAt) || Date.parse(policy.adoptedAt) > Date.parse(audit.createdAt)) {
    return verdict(
      'fail',
      `The thresholds of policy version ${policy.version} were set after the audit ran, not fixed in advance.`,
      evidence,
    );
  }
  return verdict(
    'pass',
    `The thresholds of policy version ${policy.version} were fixed on ${day(policy.adoptedAt)}, before the audit ran on ${day(audit.createdAt)}.`,
    evidence,
  );
}
