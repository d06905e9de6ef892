/**
 * The report's threshold page (issue 18): per slice, each group's figures at the audit's threshold and at a
 * few round ones, the equal-opportunity thresholds with what each costs, and the net benefit and alert
 * curves. Drawn with the report writer's own primitives (pdf-writer.ts).
 */
import type { ThresholdPage, ThresholdPageRow } from '../../../core/reports';
import { COLOR, type Column, type Part, type PdfWriter } from './pdf-writer';

const FIGURES = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
  'alerts_per_1000',
  'net_benefit',
] as const;

/** One row: the group's name and size on its first threshold only, the audit's threshold in bold. */
function rowCells(r: ThresholdPageRow, first: boolean): Part[][] {
  const bold = r.atAudit;
  return [
    [{ text: first ? r.label : '' }],
    [{ text: first ? r.count : '' }],
    [{ text: r.atAudit ? `${r.threshold} (audit)` : r.threshold, bold }],
    ...FIGURES.map((k): Part[] =>
      r.figures ? [{ text: r.figures[k], bold }] : [{ text: 'suppressed', color: COLOR.muted }],
    ),
  ];
}

export function drawThresholdPage(w: PdfWriter, page: ThresholdPage | null): void {
  if (!page) return;
  w.section('Thresholds by group');
  w.paragraph(
    `What would another threshold do? A patient is flagged when the score is at or above the threshold; the audit used ${page.auditThreshold} (bold rows). Net benefit = true positives/n − false positives/n × t/(1 − t) (Vickers and Elkin 2006): above 0, flagging at t does more good than flagging nobody. Equal opportunity: each group's highest threshold whose true positive rate (TPR) reaches the reference group's TPR at the audit's threshold. Figures that could give away 1 to 10 people, alone or by the difference between two thresholds, read "suppressed" and are left out of the curves.`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  // 50 points: "suppressed" at the table's size fits every figure column
  const figureColumns: Column[] = [
    { header: 'Selection rate', width: 50, align: 'right' },
    { header: 'TPR', width: 50, align: 'right' },
    { header: 'FPR', width: 50, align: 'right' },
    { header: 'PPV', width: 50, align: 'right' },
    { header: 'Alerts per 1,000', width: 50, align: 'right' },
    { header: 'Net benefit', width: 50, align: 'right' },
  ];
  const fixed = 50 + 58 + 6 * 50;
  for (const s of page.slices) {
    w.heading(`Slice: ${s.title}`, 2, 110);
    w.table(
      [
        { header: 'Group', width: w.width - fixed },
        { header: 'n', width: 50, align: 'right' },
        { header: 'Threshold', width: 58 },
        ...figureColumns,
      ],
      s.rows.map((r, i) => rowCells(r, i === 0 || s.rows[i - 1]?.label !== r.label)),
      { zebra: false, minRowsWithHeader: Math.min(page.thresholds.length, s.rows.length) },
    );
    w.paragraph(
      `Equal opportunity: the target TPR is ${s.target} (the reference group's at ${page.auditThreshold}).`,
      { size: 8.5, gap: 3 },
    );
    const note = w.width - (w.width - fixed + 50 + 58 + 4 * 50);
    w.table(
      [
        { header: 'Group', width: w.width - fixed },
        { header: 'n', width: 50, align: 'right' },
        { header: 'Threshold', width: 58, align: 'right' },
        { header: 'TPR', width: 50, align: 'right' },
        { header: 'Alerts per 1,000', width: 50, align: 'right' },
        { header: 'Net benefit', width: 50, align: 'right' },
        { header: 'Note', width: note },
      ],
      s.equalOpportunity.map((g) => [
        [{ text: g.label }],
        [{ text: g.count }],
        [{ text: g.threshold }],
        [{ text: g.true_positive_rate }],
        [{ text: g.alerts_per_1000 }],
        [{ text: g.net_benefit }],
        [{ text: g.note, size: 7.5 }],
      ]),
      { zebra: true, minRowsWithHeader: 2 },
    );
    for (const chart of [s.netBenefitChart, s.alertsChart]) {
      if (chart.series.some((x) => x.points.length > 0)) w.chart(chart);
      else
        w.paragraph(`${chart.title}: no threshold of this slice can be plotted (small-cell suppression).`, {
          size: 8.5,
          color: COLOR.muted,
        });
    }
  }
}
