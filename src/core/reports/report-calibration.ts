/**
 * The report's calibration page (issue 18): the console's calibration view (score-quality-view.ts, with its
 * disclosure rules: docs/disclosure-control.md 13 and 16) for audits whose scores are probabilities.
 */
import type { CalibrationReport } from '../score-quality';
import { calibrationView } from './score-quality-view';
import type { CalibrationView, TableDisclosure } from './score-quality-view';

/** Null without calibration, or when the scores are not in [0, 1] or there are no labels. */
export function reportCalibration(
  report: CalibrationReport | null | undefined,
  table: TableDisclosure,
): CalibrationView | null {
  if (!report) return null;
  const flags = report.overall.metrics.flags;
  if (flags.includes('scores_outside_unit_interval') || flags.includes('no_scores_or_labels')) return null;
  return calibrationView(report, table);
}
