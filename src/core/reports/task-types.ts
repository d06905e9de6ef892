/**
 * What the report prints for regression and multiclass audits (the binary task's sections are in ./types.ts):
 * formatted and small-cell suppressed, like the rest of the view model. The console renders the same shapes.
 */
import type { ChartModel } from './charts/model';
import type { GroupRow, TableCell } from './types';

/** A group table: rows as the binary task's (label, n, cells, flags), under its own column headers. */
export interface TaskTable {
  title: string;
  /** Headers of `rows[].cells`, in order (the group and n columns come first and are not listed). */
  columns: string[];
  rows: GroupRow[];
}

/** One group's row of the decile table: per decile its mean target (with interval) and its n. */
export interface DecileRow {
  label: string;
  /** Per decile 1..10: the mean target cell, "suppressed" or "—". */
  cells: TableCell[];
  /** Per decile 1..10: "123", "0", "≤10" or "suppressed". */
  counts: string[];
  reference: boolean;
}

/** The Obermeyer check of a slice: mean target by decile of prediction, per group. */
export interface DecileView {
  title: string;
  /** "≤ 1,200", "1,200–2,300", …, "> 9,800": the prediction range of each decile (whole-sample cut points). */
  ranges: string[];
  rows: DecileRow[];
  chart: ChartModel | null;
  /** Per group compared with the reference: whether equal predictions meant an equal mean target. */
  verdicts: string[];
  notes: string[];
}

export interface RegressionSliceView {
  title: string;
  attributes: string[];
  referenceLabel: string;
  /** Per group: mean target, mean prediction, mean error, MAE, RMSE, R², with intervals. */
  metrics: TaskTable;
  /** Per group: the differences to the reference, with intervals. */
  differences: TaskTable;
  /** Per group: the ratios to the reference, with intervals. */
  ratios: TaskTable;
  summaryLines: string[];
  deciles: DecileView | null;
  notes: string[];
}

export interface RegressionReportView {
  task: 'regression';
  /** The outcome's name in sentences ("cost"): the target column. */
  target: string;
  /** The whole sample's figures, as "label: value (interval)" lines. */
  overall: string[];
  slices: RegressionSliceView[];
}

export interface MulticlassSliceView {
  title: string;
  attributes: string[];
  referenceLabel: string;
  /** Per group: accuracy, its ratio and difference to the reference. */
  accuracy: TaskTable;
  /** Per class: each group's one-vs-rest selection rate, TPR, FPR, PPV and TPR ratio to the reference. */
  classes: (TaskTable & { className: string })[];
  summaryLines: string[];
  notes: string[];
}

export interface MulticlassReportView {
  task: 'multiclass';
  classes: string[];
  /** The whole sample's accuracy, e.g. "0.81 (0.80–0.82)", or "suppressed". */
  overallAccuracy: string;
  /** The whole sample per class (rows): n with the class, one-vs-rest selection rate, TPR, FPR, PPV. */
  overall: TaskTable;
  slices: MulticlassSliceView[];
}

export type TaskReportView = RegressionReportView | MulticlassReportView;
