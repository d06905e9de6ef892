/**
 * The report's cover and its facts (model, organization, period, rows, drift) and the overall verdict from the
 * controls: the same for every task.
 */
import { formatDate, formatIsoDay } from './format';
import { DRIFT_LABELS, FINGERPRINT_PLACEHOLDER, VERDICT_LABELS, overallVerdict } from './labels';
import type { MethodologyItem, ReportInput, ReportViewModel } from './types';
import type { AuditMetrics } from '../tasks/types';
import { privacyStatement } from '../privacy/statement';

/** The cover and its facts, for any task: `analysed` is the count printed for the rows analysed. */
export function reportCover(
  input: ReportInput<AuditMetrics>,
  analysed: string,
): { meta: ReportViewModel['meta']; cover: ReportViewModel['cover'] } {
  const verdict = overallVerdict(input.controls);
  const fingerprint = input.report.fingerprint ?? FINGERPRINT_PLACEHOLDER;
  const period =
    input.audit.periodStart && input.audit.periodEnd
      ? `${formatDate(input.audit.periodStart)} to ${formatDate(input.audit.periodEnd)}`
      : input.audit.periodStart
        ? `from ${formatDate(input.audit.periodStart)}`
        : input.audit.periodEnd
          ? `until ${formatDate(input.audit.periodEnd)}`
          : 'not stated';
  const nFail = input.controls.filter((c) => c.status === 'fail').length;
  const nReview = input.controls.filter((c) => c.status === 'review').length;
  const nUndecided = input.controls.filter((c) => c.status === 'inconclusive').length;
  const verdictExplanation =
    verdict === 'fail'
      ? `${nFail} control${nFail === 1 ? '' : 's'} fail${nFail === 1 ? 's' : ''}${nReview > 0 ? ` and ${nReview} need${nReview === 1 ? 's' : ''} review` : ''}.`
      : verdict === 'review'
        ? `No control fails; ${nReview} need${nReview === 1 ? 's' : ''} human review.`
        : verdict === 'inconclusive'
          ? `No control fails or needs review, but the data cannot decide ${nUndecided} control${nUndecided === 1 ? '' : 's'}: each one's rationale says how many more people would decide it.`
          : 'Every applicable control passes.';
  const driftStatus = input.drift ? DRIFT_LABELS[input.drift.status] : 'not assessed';
  const facts: MethodologyItem[] = [
    { term: 'Model', text: `${input.model.name}, version ${input.model.version}` },
    ...(input.model.intendedUse ? [{ term: 'Intended use', text: input.model.intendedUse }] : []),
    ...(input.model.owner ? [{ term: 'Owner', text: input.model.owner }] : []),
    { term: 'Organization', text: input.organization.name },
    { term: 'Data period', text: period },
    { term: 'Rows analysed', text: analysed },
    { term: 'Drift since baseline', text: driftStatus },
    ...(input.audit.config.privacy
      ? [{ term: 'Differential privacy', text: privacyStatement(input.audit.config.privacy) }]
      : []),
  ];
  return {
    meta: {
      reportId: input.report.id,
      title: input.report.title,
      fingerprint,
      createdAt: input.report.createdAt,
      softwareVersion: input.softwareVersion,
      organization: input.organization.name,
    },
    cover: {
      title: input.report.title,
      modelName: input.model.name,
      modelVersion: input.model.version,
      organization: input.organization.name,
      period,
      date: formatDate(input.report.createdAt),
      auditLabel: `${input.audit.name ?? 'Audit'} (${formatIsoDay(input.audit.createdAt)})`,
      verdict,
      verdictLabel: VERDICT_LABELS[verdict],
      verdictExplanation,
      facts,
      reportId: input.report.id,
      fingerprint,
    },
  };
}
