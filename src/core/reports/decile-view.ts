/**
 * The Obermeyer check of a regression slice (Obermeyer et al., "Dissecting racial bias in an algorithm used to
 * manage the health of populations", Science 2019): people are put in deciles of the prediction (cut points of
 * the whole sample), and each group's mean target is compared decile by decile. If at the same prediction one
 * group's mean target is higher, the model's equal predictions do not mean an equal outcome for the two groups.
 * Cells of 1 to 10 people and their partners are hidden (./task-suppression.ts).
 */
import type { PredictionDecile, RegressionResult } from '../tasks/types';
import { decileChart, type DecilePoint } from './charts/decile-chart';
import { formatCount, groupLabel, isSmallCount } from './format';
import { peopleOf } from './labels';
import type { SuppressedRegressionSlice } from './regression-view';
import { SUPPRESSED_CELL, UNDEFINED_CELL, cellCountText, formatMeasure, measureCell } from './task-format';
import { complementCells, type CellReason } from './task-suppression';
import type { DecileRow, DecileView } from './task-types';

const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** The prediction range of each decile, from the nine upper cut points of deciles 1..9. */
export function decileRanges(cuts: readonly number[] | undefined, digits: number): string[] {
  if (!cuts || cuts.length !== 9) return DECILES.map((d) => `decile ${d}`);
  return DECILES.map((d) => {
    const lo = cuts[d - 2];
    const hi = cuts[d - 1];
    if (d === 1) return `≤ ${formatMeasure(hi, digits)}`;
    if (d === 10) return `> ${formatMeasure(lo, digits)}`;
    return `${formatMeasure(lo, digits)}–${formatMeasure(hi, digits)}`;
  });
}

/** The whole sample's deciles, with the same rules: a decile of 1 to 10 people, and a partner along the total. */
function overallReasons(deciles: readonly PredictionDecile[]): (CellReason | null)[] {
  const hidden = deciles.map((d) => isSmallCount(d.count));
  const reasons: (CellReason | null)[] = hidden.map((h) => (h ? 'small' : null));
  const { partners } = complementCells(
    deciles.map((d) => d.count),
    [deciles.map((_, i) => i)],
    hidden,
  );
  for (const p of partners) reasons[p] = 'complementary';
  return reasons;
}

interface Compared {
  compared: number;
  higher: number;
  lower: number;
}

/** Deciles where both rows are shown with an interval, and in how many the group's interval lies above or below. */
function compareRows(
  group: readonly (PredictionDecile | null)[],
  ref: readonly (PredictionDecile | null)[],
): Compared {
  const out: Compared = { compared: 0, higher: 0, lower: 0 };
  DECILES.forEach((_, i) => {
    const a = group[i]?.meanTarget;
    const b = ref[i]?.meanTarget;
    const num = (v: number | null | undefined): v is number => typeof v === 'number';
    if (!a || !b || !num(a.ciLow) || !num(a.ciHigh) || !num(b.ciLow) || !num(b.ciHigh)) return;
    out.compared++;
    if (a.ciLow > b.ciHigh) out.higher++;
    else if (a.ciHigh < b.ciLow) out.lower++;
  });
  return out;
}

/** The sentence for one group: whether its equal predictions meant an equal mean target. */
function verdict(who: string, than: string, target: string, c: Compared): string {
  const Who = `${who.charAt(0).toUpperCase()}${who.slice(1)}`;
  if (c.compared === 0)
    return `${Who}: no decile can be compared with ${than} (no decile where both are shown).`;
  const of = `${c.compared} decile${c.compared === 1 ? '' : 's'} compared`;
  if (c.higher === 0 && c.lower === 0)
    return `${Who} and ${than}: the 95% intervals of the mean ${target} overlap in all ${of}, so these data are consistent with equal predictions meaning an equal ${target}.`;
  const parts = [
    ...(c.higher > 0 ? [`higher in ${c.higher}`] : []),
    ...(c.lower > 0 ? [`lower in ${c.lower}`] : []),
  ];
  const direction =
    c.lower === 0
      ? `; at the same prediction the model under-predicts ${target} for ${who} relative to ${than}`
      : c.higher === 0
        ? `; at the same prediction the model over-predicts ${target} for ${who} relative to ${than}`
        : '; the direction differs between deciles';
  return `At the same prediction, ${who} had a mean ${target} ${parts.join(' and ')} of ${of} than ${than} (95% intervals apart): equal predictions do not mean an equal ${target}${direction}.`;
}

