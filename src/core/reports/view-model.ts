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
import { SUPPRESSED_TEXT, formatSafeCount } from './format';
import { sliceTitle } from './labels';
import { buildMethodology } from './methodology';
import { reportCalibration } from './report-calibration';
import { reportThresholds } from './report-thresholds';
import { buildSliceView, tableColumns } from './slice-view';
import { SuppressionIndex } from './suppression-index';
import { reportCover } from './report-cover';
import { buildTaskReportViewModel } from './task-view-model';
import type { ReportInput, ReportViewModel } from './types';
import { isBinaryResult, type AuditMetrics } from '../tasks/types';

/** The report of an audit of any task: the binary task's sections, or ./task-view-model.ts's. */
export function buildReportViewModel(input: ReportInput<AuditMetrics>): ReportViewModel {
  const result = input.result;
  return isBinaryResult(result)
    ? buildBinaryReportViewModel({ ...input, result })
    : buildTaskReportViewModel({ ...input, result });
}

function buildBinaryReportViewModel(input: ReportInput): ReportViewModel {
  const band = input.result.conventions.fairnessBand;
  const idx = new SuppressionIndex(input.result.slices);
  const { slices } = idx;
  const columns = tableColumns(input.result);
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
  return {
    ...reportCover(
      input,
      idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.result.overall.count),
    ),
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
    drift: buildDrift(input, idx, band, input.result.conventions.favorableOutcome),
    compliance,
    methodology: buildMethodology(input, idx),
    suppressionApplied,
  };
}
