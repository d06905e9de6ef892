/**
 * The group of each row in each slice, with the same slices, groups and group order as the fairness engine
 * (core/fairness/slices.ts): the whole sample, each sensitive attribute (every level), each intersection (the
 * combinations that occur), missing values per `missingAttribute`.
 */
import { partitionRows, sliceGroups, sliceRequests } from '../fairness/slices';
import { tallyCells } from '../fairness/tally';
import type { ColumnarBatch } from '../ingest/batch';

export interface SliceRows {
  attributes: string[];
  /** keys[g]: group g's value per attribute. */
  keys: string[][];
  /** rowGroup[i]: row i's group, or −1 when the slice leaves the row out. */
  rowGroup: Int32Array;
}

/** Combinations of every attribute's levels up to which one partition serves all slices (as the engine). */
const MAX_SHARED_CELLS = 4096;

export function sliceRows(batch: ColumnarBatch, intersections: readonly (readonly string[])[]): SliceRows[] {
  const requests = sliceRequests(batch, intersections);
  const out = new Array<SliceRows>(requests.length);
  const labels = batch.labels ?? new Uint8Array(batch.rowCount);
  for (const { partition, slices } of partitionRows(
    batch,
    requests,
    Math.max(MAX_SHARED_CELLS, batch.rowCount),
  )) {
    const sums = tallyCells({
      cells: partition.cells,
      cellCount: partition.cellCount,
      labels,
      predictions: batch.predictions,
      scores: undefined,
      weights: undefined,
    });
    for (const s of slices) {
      const { spec, groupOf } = sliceGroups(requests[s]!, partition, sums);
      const rowGroup = new Int32Array(batch.rowCount);
      for (let i = 0; i < batch.rowCount; i++) rowGroup[i] = groupOf[partition.cells[i]!]!;
      out[s] = { attributes: spec.attributes, keys: spec.keys, rowGroup };
    }
  }
  return out;
}
