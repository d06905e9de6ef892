/**
 * The report of a regression or multiclass audit: the binary report's cover, drift, compliance and provenance,
 * with the task's own section (./regression-view.ts, ./multiclass-view.ts), findings (./task-findings.ts) and
 * conventions (./task-methodology.ts). The binary pages that do not apply (group rates, calibration,
 * thresholds) are left out. Group sizes are suppressed by the binary rules through a count-only
 * SuppressionIndex, which the compliance and drift sections consult as they do for binary audits.
 */
import type { MulticlassResult, RegressionResult } from '../tasks/types';
import { buildCompliance } from './compliance-view';
import { buildDrift } from './drift-view';
import { SUPPRESSED_TEXT, formatSafeCount } from './format';
import { sliceTitle } from './labels';
import { buildProvenance } from './methodology';
import { buildMulticlassView } from './multiclass-view';
import { buildRegressionView } from './regression-view';
import { SuppressionIndex } from './suppression-index';
import { multiclassFindings, regressionFindings } from './task-findings';
import { multiclassConventions, regressionConventions, taskSuppressionStatement } from './task-methodology';
import { countOnlySlice } from './task-suppression';
import type { TaskReportView } from './task-types';
import type { DriftView, ReportInput, ReportViewModel } from './types';
import { reportCover } from './report-cover';

/** The outcome's name in sentences: the target column, as configured. */
export function targetName(input: Pick<ReportInput, 'audit'>): string {
  return input.audit.config.targetColumn ?? input.audit.columnsUsed.target ?? 'target';
}

/** Whether anything in the task's section is hidden (a "suppressed" or "≤10" anywhere in its tables). */
export function taskSuppressionApplied(view: TaskReportView): boolean {
  const hidden = (text: string): boolean => text === SUPPRESSED_TEXT || text === '≤10';
  const rows =
    view.task === 'regression'
      ? view.slices.flatMap((s) => [
          ...s.metrics.rows,
          ...(s.deciles?.rows ?? []).map((r) => ({ count: r.counts.find(hidden) ?? '', cells: r.cells })),
        ])
      : [
          ...view.overall.rows,
          ...view.slices.flatMap((s) => [...s.accuracy.rows, ...s.classes.flatMap((c) => c.rows)]),
        ];
  return rows.some((r) => hidden(r.count) || r.cells.some((c) => c.suppressed));
}

export function buildTaskReportViewModel(
  input: ReportInput<RegressionResult | MulticlassResult>,
): ReportViewModel {
  const r = input.result;
  const band = r.conventions.fairnessBand;
  const idx = new SuppressionIndex(r.slices.map(countOnlySlice));
  const compliance = buildCompliance(input, idx);
  const ctx = {
    band,
    alpha: input.alpha,
    noun: input.subjectNoun ?? 'patients',
    controls: input.controls,
    idx,
  };
  const minGroupSize = input.audit.config.minGroupSize;
  let task: TaskReportView;
  let findings;
  let conventions;
  if (r.task === 'regression') {
    const target = targetName(input);
    task = buildRegressionView(r, { band, minGroupSize, target }, idx.totalSuppressed);
    findings = regressionFindings(r, target, ctx);
    conventions = regressionConventions({ ...input, result: r }, target);
  } else {
    task = buildMulticlassView(r, { band, minGroupSize }, idx.totalSuppressed);
    findings = multiclassFindings(r, ctx);
    conventions = multiclassConventions({ ...input, result: r });
  }
  const applied = idx.applied || taskSuppressionApplied(task);
  const analysed = idx.totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(r.overall.count);
  const overview = [
    compliance.overview,
    `${r.task === 'regression' ? 'Regression' : 'Multiclass'} audit: ${r.slices.length} slice${r.slices.length === 1 ? '' : 's'} analysed (${r.slices.map((s) => sliceTitle(s.attributes)).join('; ')}), on ${idx.totalSuppressed ? 'a suppressed number of' : analysed} rows.`,
    !applied
      ? 'No small-cell suppression was needed: every count shown is 0 or above 10.'
      : idx.smallGroupPresent
        ? 'Small-cell suppression was applied: some groups have 1 to 10 people, so their counts are shown as "≤10" and figures that could reveal them are not printed.'
        : 'Small-cell suppression was applied: no group has 1 to 10 people, but some figures rest on 1 to 10 people (a decile of a group, or a class), so those figures, and figures that could reveal them, are not printed.',
  ];
  return {
    ...reportCover(input, analysed),
    executiveSummary: { findings, overview },
    slices: [],
    task,
    calibration: null,
    thresholds: null,
    drift: taskDrift(input, idx, band),
    compliance,
    methodology: {
      conventions,
      provenance: buildProvenance(input, idx.totalSuppressed, r.overall.count),
      suppressionStatement: taskSuppressionStatement(r.task),
    },
    suppressionApplied: applied,
  };
}

/** Why a regression or multiclass report has no trend charts, in its drift section. */
export const TASK_TREND_NOTE =
  "Trend charts across audits (selection rate, impact ratio) are drawn for binary audits only; the history of this audit's own measures per group (such as mean_absolute_error or accuracy) is in the console and in the model's timeline (GET /v1/models/{id}/timeline).";

/**
 * The drift section of a regression or multiclass report: the drift checks, without the trend charts. Those
 * chart the binary selection rate and impact ratio, which these audits do not have: they were empty, and said
 * every group was "not shown (small-cell suppression)".
 */
function taskDrift(
  input: Pick<ReportInput, 'drift' | 'audit'>,
  idx: SuppressionIndex,
  band: [number, number],
): DriftView {
  const drift = buildDrift({ ...input, timeline: [] }, idx, band, input.audit.config.favorableOutcome);
  const notes = drift.notes.filter((n) => !n.startsWith('No earlier audits of this model'));
  return { ...drift, notes: [...notes, TASK_TREND_NOTE] };
}
