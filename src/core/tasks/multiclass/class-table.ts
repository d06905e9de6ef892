/**
 * The count table of a multiclass audit: for every cell of a partition of the rows (cells.ts), the sum of
 * weights per (label, prediction) pair, filled in one pass over the rows. Everything else (groups, the
 * one-vs-rest confusion counts of each class, accuracy) is added up from this table, never from the rows.
 *
 * Entry (c·L + l)·K + p holds cell c, label l, prediction p, with K classes and L = K label slots (L = 1 in
 * label-free mode, where every row sits in label slot 0).
 *
 * Rows count as themselves (weight 1), as `counts[i]` identical rows (frequencies: Σw = Σw² = the expanded
 * count, so every interval and test is that of the expanded rows), or with sampling weights (Σw and Σw²,
 * Kish's effective sizes, as the binary task).
 */
import { DomainError } from '../../errors';
import type { ColumnarBatch } from '../../ingest/batch';

/** Entries of one table at most (8 bytes each, twice with weights): 256 MB. */
export const MAX_TABLE_ENTRIES = 1 << 25;

export interface ClassTable {
  readonly classCount: number;
  /** Label slots: classCount with labels, 1 without. */
  readonly labelSlots: number;
  readonly weight: Float64Array;
  /** Σw²; the same array as `weight` when no sampling weights are given (each row is 1, or a frequency). */
  readonly weightSq: Float64Array;
  /** Rows per cell (frequencies expanded). */
  readonly rows: Float64Array;
}

/** One pass over the rows: the table of every cell of the partition (`cells[i]` is row i's cell). */
export function tallyClasses(batch: ColumnarBatch, cells: Uint16Array, cellCount: number): ClassTable {
  const classCount = batch.classes?.length ?? 0;
  const labelSlots = batch.labels === undefined ? 1 : classCount;
  const block = labelSlots * classCount;
  if (cellCount * block > MAX_TABLE_ENTRIES) {
    const message =
      `${cellCount} groups × ${classCount} classes are too many to count at once; ` +
      'audit fewer intersections or fewer classes';
    throw new DomainError('invalid_config', message, [{ field: 'config.intersections', message }]);
  }
  const weight = new Float64Array(cellCount * block);
  const labels = batch.labels ?? new Uint8Array(batch.rowCount);
  const { predictions, weights, counts } = batch;
  const n = batch.rowCount;
  if (weights !== undefined) {
    const weightSq = new Float64Array(cellCount * block);
    const rows = new Float64Array(cellCount);
    for (let i = 0; i < n; i++) {
      const cell = cells[i]!;
      const at = (cell * labelSlots + labels[i]!) * classCount + predictions[i]!;
      const w = weights[i]!;
      weight[at]! += w;
      weightSq[at]! += w * w;
      rows[cell]!++;
    }
    return { classCount, labelSlots, weight, weightSq, rows };
  }
  if (counts !== undefined) {
    for (let i = 0; i < n; i++) {
      weight[(cells[i]! * labelSlots + labels[i]!) * classCount + predictions[i]!]! += counts[i]!;
    }
  } else {
    for (let i = 0; i < n; i++)
      weight[(cells[i]! * labelSlots + labels[i]!) * classCount + predictions[i]!]!++;
  }
  return { classCount, labelSlots, weight, weightSq: weight, rows: blockSums(weight, cellCount, block) };
}

function blockSums(values: Float64Array, blocks: number, size: number): Float64Array {
  const sums = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let total = 0;
    for (let j = b * size; j < (b + 1) * size; j++) total += values[j]!;
    sums[b] = total;
  }
  return sums;
}

/** One group's (or the whole slice's) L × K table: a sum of cells. */
export interface GroupTable {
  readonly weight: Float64Array;
  readonly weightSq: Float64Array;
  rows: number;
}

/**
 * The tables of `groupCount` groups: cell c adds to group groupOf[c] (−1: the slice leaves it out). Cost:
 * one addition per cell and table entry.
 */
export function groupTables(table: ClassTable, groupOf: Int32Array, groupCount: number): GroupTable[] {
  const block = table.labelSlots * table.classCount;
  const groups = Array.from({ length: groupCount }, () => emptyGroupTable(block));
  const sameSq = table.weightSq === table.weight;
  for (let c = 0; c < groupOf.length; c++) {
    const g = groupOf[c]!;
    if (g < 0 || table.rows[c] === 0) continue;
    const group = groups[g]!;
    group.rows += table.rows[c]!;
    const offset = c * block;
    for (let j = 0; j < block; j++) group.weight[j]! += table.weight[offset + j]!;
    if (!sameSq) for (let j = 0; j < block; j++) group.weightSq[j]! += table.weightSq[offset + j]!;
  }
  if (sameSq) for (const group of groups) group.weightSq.set(group.weight);
  return groups;
}

/** The sum of group tables (the whole analysed slice: the "overall" reference). */
export function sumTables(tables: readonly GroupTable[], block: number): GroupTable {
  const total = emptyGroupTable(block);
  for (const t of tables) {
    total.rows += t.rows;
    for (let j = 0; j < block; j++) {
      total.weight[j]! += t.weight[j]!;
      total.weightSq[j]! += t.weightSq[j]!;
    }
  }
  return total;
}

function emptyGroupTable(block: number): GroupTable {
  return { weight: new Float64Array(block), weightSq: new Float64Array(block), rows: 0 };
}
