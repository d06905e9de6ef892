import { DomainError } from '../errors';
import { AttributeColumn, ColumnarBatch } from '../ingest/batch';
import { CellPartition, occurringCells, productCells } from './cells';
import { SLOT, STRIDE } from './tally';

/**
 * A slice: the partition of the rows by one attribute or one intersection (or by nothing: the whole
 * sample). Its groups are in name order, so "first by name" is the lowest index.
 */
export interface SliceSpec {
  attributes: string[];
  /** keys[g] = group g's value per attribute, in `attributes` order. */
  keys: string[][];
  /** Rows the slice leaves out (a missing value with missingAttribute = "drop"). */
  droppedRows: number;
}

/**
 * What to slice by: the whole sample first (no attributes), then each sensitive attribute (every level is
 * a group, even one without rows), then each intersection (the combinations that occur).
 */
export interface SliceRequest {
  columns: AttributeColumn[];
  groups: 'every-level' | 'occurring';
}

export function sliceRequests(
  batch: ColumnarBatch,
  intersections: readonly (readonly string[])[],
): SliceRequest[] {
  const byName = new Map(batch.attributes.map((a) => [a.name, a]));
  const lookup = (name: string): AttributeColumn => {
    const column = byName.get(name);
    if (column === undefined) {
      throw new DomainError('invalid_config', `Intersection attribute ${name} is not a sensitive attribute`, [
        { field: 'intersections', message: `unknown attribute ${name}` },
      ]);
    }
    return column;
  };
  return [
    { columns: [], groups: 'every-level' },
    ...batch.attributes.map((column): SliceRequest => ({ columns: [column], groups: 'every-level' })),
    ...intersections.map((names): SliceRequest => ({ columns: names.map(lookup), groups: 'occurring' })),
  ];
}

/**
 * The cell partitions to count, each with the slices (indices into `requests`) it covers. When every
 * combination of all attributes' levels fits in `maxCells`, one partition over all of them covers every
 * slice, so each row is visited once for all slices; otherwise each slice gets a partition over its own
 * attributes (the whole sample rides with the first).
 */
export function partitionRows(
  batch: ColumnarBatch,
  requests: readonly SliceRequest[],
  maxCells: number,
): { partition: CellPartition; slices: number[] }[] {
  const all = productCells(batch.attributes, batch.rowCount, maxCells);
  if (all !== null) return [{ partition: all, slices: requests.map((_, s) => s) }];
  // Here there is at least one attribute (no attributes make a single cell), so request 1 exists.
  return requests.slice(1).map((request, i) => {
    const name = request.columns.map((c) => c.name).join(' × ');
    const partition =
      productCells(request.columns, batch.rowCount, Infinity) ??
      occurringCells(request.columns, batch.rowCount, name);
    return { partition, slices: i === 0 ? [0, 1] : [i + 1] };
  });
}

/** A slice's groups and the group of each cell of the partition that covers it. */
export interface SliceGroups {
  spec: SliceSpec;
  /** groupOf[c]: the group of cell c, or −1 when the slice leaves the cell's rows out. */
  groupOf: Int32Array;
}

/** The groups of one slice over a partition, from the partition's per-cell sums (tally.ts). */
export function sliceGroups(
  request: SliceRequest,
  partition: CellPartition,
  cellSums: Float64Array,
): SliceGroups {
  const levels = request.columns.map((column) => {
    const index = partition.columns.indexOf(column);
    if (index < 0) throw new Error(`partition lacks ${column.name}`);
    return partition.levels[index]!;
  });
  const radices = request.columns.map((c) => c.levels.length);
  const combinationOf = (cell: number): number => {
    let combination = 0;
    for (let a = 0; a < levels.length; a++) {
      const level = levels[a]![cell]!;
      if (level < 0) return -1;
      combination = combination * radices[a]! + level;
    }
    return combination;
  };
  const combinations = new Set<number>();
  if (request.groups === 'every-level') {
    const total = radices.reduce((product, radix) => product * radix, 1);
    for (let combination = 0; combination < total; combination++) combinations.add(combination);
  } else {
    for (let cell = 0; cell < partition.cellCount; cell++) {
      const combination = combinationOf(cell);
      if (combination >= 0 && cellSums[cell * STRIDE + SLOT.rows]! > 0) combinations.add(combination);
    }
  }
  const groups = [...combinations]
    .map((combination) => ({ combination, key: keyOf(combination, request.columns) }))
    .sort((a, b) => compareKeys(a.key, b.key));
  const indexOf = new Map(groups.map((group, index) => [group.combination, index]));
  const groupOf = new Int32Array(partition.cellCount);
  let droppedRows = 0;
  for (let cell = 0; cell < partition.cellCount; cell++) {
    const group = indexOf.get(combinationOf(cell)) ?? -1;
    groupOf[cell] = group;
    if (group < 0) droppedRows += cellSums[cell * STRIDE + SLOT.rows]!;
  }
  const spec = {
    attributes: request.columns.map((c) => c.name),
    keys: groups.map((g) => g.key),
    droppedRows,
  };
  return { spec, groupOf };
}

/** The level names of a combination (mixed radix over the columns' levels). */
function keyOf(combination: number, columns: readonly AttributeColumn[]): string[] {
  const key: string[] = [];
  let rest = combination;
  for (let c = columns.length - 1; c >= 0; c--) {
    const levels = columns[c]!.levels;
    key[c] = levels[rest % levels.length]!;
    rest = Math.floor(rest / levels.length);
  }
  return key;
}

/** Code-unit order: deterministic and locale-independent. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareText(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return 0;
}
