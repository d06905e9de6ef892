/**
 * The report's pages for regression and multiclass audits: the group tables (figures with intervals,
 * differences and ratios to the reference), the Obermeyer page (mean target by decile of prediction per group,
 * with its chart and sentences), and the per-class one-vs-rest tables. Drawn with the report writer's own
 * primitives (pdf-writer.ts), from the view model's already formatted and suppressed cells.
 */
import type {
  DecileView,
  GroupRow,
  MulticlassReportView,
  RegressionReportView,
  TaskReportView,
  TaskTable,
} from '../../../core/reports';
import { SMALL_COUNT_TEXT } from '../../../core/reports';
import { COLOR, type Cell, type Column, type PdfWriter } from './pdf-writer';

const GROUP_W = 92;
const N_W = 46; // "suppressed" at the table's size
const FLAGS_W = 58;

function figureCell(c: GroupRow['cells'][number]): Cell {
  if (c.suppressed) return [{ text: c.text, size: 6.5, color: COLOR.muted }];
  return c.interval
    ? [
        { text: c.value, size: 7.5 },
        { text: c.interval, size: 6, color: COLOR.muted },
      ]
    : [{ text: c.value, size: 7.5 }];
}

/** A group table: Group, n, the figures, Flags. */
function groupTable(w: PdfWriter, t: TaskTable, opts: { flags?: boolean } = {}): void {
  const flags = opts.flags ?? true;
  const rest = w.width - GROUP_W - N_W - (flags ? FLAGS_W : 0);
  const columns: Column[] = [
    { header: 'Group', width: GROUP_W },
    { header: 'n', width: N_W, align: 'right' },
    ...t.columns.map((h): Column => ({ header: h, width: rest / t.columns.length })),
    ...(flags ? [{ header: 'Flags', width: FLAGS_W }] : []),
  ];
  w.table(
    columns,
    t.rows.map((r): Cell[] => [
      [{ text: r.label, size: 7.5, bold: r.flags.includes('reference') }],
      [{ text: r.count, size: 7.5 }],
      ...r.cells.map(figureCell),
      ...(flags
        ? [
            [
              {
                text: r.flagLabels.join(', '),
                size: 6.5,
                color: r.flags.includes('outside_band') ? COLOR.fail : COLOR.muted,
              },
            ],
          ]
        : []),
    ]),
    { zebra: true, minRowsWithHeader: 2 },
  );
}

function tableTitle(w: PdfWriter, text: string): void {
  w.paragraph(text, { size: 8.5, bold: true, gap: 2 });
}

/** Groups as rows, deciles 1..10 as columns: mean target, its interval and n in each cell. */
function decileTable(w: PdfWriter, d: DecileView): void {
  const cellW = (w.width - GROUP_W) / 10;
  w.table(
    [
      { header: 'Group', width: GROUP_W },
      ...d.ranges.map((r, i): Column => ({ header: `${i + 1}: ${r}`, width: cellW, align: 'right' })),
    ],
    d.rows.map((r): Cell[] => [
      [{ text: r.label, size: 7, bold: r.reference || r.label === 'All' }],
      ...r.cells.map((c, i): Cell => {
        const n = r.counts[i] ?? '';
        // a hidden cell: one "suppressed", with "n ≤10" only when its own count is the small one
        if (c.suppressed)
          return [
            { text: c.text, size: 6, color: COLOR.muted },
            ...(n === SMALL_COUNT_TEXT ? [{ text: `n ${n}`, size: 5.5, color: COLOR.muted }] : []),
          ];
        return [
          { text: c.value, size: 7 },
          ...(c.interval ? [{ text: c.interval, size: 5.5, color: COLOR.muted }] : []),
          { text: `n ${n}`, size: 5.5, color: COLOR.muted },
        ];
      }),
    ]),
    { zebra: true, minRowsWithHeader: 2, headerSize: 6.5 },
  );
}

