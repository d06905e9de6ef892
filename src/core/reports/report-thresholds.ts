/**
 * The report's threshold page (issue 18): the console's threshold what-if (score-quality-view.ts, with its
 * disclosure rules: docs/disclosure-control.md 13 to 15) for audits whose scores are probabilities and that
 * have labels. The curves span the console's grid (0.01 to 0.99 and the audit's own threshold); the tables
 * print each group's figures at the audit's threshold and at a few round ones, and the equal-opportunity
 * thresholds with what each costs.
 */
import type { CalibrationReport, ThresholdReport } from '../score-quality';
import { nearestIndex, thresholdsView } from './score-quality-view';
import type {
  EqualOpportunityView,
  TableDisclosure,
  ThresholdFigures,
  ThresholdSliceView,
} from './score-quality-view';
import type { ChartModel } from './charts/model';

/** The round thresholds printed beside the audit's own. */
export const ROUND_THRESHOLDS: readonly number[] = [0.1, 0.2, 0.3, 0.5];

/** The console's slider grid: 0.01, 0.02, …, 0.99 and the audit's own threshold, ascending. */
export function thresholdGrid(auditThreshold: number): number[] {
  const grid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  if (!grid.includes(auditThreshold)) grid.push(auditThreshold);
  return grid.sort((a, b) => a - b);
}

/** One group at one of the printed thresholds; `figures` null where they are suppressed. */
export interface ThresholdPageRow {
  label: string;
  count: string;
  /** The threshold as printed; "all" on the one row of a group the tables hide. */
  threshold: string;
  /** The audit's own threshold (its figures are those of the audit's tables). */
  atAudit: boolean;
  figures: ThresholdFigures | null;
}

export interface ThresholdPageSlice {
  title: string;
  /** The TPR each equal-opportunity threshold aims at, as printed. */
  target: string;
  /** Per group (in the slice's order), per printed threshold (ascending); one row for a hidden group. */
  rows: ThresholdPageRow[];
  equalOpportunity: (EqualOpportunityView & { label: string; count: string })[];
  netBenefitChart: ChartModel;
  alertsChart: ChartModel;
}

export interface ThresholdPage {
  auditThreshold: string;
  /** The thresholds the tables print, ascending, as printed. */
  thresholds: string[];
  slices: ThresholdPageSlice[];
}

export type ThresholdPageInput = ThresholdReport & { auditThreshold: number };

function pageSlice(
  s: ThresholdSliceView,
  printed: number[],
  grid: number[],
  audit: number,
): ThresholdPageSlice {
  return {
    title: s.title,
    target: s.target,
    // A group the tables hide gets one row: "suppressed" at every threshold.
    rows: s.groups.flatMap((g) =>
      g.hidden
        ? [{ label: g.label, count: g.count, threshold: 'all', atAudit: false, figures: null }]
        : printed.map((t) => ({
            label: g.label,
            count: g.count,
            threshold: String(t),
            atAudit: t === audit,
            figures: g.points[grid.indexOf(t)] ?? null,
          })),
    ),
    equalOpportunity: s.groups.map((g) => ({ label: g.label, count: g.count, ...g.equalOpportunity })),
    netBenefitChart: s.netBenefitChart,
    alertsChart: s.alertsChart,
  };
}

/**
 * Null without the what-if, or when the scores are not in [0, 1] or there are no labels (told by the
 * calibration report's flags: the two pages come and go together).
 */
export function reportThresholds(
  report: ThresholdPageInput | null | undefined,
  calibration: CalibrationReport | null | undefined,
  table: TableDisclosure,
): ThresholdPage | null {
  if (!report || !calibration) return null;
  const flags = calibration.overall.metrics.flags;
  if (flags.includes('scores_outside_unit_interval') || flags.includes('no_scores_or_labels')) return null;
  const view = thresholdsView(report, table);
  const grid = view.thresholds;
  const audit = view.auditThreshold;
  // Printed thresholds: the grid's values nearest the round ones (they are on the grid) and the audit's own.
  const printed = [...new Set([...ROUND_THRESHOLDS.map((t) => grid[nearestIndex(grid, t)]!), audit])]
    .filter((t) => grid.includes(t))
    .sort((a, b) => a - b);
  return {
    auditThreshold: String(audit),
    thresholds: printed.map(String),
    slices: view.slices.map((s) => pageSlice(s, printed, grid, audit)),
  };
}
