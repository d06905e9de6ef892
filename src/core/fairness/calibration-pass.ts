import { calibrationFit, type CalibrationFit } from '../score-quality/calibration';
import { distinctCount, LevelBuffer, type ScoreLevels } from '../score-quality/levels';
import { squaredWeight } from '../ingest/batch';
import type { RankedPartition, RankedRows } from './ranking';

/**
 * Level slots (distinct scores of a group) held at once: slices are compressed and fitted a batch at a time,
 * so that with continuous scores (no two alike) memory stays within a few arrays of the row count.
 */
const MIN_LEVEL_BUDGET = 1 << 20;

/** Why every group's calibration is undefined, or null when it can be computed. */
export type CalibrationScope = 'scores_outside_unit_interval' | null;

/** Calibration needs probabilities: every score in [0, 1] (the sorted scores' ends tell). */
export function calibrationScope(sortedScores: Float64Array): CalibrationScope {
  const n = sortedScores.length;
  return n === 0 || (sortedScores[0]! >= 0 && sortedScores[n - 1]! <= 1)
    ? null
    : 'scores_outside_unit_interval';
}

/**
 * The calibration sums and fits of every group (numbered across slices as in analyseSlices; `groupRows[g]` its
 * rows), from the rows in score order. The groups are compressed to their distinct scores
 * (score-quality/levels.ts) in one pass over the ordered rows, then fitted on those: each Newton step is a
 * pass over a group's distinct scores (for scores rounded to 4 decimals at most 10,001), not over its rows.
 *
 * A group holds at most min(its rows, the sample's distinct scores) levels; slices are taken a batch at a time
 * so that the batch's levels stay within max(MIN_LEVEL_BUDGET, rows). Cost: one pass over the rows per batch
 * (usually one per partition; with continuous scores about one per slice).
 */
export function calibrationByGroup(
  ranked: RankedRows,
  partitions: readonly RankedPartition[],
  groupRows: ArrayLike<number>,
  budget = Math.max(MIN_LEVEL_BUDGET, ranked.scores.length),
): (CalibrationFit | null)[] {
  const fits = new Array<CalibrationFit | null>(groupRows.length).fill(null);
  const distinct = distinctScores(ranked.scores);
  if (groupRows.length * distinct.values.length <= budget) {
    // Few distinct scores (rounded): a dense table of weights by (group, distinct score), no search per row.
    const table = denseLevels(ranked, partitions, groupRows.length, distinct);
    for (let g = 0; g < groupRows.length; g++) fits[g] = calibrationFit(table.levels(g));
    return fits;
  }
  const capacity = Array.from(groupRows, (rows) => Math.min(rows, distinct.values.length));
  for (const partition of partitions) {
    for (const members of memberBatches(partition, capacity, budget)) {
      const groups = memberGroups(partition, members);
      const buffer = new LevelBuffer(capacity.map((c, g) => (groups.has(g) ? c : 0)));
      addLevels(ranked, partition, Int32Array.from(members), buffer);
      for (const g of groups) fits[g] = calibrationFit(buffer.levels(g));
    }
  }
  return fits;
}

/** The distinct scores of the sorted sample, and the rank of each row's score among them. */
interface DistinctScores {
  values: Float64Array;
  /** rank[k]: index in `values` of sorted row k's score. */
  rank: Uint32Array | null;
}

function distinctScores(sorted: Float64Array): DistinctScores {
  const count = distinctCount(sorted);
  const values = new Float64Array(count);
  let d = -1;
  for (let k = 0; k < sorted.length; k++)
    if (k === 0 || sorted[k] !== sorted[k - 1]) values[++d] = sorted[k]!;
  return { values, rank: null };
}

/** Weights by (group, distinct score, label): one add per row and covered slice. */
function denseLevels(
  ranked: RankedRows,
  partitions: readonly RankedPartition[],
  groupCount: number,
  distinct: DistinctScores,
): { levels(g: number): ScoreLevels } {
  const d = distinct.values.length;
  const positive = new Float64Array(groupCount * d);
  const negative = new Float64Array(groupCount * d);
  const weight = new Float64Array(groupCount);
  const weightSq = new Float64Array(groupCount);
  const { scores, weights } = ranked;
  const frequencies = ranked.frequencies === true;
  for (const { cellLabels, groupOf, members } of partitions) {
    let rank = -1;
    for (let k = 0; k < scores.length; k++) {
      if (k === 0 || scores[k] !== scores[k - 1]) rank++;
      const cellLabel = cellLabels[k]!;
      const first = (cellLabel >>> 1) * members;
      const w = weights === undefined ? 1 : weights[k]!;
      const table = (cellLabel & 1) === 1 ? positive : negative;
      for (let j = first; j < first + members; j++) {
        const g = groupOf[j]!;
        if (g < 0) continue;
        table[g * d + rank]! += w;
        weight[g]! += w;
        weightSq[g]! += squaredWeight(w, frequencies);
      }
    }
  }
  return {
    levels(g: number): ScoreLevels {
      const buffer = new LevelBuffer([d]);
      const from = g * d;
      for (let r = 0; r < d; r++) {
        const [p, n] = [positive[from + r]!, negative[from + r]!];
        if (p === 0 && n === 0) continue;
        const at = buffer.size[0]!++;
        buffer.score[at] = distinct.values[r]!;
        buffer.positive[at] = p;
        buffer.negative[at] = n;
      }
      buffer.weight[0] = weight[g]!;
      buffer.weightSq[0] = weightSq[g]!;
      return buffer.levels(0);
    },
  };
}

/** One pass over the rows in score order, adding each to its group in each chosen member slice. */
function addLevels(
  ranked: RankedRows,
  partition: RankedPartition,
  chosen: Int32Array,
  buffer: LevelBuffer,
): void {
  const { scores, weights } = ranked;
  const frequencies = ranked.frequencies === true;
  const { cellLabels, groupOf, members } = partition;
  const { start, size, score: levelScore, positive, negative, weight, weightSq } = buffer;
  for (let k = 0; k < scores.length; k++) {
    const cellLabel = cellLabels[k]!;
    const first = (cellLabel >>> 1) * members;
    const w = weights === undefined ? 1 : weights[k]!;
    const s = scores[k]!;
    const levelWeights = (cellLabel & 1) === 1 ? positive : negative;
    for (let m = 0; m < chosen.length; m++) {
      const g = groupOf[first + chosen[m]!]!;
      if (g < 0) continue;
      let at = start[g]! + size[g]! - 1;
      if (size[g] === 0 || levelScore[at] !== s) {
        at++;
        size[g]!++;
        levelScore[at] = s;
      }
      levelWeights[at]! += w;
      weight[g]! += w;
      weightSq[g]! += squaredWeight(w, frequencies);
    }
  }
}

/** The groups of the chosen members (covered slices). */
function memberGroups(partition: RankedPartition, chosen: readonly number[]): Set<number> {
  const groups = new Set<number>();
  for (let c = 0; c * partition.members < partition.groupOf.length; c++) {
    for (const j of chosen) {
      const g = partition.groupOf[c * partition.members + j]!;
      if (g >= 0) groups.add(g);
    }
  }
  return groups;
}

/** The covered slices in batches whose groups' level capacity together stays within the budget. */
function memberBatches(partition: RankedPartition, capacity: readonly number[], budget: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let held = 0;
  for (let j = 0; j < partition.members; j++) {
    let size = 0;
    for (const g of memberGroups(partition, [j])) size += capacity[g]!;
    if (current.length > 0 && held + size > budget) {
      batches.push(current);
      current = [];
      held = 0;
    }
    current.push(j);
    held += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
