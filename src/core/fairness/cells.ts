import { DomainError } from '../errors';
import { AttributeColumn, MISSING_CODE } from '../ingest/batch';

/** Cell codes are 16-bit. */
export const MAX_CELLS = 1 << 16;
/** Largest number of level combinations (missing counted as a level) the engine will index. */
const MAX_COMBINATIONS = 1 << 24;

/**
 * A partition of the rows into cells by the levels of some attributes, a missing value counting as a
 * level of its own. Every group of a slice over these attributes (or some of them) is a union of cells, so
 * the engine counts each cell once and adds cells up into groups.
 */
export interface CellPartition {
  columns: readonly AttributeColumn[];
  /** The cell of each row. */
  cells: Uint16Array;
  cellCount: number;
  /** levels[a][c]: column a's level code in cell c, or −1 where its value is missing. */
  levels: Int32Array[];
}

/**
 * Cells = every combination of the columns' levels (missing included), whether it occurs or not; null when
 * there would be more than `maxCells`. Costs one pass per column.
 */
export function productCells(
  columns: readonly AttributeColumn[],
  rowCount: number,
  maxCells: number,
): CellPartition | null {
  const cellCount = combinationCount(columns);
  if (cellCount > Math.min(maxCells, MAX_CELLS)) return null;
  const cells = new Uint16Array(rowCount);
  combineLevels(columns, cells);
  const levels = decodeLevels(
    columns,
    Array.from({ length: cellCount }, (_, cell) => cell),
  );
  return { columns, cells, cellCount, levels };
}

/**
 * Cells = the combinations of the columns' levels (missing included) that occur, numbered in order of first
 * occurrence: for an intersection with too many combinations to count them all. `name` names it in errors.
 */
export function occurringCells(
  columns: readonly AttributeColumn[],
  rowCount: number,
  name: string,
): CellPartition {
  const combinations = combinationCount(columns);
  if (combinations > MAX_COMBINATIONS) {
    throw new DomainError('invalid_config', `Intersection ${name} has too many combinations`);
  }
  const combined = new Int32Array(rowCount);
  combineLevels(columns, combined);
  const cellOf = new Int32Array(combinations).fill(-1);
  const occurring: number[] = [];
  const cells = new Uint16Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const combination = combined[i]!;
    if (cellOf[combination] === -1) {
      if (occurring.length === MAX_CELLS) {
        throw new DomainError('invalid_config', `Intersection ${name} has too many groups`);
      }
      cellOf[combination] = occurring.length;
      occurring.push(combination);
    }
    cells[i] = cellOf[combination]!;
  }
  return { columns, cells, cellCount: occurring.length, levels: decodeLevels(columns, occurring) };
}

/** Number of combinations of the columns' levels, a missing value being one more level of each. */
function combinationCount(columns: readonly AttributeColumn[]): number {
  return columns.reduce((product, column) => product * (column.levels.length + 1), 1);
}

/** Mixed-radix code of each row's combination, a column at a time (missing = the column's last digit). */
function combineLevels(columns: readonly AttributeColumn[], target: Uint16Array | Int32Array): void {
  for (const column of columns) {
    const { codes } = column;
    const missing = column.levels.length;
    const radix = missing + 1;
    for (let i = 0; i < target.length; i++) {
      const level = codes[i]!;
      target[i] = target[i]! * radix + (level === MISSING_CODE ? missing : level);
    }
  }
}

/** Each column's level (−1 for missing) in each of the given combinations, one array per column. */
function decodeLevels(columns: readonly AttributeColumn[], combinations: readonly number[]): Int32Array[] {
  const levels = columns.map(() => new Int32Array(combinations.length));
  combinations.forEach((combination, cell) => {
    let rest = combination;
    for (let a = columns.length - 1; a >= 0; a--) {
      const missing = columns[a]!.levels.length;
      const level = rest % (missing + 1);
      levels[a]![cell] = level === missing ? -1 : level;
      rest = (rest - level) / (missing + 1);
    }
  });
  return levels;
}
