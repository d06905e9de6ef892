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
}

/** Attributes mapped in both audits (by column name), in the baseline's order. */
export function alignAttributes(baseline: ColumnarBatch, current: ColumnarBatch): AlignedAttribute[] {
  return baseline.attributes.flatMap((column) => {
    const other = current.attributes.find((candidate) => candidate.name === column.name);
    if (other === undefined) return [];
    const levels = [...column.levels, ...other.levels.filter((level) => !column.levels.includes(level))];
    return [{ name: column.name, levels, baseline: sideColumn(column, levels), current: sideColumn(other, levels) }];
  });
}

function sideColumn(column: AttributeColumn, levels: string[]): SideColumn {
  const codes = column.codes;
  const toUnion = Int32Array.from(column.levels, (level) => levels.indexOf(level));
  return { codes, toUnion, rows: countByGroup({ codes, toUnion }, levels.length) };
}

/** Rows per union group (missing codes skipped); with `selected`, only rows where selected[i] === 1. */
export function countByGroup(
  column: Pick<SideColumn, 'codes' | 'toUnion'>,
  levelCount: number,
  selected?: Uint8Array,
): Float64Array {
  const counts = new Float64Array(levelCount);
  const { codes, toUnion } = column;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === MISSING_CODE || (selected !== undefined && selected[i] !== 1)) continue;
    counts[toUnion[code]!]! += 1;
  }
  return counts;
}

/**
 * Each union group's scores sorted ascending, as views into one buffer: a single pass over the rows in
 * score order (from argsortFloat64) drops each score at its group's cursor, so no group is sorted again.
 */
export function sortedScoresByGroup(scores: SortedOrder, column: SideColumn, levelCount: number): Float64Array[] {
  const starts = new Int32Array(levelCount + 1);
  for (let g = 0; g < levelCount; g++) starts[g + 1] = starts[g]! + column.rows[g]!;
  const buffer = new Float64Array(starts[levelCount]!);
  const cursor = starts.slice(0, levelCount);
  const { codes, toUnion } = column;
  const { order, sorted } = scores;
  for (let k = 0; k < order.length; k++) {
    const code = codes[order[k]!]!;
    if (code !== MISSING_CODE) buffer[cursor[toUnion[code]!]!++] = sorted[k]!;
  }
  return Array.from({ length: levelCount }, (_, g) => buffer.subarray(starts[g], starts[g + 1]));
}