function regressionPages(w: PdfWriter, v: RegressionReportView): void {
  w.section('Results by group');
  w.paragraph(
    `Regression audit: the model predicts ${v.target}. For every group of an attribute (or combination of attributes): its size n, its mean ${v.target} and mean prediction, and the model's errors (mean error = prediction − ${v.target}, MAE, RMSE, R²) with 95% intervals; then the same figures as differences and ratios to the reference group. Flags: "reference" marks the comparison group; "small sample" a group below the minimum size; "outside band (MAE ratio)" an error ratio outside the fairness band.`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  for (const line of v.overall) w.paragraph(line, { size: 8.5, gap: 1 });
  w.doc.y += 4;
  for (const s of v.slices) {
    w.heading(`Slice: ${s.title}`, 2, 110);
    w.paragraph(`Reference group: ${s.referenceLabel}`, { size: 8.5, color: COLOR.muted, gap: 4 });
    tableTitle(w, s.metrics.title);
    groupTable(w, s.metrics);
    for (const l of s.summaryLines) w.paragraph(l, { size: 8, gap: 1 });
    w.doc.y += 3;
    tableTitle(w, s.differences.title);
    groupTable(w, s.differences, { flags: false });
    tableTitle(w, s.ratios.title);
    groupTable(w, s.ratios);
    for (const n of s.notes) w.paragraph(n, { size: 7.5, color: COLOR.muted, gap: 2 });
  }
  const withDeciles = v.slices.filter((s) => s.deciles !== null);
  if (withDeciles.length === 0) return;
  w.section(`Equal predictions, equal ${v.target}? Deciles of prediction`);
  w.paragraph(
    `If the model's predictions are used to allocate care, people with the same prediction should have the same ${v.target} whatever their group. Below, everyone is put in a decile of the prediction (cut over the whole sample), and each group's mean ${v.target} is compared decile by decile (Obermeyer et al., Science 2019).`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  for (const s of withDeciles) {
    const d = s.deciles;
    if (!d) continue;
    w.heading(`Slice: ${s.title}`, 2, 160);
    for (const sentence of d.verdicts) w.paragraph(`• ${sentence}`, { size: 8.5, indent: 4, gap: 2 });
    w.doc.y += 3;
    w.chart(d.chart);
    decileTable(w, d);
    for (const n of d.notes) w.paragraph(n, { size: 7.5, color: COLOR.muted, gap: 2 });
  }
}

function multiclassPages(w: PdfWriter, v: MulticlassReportView): void {
  w.section('Results by group');
  w.paragraph(
    `Multiclass audit over ${v.classes.length} classes (${v.classes.map((c) => `"${c}"`).join(', ')}). For every group: its accuracy with its ratio and difference to the reference group; then for each class, one-vs-rest, the share predicted that class (selection rate), TPR, FPR and PPV with 95% intervals, and the selection and TPR ratios to the reference. Flags: "reference" marks the comparison group; "outside band (accuracy ratio)" and the like a ratio outside the fairness band.`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  w.paragraph(`Whole sample: accuracy ${v.overallAccuracy}.`, { size: 8.5, gap: 3 });
  tableTitle(w, v.overall.title);
  groupTable(w, { ...v.overall, rows: v.overall.rows }, { flags: false });
  for (const s of v.slices) {
    w.heading(`Slice: ${s.title}`, 2, 110);
    w.paragraph(`Reference group: ${s.referenceLabel}`, { size: 8.5, color: COLOR.muted, gap: 4 });
    tableTitle(w, s.accuracy.title);
    groupTable(w, s.accuracy);
    for (const c of s.classes) {
      tableTitle(w, c.title);
      groupTable(w, c);
    }
    for (const l of s.summaryLines) w.paragraph(l, { size: 8, gap: 1 });
    w.doc.y += 3;
    for (const n of s.notes) w.paragraph(n, { size: 7.5, color: COLOR.muted, gap: 2 });
  }
}

export function drawTaskPages(w: PdfWriter, task: TaskReportView | undefined): void {
  if (!task) return;
  if (task.task === 'regression') regressionPages(w, task);
  else multiclassPages(w, task);
}
