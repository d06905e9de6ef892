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
  /** Rows per union group (rows with a missing value left out), counted once here. */
  rows: Float64Array;
  /** Rows per union group whose label is 1, counted in the same pass; null when the side has no labels. */
  labelOnes: Float64Array | null;
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
        baseline: sideColumn(column, levels, baseline.labels),
        current: sideColumn(other, levels, current.labels),
      },
    ];
  });
}

function sideColumn(column: AttributeColumn, levels: string[], labels: Uint8Array | undefined): SideColumn {
  const codes = column.codes;
  const toUnion = Int32Array.from(column.levels, (level) => levels.indexOf(level));
  const rows = new Float64Array(levels.length);
  if (labels === undefined) {
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code !== MISSING_CODE) rows[toUnion[code]!]! += 1;
    }
    return { codes, toUnion, rows, labelOnes: null };
  }
  const labelOnes = new Float64Array(levels.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === MISSING_CODE) continue;
    const union = toUnion[code]!;
    rows[union]! += 1;
    if (labels[i] === 1) labelOnes[union]! += 1;
  }
  return { codes, toUnion, rows, labelOnes };
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
  const starts = new Int32Array(levelCount + 1);
  for (let g = 0; g < levelCount; g++) starts[g + 1] = starts[g]! + column.rows[g]!;
  const cursor = new Int32Array(levelCount + 1);
  cursor.set(starts.subarray(0, levelCount));
  cursor[levelCount] = starts[levelCount]!; // missing values land past the groups and are not kept
  const unionCodes = unionCodesInOrder(column, levelCount, scores.order);
  const { sorted } = scores;
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
