import type { AttributeColumn, ColumnarBatch } from '../ingest/batch';
import { MISSING_CODE } from '../ingest/batch';
import type { SortedOrder } from '../stats';

/** One attribute present in both audits, its groups matched by name. */
export interface AlignedAttribute {
  name: string;
  /** Union of both sides' levels: the baseline's in its order, then those new in the current audit. */
  levels: string[];
  baseline: SideColumn;
  current: SideColumn;
}

export interface SideColumn {
  codes: Uint16Array;
  /** Union index of each of this side's codes. */
  toUnion: Int32Array;
  /**
   * People per union group (rows with a missing value left out), counted once here: rows, or the sum of
   * their counts for a cell table (config.countColumn).
   */
  rows: Float64Array;
  /** People per union group whose label is 1, counted in the same pass; null when the side has no labels. */
  labelOnes: Float64Array | null;
  /** Rows of the batch per union group (= rows without counts): where each group's scores sit when split. */
  cells: Float64Array;
}

/** Attributes mapped in both audits (by column name), in the baseline's order. */
export function alignAttributes(baseline: ColumnarBatch, current: ColumnarBatch): AlignedAttribute[] {
  return baseline.attributes.flatMap((column) => {
    const other = current.attributes.find((candidate) => candidate.name === column.name);
    if (other === undefined) return [];
    const levels = [...column.levels, ...other.levels.filter((level) => !column.levels.includes(level))];
    return [
      {
        name: column.name,
        levels,
        baseline: sideColumn(column, levels, baseline.labels, baseline.counts),
        current: sideColumn(other, levels, current.labels, current.counts),
      },
    ];
  });
}

function sideColumn(
  column: AttributeColumn,
  levels: string[],
  labels: Uint8Array | undefined,
  counts: Float64Array | undefined,
): SideColumn {
  const codes = column.codes;
  const toUnion = Int32Array.from(column.levels, (level) => levels.indexOf(level));
  const cells = new Float64Array(levels.length);
  const rows = counts === undefined ? cells : new Float64Array(levels.length);
  const labelOnes = labels === undefined ? null : new Float64Array(levels.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === MISSING_CODE) continue;
    const union = toUnion[code]!;
    const people = counts === undefined ? 1 : counts[i]!;
    cells[union]! += 1;
    if (counts !== undefined) rows[union]! += people;
    if (labelOnes !== null && labels![i] === 1) labelOnes[union]! += people;
  }
  return { codes, toUnion, rows, labelOnes, cells };
}

/**
 * Each union group's scores sorted ascending, as views into `scratch` when it holds a value per row (it
 * is overwritten: the views live until the next call with the same scratch), else into a new buffer.
 *
 * Two passes: the rows' union codes are gathered in score order (from argsortFloat64), then a sequential
 * pass drops each score at its group's cursor, so no group is sorted again. Rows with a missing value go
 * to a cursor past the groups, into slots no view covers.
 */
export function sortedScoresByGroup(
  scores: SortedOrder,
  column: SideColumn,
  levelCount: number,
  scratch: Float64Array,
): Float64Array[] {
  return splitByGroup(scores.sorted, scores.order, column, levelCount, scratch);
}

/**
 * A cell table's counts split as sortedScoresByGroup splits its scores: group g's counts, in the order of its
 * sorted scores, so that scores[g][k] stands for counts[g][k] people.
 */
export function sortedCountsByGroup(
  scores: SortedOrder,
  counts: Float64Array,
  column: SideColumn,
  levelCount: number,
): Float64Array[] {
  const inOrder = new Float64Array(scores.order.length);
  for (let k = 0; k < inOrder.length; k++) inOrder[k] = counts[scores.order[k]!]!;
  return splitByGroup(inOrder, scores.order, column, levelCount, new Float64Array(inOrder.length));
}

/** Values given in score order, split per union group (see sortedScoresByGroup). */
function splitByGroup(
  sorted: Float64Array,
  order: Uint32Array,
  column: SideColumn,
  levelCount: number,
  scratch: Float64Array,
): Float64Array[] {
  const starts = new Int32Array(levelCount + 1);
  for (let g = 0; g < levelCount; g++) starts[g + 1] = starts[g]! + column.cells[g]!;
  const cursor = new Int32Array(levelCount + 1);
  cursor.set(starts.subarray(0, levelCount));
  cursor[levelCount] = starts[levelCount]!; // missing values land past the groups and are not kept
  const unionCodes = unionCodesInOrder(column, levelCount, order);
  const buffer = scratch.length >= unionCodes.length ? scratch : new Float64Array(unionCodes.length);
  for (let k = 0; k < unionCodes.length; k++) buffer[cursor[unionCodes[k]!]!++] = sorted[k]!;
  return Array.from({ length: levelCount }, (_, g) => buffer.subarray(starts[g], starts[g + 1]));
}

/** Each row's union group, in score order; `levelCount` for a missing value. */
function unionCodesInOrder(column: SideColumn, levelCount: number, order: Uint32Array): Uint32Array {
  const toUnion = new Uint32Array(MISSING_CODE + 1).fill(levelCount);
  column.toUnion.forEach((union, code) => (toUnion[code] = union));
  const { codes } = column;
  const unionCodes = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) unionCodes[k] = toUnion[codes[order[k]!]!]!;
  return unionCodes;
}
