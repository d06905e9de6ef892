import { ColumnarBatch, peopleOf, rowWeights } from '../ingest/batch';
import { argsortWithPayload, SortedOrder } from '../stats';
import type { CalibrationFit } from '../score-quality/calibration';
import { calibrationByGroup, calibrationScope, type CalibrationScope } from './calibration-pass';
import { CellPartition } from './cells';
import {
  addAboveMedian,
  aucByGroup,
  packCells,
  RankedPartition,
  rankCells,
  rankRows,
  sliceMedian,
} from './ranking';
import { classWeights, estimateGroup, EstimateContext, GroupEstimates } from './rates';
import { partitionRows, SliceGroups, sliceGroups, SliceSpec, sliceRequests } from './slices';
import { SliceCells } from './summaries';
import { addCellsToGroups, SLOT, STRIDE, tallyCells } from './tally';

/**
 * The shared partition over all attributes may have up to this many cells, or one per row if there are
 * more rows: its per-cell work then stays small next to the pass over the rows.
 */
const MIN_SHARED_CELLS = 4096;

/** One slice's groups, estimated; index 0 of analyseSlices' answer is the whole sample. */
export interface SliceAnalysis {
  spec: SliceSpec;
  groups: GroupEstimates[];
  /** The whole analysed slice as one group (the "overall" reference). */
  totals: GroupEstimates;
  cells: SliceCells;
  analysedRows: number;
}

/** A partition counted: its cells' sums and the groups of the slices it covers. */
interface CountedPartition {
  partition: CellPartition;
  /** The slices it covers (indices into the slice list). */
  slices: number[];
  cellSums: Float64Array;
  groups: SliceGroups[];
}

/**
 * Estimates for every group of the whole sample (slice 0), each sensitive attribute and each intersection.
 *
 * Cost: one pass over the rows per cell partition for the counts (one partition covers every slice unless
 * the attributes have too many combinations, see partitionRows), one radix sort of the scores (or
 * `scoreOrder`), and per partition one gather and one pass in score order for the AUCs of every covered
 * slice, plus a pass over the upper half for the scoring rate; with labels and scores in [0, 1], the
 * calibration of every group from its distinct scores (calibration-pass.ts).
 */
export function analyseSlices(
  batch: ColumnarBatch,
  intersections: readonly (readonly string[])[],
  context: EstimateContext,
  scoreOrder?: SortedOrder,
): SliceAnalysis[] {
  const labels = batch.labels ?? new Uint8Array(batch.rowCount);
  const requests = sliceRequests(batch, intersections);
  const maxCells = Math.max(MIN_SHARED_CELLS, batch.rowCount);
  // With counts, rows are cells of people: every sum below is over people (tally.ts), never expanded.
  const weights = rowWeights(batch);
  const frequencies = batch.counts !== undefined;
  const people = peopleOf(batch);
  const counted = partitionRows(batch, requests, maxCells).map(({ partition, slices }): CountedPartition => {
    const cellSums = tallyCells({
      cells: partition.cells,
      cellCount: partition.cellCount,
      labels,
      predictions: batch.predictions,
      scores: batch.scores,
      weights,
      frequencies,
    });
    const groups = slices.map((s) => sliceGroups(requests[s]!, partition, cellSums));
    return { partition, slices, cellSums, groups };
  });
  const specs: SliceSpec[] = [];
  for (const { slices, groups } of counted) slices.forEach((s, j) => (specs[s] = groups[j]!.spec));
  // Groups are numbered across all slices, slice after slice: group g of slice s is offsets[s] + g.
  const offsets: number[] = [];
  let groupCount = 0;
  for (const spec of specs) {
    offsets.push(groupCount);
    groupCount += spec.keys.length;
  }
  const groupSums = new Float64Array(groupCount * STRIDE);
  const groupTables = counted.map((c) => groupTable(c, offsets));
  counted.forEach((c, p) =>
    c.slices.forEach((_, j) => addCellsToGroups(c.cellSums, groupTables[p]!, c.slices.length, j, groupSums)),
  );
  const blocks = Array.from({ length: groupCount }, (_, g) =>
    groupSums.subarray(g * STRIDE, (g + 1) * STRIDE),
  );
  let aucs: ReturnType<typeof aucByGroup> = blocks.map(() => null);
  let calibration: (CalibrationFit | null)[] = blocks.map(() => null);
  let scope: CalibrationScope = null;
  if (batch.scores !== undefined) {
    // Sorting itself, the engine carries the first partition's cells and labels through the sort (no gather).
    const carrying =
      scoreOrder === undefined
        ? argsortWithPayload(batch.scores, packCells(counted[0]!.partition.cells, labels))
        : null;
    const sorted = carrying ?? (scoreOrder as SortedOrder);
    const ranked = rankRows(sorted, weights, frequencies);
    const partitions = counted.map((c, p): RankedPartition => ({
      cellLabels:
        p === 0 && carrying !== null ? carrying.payload : rankCells(sorted, c.partition.cells, labels),
      groupOf: groupTables[p]!,
      members: c.slices.length,
    }));
    counted.forEach((c, p) => {
      const partition = partitions[p]!;
      const membersByMedian = new Map<number, number[]>();
      c.slices.forEach((s, j) => {
        const median = sliceMedian(ranked, partition, j, people - specs[s]!.droppedRows);
        if (median !== null) membersByMedian.set(median, [...(membersByMedian.get(median) ?? []), j]);
      });
      for (const [median, members] of membersByMedian) {
        addAboveMedian(ranked, partition, c.partition.cellCount, members, median, groupSums);
      }
    });
    if (context.hasLabels) {
      aucs = aucByGroup(ranked, partitions, blocks.map(classWeights));
      scope = calibrationScope(ranked.scores);
      if (scope === null) {
        const rows = blocks.map((block) => block[SLOT.rows]!);
        calibration = calibrationByGroup(ranked, partitions, rows);
      }
    }
  }
  return specs.map((spec, s) => {
    const own = blocks.slice(offsets[s], offsets[s]! + spec.keys.length);
    const totalSums = sumBlocks(own);
    return {
      spec,
      groups: own.map((block, g) =>
        estimateGroup(block, aucs[offsets[s]! + g] ?? null, context, {
          fit: calibration[offsets[s]! + g] ?? null,
          scope,
        }),
      ),
      // The "overall" reference: the whole sample's calibration when the slice analyses every row.
      totals: estimateGroup(totalSums, null, context, {
        fit: spec.droppedRows === 0 ? (calibration[0] ?? null) : null,
        scope,
      }),
      cells: [totalSums[0]!, totalSums[1]!, totalSums[2]!, totalSums[3]!],
      analysedRows: people - spec.droppedRows,
    };
  });
}

/** groupOf[c·members + j]: the group (numbered across slices) of cell c in covered slice j, or −1. */
function groupTable(counted: CountedPartition, offsets: readonly number[]): Int32Array {
  const { partition, slices, groups } = counted;
  const members = slices.length;
  const table = new Int32Array(partition.cellCount * members);
  slices.forEach((s, j) => {
    const own = groups[j]!.groupOf;
    for (let c = 0; c < partition.cellCount; c++) {
      table[c * members + j] = own[c]! < 0 ? -1 : offsets[s]! + own[c]!;
    }
  });
  return table;
}

function sumBlocks(blocks: readonly Float64Array[]): Float64Array {
  const total = new Float64Array(STRIDE);
  for (const block of blocks) for (let s = 0; s < STRIDE; s++) total[s]! += block[s]!;
  return total;
}
