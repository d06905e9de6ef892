/**
 * buildReportViewModel: everything the PDF prints, formatted and small-cell suppressed. Pure, and browser-safe:
 * the console builds its tables, trend charts, drift checks and control rationales with the same functions
 * (exported for it by ./browser.ts), so the page and the PDF cannot disagree. This file assembles the cover and
 * the overview; each section is built by its own file:
 * - ./suppression-index.ts: what is hidden and why, for every slice;
 * - ./findings.ts: the executive summary's findings;
 * - ./slice-view.ts: one slice's table, summary, notes and chart;
 * - ./drift-view.ts and ./trend-view.ts: drift checks and trend charts;
 * - ./compliance-view.ts: controls by framework with their evidence and rationale;
 * - ./methodology.ts: the methodology appendix (prose);
 * - ./labels.ts: the words (framework, status and verdict names).
 */
import { buildCompliance } from './compliance-view';
import { buildDrift } from './drift-view';
import { buildFindings } from './findings';
import { SUPPRESSED_TEXT, formatDate, formatIsoDay, formatSafeCount } from './format';
import { DRIFT_LABELS, FINGERPRINT_PLACEHOLDER, VERDICT_LABELS, overallVerdict, sliceTitle } from './labels';
import { privacyStatement } from '../privacy/statement';
import { buildMethodology } from './methodology';
import { reportCalibration } from './report-calibration';
import { reportThresholds } from './report-thresholds';
import { buildSliceView, tableColumns } from './slice-view';
import { SuppressionIndex } from './suppression-index';
import type { MethodologyItem, ReportInput, ReportViewModel } from './types';

export function buildReportViewModel(input: ReportInput): ReportViewModel {
  const band = input.result.conventions.fairnessBand;
  const idx = new SuppressionIndex(input.result.slices);
  const { slices } = idx;
  const columns = tableColumns(input.result);
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
  const compliance = buildCompliance(input, idx);
  const suppressionApplied = idx.applied;
  const overview = [compliance.overview];
  overview.push(
    `${input.result.slices.length} slice${input.result.slices.length === 1 ? '' : 's'} analysed (${input.result.slices.map((s) => sliceTitle(s.attributes)).join('; ')}), on ${idx.totalSuppressed ? 'a suppressed number of' : formatSafeCount(input.result.overall.count)} rows.`,
  );
  overview.push(
    !suppressionApplied
      ? 'No small-cell suppression was needed: every count shown is 0 or above 10.'
      : idx.smallGroupPresent
        ? 'Small-cell suppression was applied: some groups have 1 to 10 people, so their counts are shown as "≤10" and figures that could reveal them are not printed.'
        : 'Small-cell suppression was applied: no group has 1 to 10 people, but some rates rest on 1 to 10 people (for example those predicted positive), so those rates, and figures that could reveal them, are not printed.',
  );
  const driftStatus = input.drift ? DRIFT_LABELS[input.drift.status] : 'not assessed';
  const facts: MethodologyItem[] = [
    { term: 'Model', text: `${input.model.name}, version ${input.model.version}` },
    ...(input.model.intendedUse ? [{ term: 'Intended use', text: input.model.intendedUse }] : []),
    ...(input.model.owner ? [{ term: 'Owner', text: input.model.owner }] : []),
    { term: 'Organization', text: input.organization.name },
    { term: 'Data period', text: period },
    {
      term: 'Rows analysed',
      text: idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.result.overall.count),
    },
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
    executiveSummary: { findings: buildFindings(input, idx, band), overview },
    slices: slices.map((s) =>
      buildSliceView(
        s,
        columns,
        band,
        input.audit.config.minGroupSize,
        input.result.conventions.favorableOutcome,
        input.result.conventions.evidence,
        {
          confidenceLevel: input.result.conventions.confidenceLevel,
          ratio: input.result.conventions.intervals.ratio,
        },
      ),
    ),
    calibration: reportCalibration(input.calibration, idx),
    thresholds: reportThresholds(input.thresholds, input.calibration, idx),
    drift: buildDrift(input, idx, band),
    compliance,
    methodology: buildMethodology(input, idx),
    suppressionApplied,
  };
}