export function buildDecileView(
  s: SuppressedRegressionSlice,
  result: Pick<RegressionResult, 'overall' | 'decileCutPoints'>,
  digits: number,
  target: string,
  noun = 'patients',
): DecileView | null {
  const { slice, sup } = s;
  if (!slice.groups.some((g) => (g.predictionDeciles ?? []).length > 0)) return null;
  const byDecile = (list: readonly PredictionDecile[] | undefined, reasons: readonly (CellReason | null)[]) =>
    DECILES.map((d) => {
      const pos = (list ?? []).findIndex((x) => x.decile === d);
      const cell = pos >= 0 ? list?.[pos] : undefined;
      return { cell, reason: pos >= 0 ? (reasons[pos] ?? null) : null };
    });
  const row = (label: string, cells: ReturnType<typeof byDecile>, reference: boolean): DecileRow => ({
    label,
    reference,
    cells: cells.map(({ cell, reason }) =>
      reason !== null
        ? SUPPRESSED_CELL
        : cell
          ? measureCell(cell.meanTarget.value, cell.meanTarget.ciLow, cell.meanTarget.ciHigh, digits)
          : UNDEFINED_CELL,
    ),
    counts: cells.map(({ cell, reason }) => (cell ? cellCountText(cell.count, reason) : formatCount(0))),
  });
  const shownCells = (cells: ReturnType<typeof byDecile>): (PredictionDecile | null)[] =>
    cells.map(({ cell, reason }) =>
      reason === null && cell && cell.meanTarget.value !== null ? cell : null,
    );
  const overallList = result.overall.predictionDeciles ?? [];
  const overallCells = byDecile(overallList, overallReasons(overallList));
  const rows: DecileRow[] = [];
  const points: DecilePoint[] = [];
  const leftOut: string[] = [];
  let cellsLeftOut = false;
  const groupCells = slice.groups.map((g, i) => byDecile(g.predictionDeciles, sup.deciles[i] ?? []));
  slice.groups.forEach((g, i) => {
    const label = groupLabel(g.key, slice.attributes);
    const cells = groupCells[i] ?? [];
    rows.push(row(label, cells, i === s.refIndex));
    const shown = shownCells(cells);
    if (shown.every((c) => c === null)) {
      leftOut.push(label);
      return;
    }
    if (cells.some((c) => c.reason !== null)) cellsLeftOut = true;
    shown.forEach((c) => {
      if (c && c.meanTarget.value !== null)
        points.push({
          group: label,
          decile: c.decile,
          meanTarget: c.meanTarget.value,
          ciLow: c.meanTarget.ciLow ?? null,
          ciHigh: c.meanTarget.ciHigh ?? null,
        });
    });
  });
  if (overallList.length > 0) rows.push(row('All', overallCells, false));
  // Compared with the reference group, or with everyone when the reference is the whole slice.
  const whole = s.refIndex < 0 || Object.values(slice.reference).every((v) => v === 'overall');
  const refShown = whole ? shownCells(overallCells) : shownCells(groupCells[s.refIndex] ?? []);
  const than = whole
    ? `all ${noun}`
    : peopleOf(groupLabel(slice.reference, slice.attributes), slice.attributes, noun);
  const verdicts: string[] = [];
  slice.groups.forEach((g, i) => {
    if (i === s.refIndex || leftOut.includes(groupLabel(g.key, slice.attributes))) return;
    const who = peopleOf(groupLabel(g.key, slice.attributes), slice.attributes, noun);
    verdicts.push(verdict(who, than, target, compareRows(shownCells(groupCells[i] ?? []), refShown)));
  });
  const title = slice.attributes.join(' × ');
  return {
    title,
    ranges: decileRanges(result.decileCutPoints, digits),
    rows,
    chart: points.length > 0 ? decileChart(title, target, points, leftOut, cellsLeftOut) : null,
    verdicts,
    notes: [
      `Deciles of the prediction are cut over the whole sample, so every group is compared at the same predicted values. Each cell: the group's mean ${target} in that decile, its 95% interval, and n. Two groups' means differ clearly where their intervals do not overlap.`,
    ],
  };
}
