import { DomainError } from '../../errors';
import type { ColumnarBatch } from '../../ingest/batch';
import { partitionRows, sliceGroups, sliceRequests, type SliceSpec } from '../../fairness/slices';
import { SLOT, STRIDE as TALLY_STRIDE } from '../../fairness/tally';
import type { GroupFlag, ReferenceStrategy } from '../../fairness/types';
import type {
  PredictionDecile,
  RegressionGroupResult,
  RegressionResult,
  RegressionSliceResult,
} from '../types';
import { decileCutPoints, decileOfRows, tallyDeciles } from './deciles';
import { groupDeciles } from './decile-estimates';
import { sliceDisparities } from './disparities';
import { estimateGroup, toMetrics, type GroupEstimates } from './estimates';
import { addBlock, emptyBlocks, regressionColumns, shiftOf, STRIDE, tallyMoments } from './moments';
import { chooseReference, type Reference } from './reference';
import { sliceSummary } from './summary';
import { validateRegressionBatch } from './validate';

export interface RegressionOptions {
  reference: { strategy: ReferenceStrategy; groups?: Record<string, string> };
  intersections: string[][];
  minGroupSize: number;
  missingAttribute: 'group' | 'drop';
  /** Default 0.95. */
  confidenceLevel?: number;
  /** Recorded in the conventions (as for binary audits); default [0.8, 1.25]. */
  fairnessBand?: [number, number];
}

const DEFAULT_CONFIDENCE = 0.95;
const DEFAULT_BAND: [number, number] = [0.8, 1.25];
/** As for binary audits: the shared partition may have this many cells, or one per row. */
const MIN_SHARED_CELLS = 4096;

/**
 * The regression metrics of an audit (docs/metrics.md, "Regression audits"): per group of the whole sample,
 * each sensitive attribute and each intersection, the means of target, prediction, error and absolute
 * error, RMSE and R², each with its interval; disparities against the slice's reference; slice summaries;
 * and the mean target per decile of the prediction (the Obermeyer check).
 *
 * Cost: one pass for the shift (moments.ts), one pass per cell partition for the moments (one partition
 * covers every slice unless the attributes have too many combinations), one radix sort of the predictions
 * for the decile cut points and one more pass per partition for the decile sums. No per-row objects.
 *
 * Counts (`batch.counts`) are frequencies: row i is counts[i] identical rows, and every number equals that of
 * the expanded rows (n = Σ counts). Weights are sampling weights: means are weighted, intervals use Kish's
 * effective size.
 */
export function computeRegression(batch: ColumnarBatch, options: RegressionOptions): RegressionResult {
  validateRegressionBatch(batch);
  const columns = regressionColumns(batch)!;
  const confidenceLevel = options.confidenceLevel ?? DEFAULT_CONFIDENCE;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new DomainError('invalid_config', 'confidenceLevel must lie strictly between 0 and 1', [
      { field: 'confidenceLevel', message: 'must be in (0, 1)' },
    ]);
  }
  const shift = shiftOf(columns);
  const cuts = decileCutPoints(columns);
  const decileOf = cuts === null ? null : decileOfRows(columns.predictedValues, cuts);
  const requests = sliceRequests(batch, options.intersections);
  const maxCells = Math.max(MIN_SHARED_CELLS, batch.rowCount);
  const analysed: SliceSums[] = [];
  for (const { partition, slices } of partitionRows(batch, requests, maxCells)) {
    const moments = tallyMoments(columns, partition.cells, partition.cellCount, shift);
    const deciles =
      decileOf === null ? null : tallyDeciles(columns, partition.cells, partition.cellCount, decileOf, shift);
    const rows = rowsTally(moments, partition.cellCount);
    for (const s of slices) {
      const { spec, groupOf } = sliceGroups(requests[s]!, partition, rows);
      analysed[s] = sumGroups(spec, groupOf, moments, deciles);
    }
  }
  const estimate = (sums: Float64Array, g: number): GroupEstimates =>
    estimateGroup(sums, g * STRIDE, shift, confidenceLevel);
  const [whole, ...slices] = analysed;
  const overall = estimate(whole!.groupSums, 0);
  return {
    task: 'regression',
    overall: {
      count: overall.count,
      metrics: toMetrics(overall),
      ...(whole!.decileSums && {
        predictionDeciles: groupDeciles(whole!.decileSums, 0, shift, confidenceLevel),
      }),
    },
    ...(cuts !== null && { decileCutPoints: cuts }),
    slices: slices.map((slice) => sliceResult(slice, estimate, shift, options, confidenceLevel)),
    conventions: {
      referenceStrategy: options.reference.strategy,
      confidenceLevel,
      fairnessBand: options.fairnessBand ?? DEFAULT_BAND,
      minGroupSize: options.minGroupSize,
      missingAttribute: options.missingAttribute,
      intervals: {
        mean: 't',
        rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
        r2: 'delta-method-t',
        difference: 'welch',
        ratio: 'delta-method-log',
      },
      tests: { means: 'welch-t', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: 'metric' },
    },
  };
}

/** A slice's group sums: moments (STRIDE per group, then the slice's total) and decile sums. */
interface SliceSums {
  spec: SliceSpec;
  groupSums: Float64Array;
  totals: Float64Array;
  decileSums: Float64Array | null;
}

/** The partition's per-cell row counts in the layout sliceGroups reads (the binary task's tally). */
function rowsTally(moments: Float64Array, cellCount: number): Float64Array {
  const rows = new Float64Array(cellCount * TALLY_STRIDE);
  for (let c = 0; c < cellCount; c++) rows[c * TALLY_STRIDE + SLOT.rows] = moments[c * STRIDE]!;
  return rows;
}

function sumGroups(
  spec: SliceSpec,
  groupOf: Int32Array,
  moments: Float64Array,
  deciles: Float64Array | null,
): SliceSums {
  const groupCount = spec.keys.length;
  const groupSums = emptyBlocks(groupCount);
  const totals = emptyBlocks(1);
  const decileBlock = deciles === null ? 0 : deciles.length / groupOf.length;
  const decileSums = deciles === null ? null : new Float64Array(groupCount * decileBlock);
  for (let c = 0; c < groupOf.length; c++) {
    const g = groupOf[c]!;
    if (g < 0) continue;
    addBlock(moments, c * STRIDE, groupSums, g * STRIDE);
    addBlock(moments, c * STRIDE, totals, 0);
    if (deciles !== null && decileSums !== null) {
      for (let k = 0; k < decileBlock; k++) decileSums[g * decileBlock + k]! += deciles[c * decileBlock + k]!;
    }
  }
  return { spec, groupSums, totals, decileSums };
}

function sliceResult(
  slice: SliceSums,
  estimate: (sums: Float64Array, g: number) => GroupEstimates,
  shift: { y: number; p: number },
  options: RegressionOptions,
  confidenceLevel: number,
): RegressionSliceResult {
  const { spec } = slice;
  const groups = spec.keys.map((_, g) => estimate(slice.groupSums, g));
  const reference = chooseReference(spec, groups, options.reference);
  const referenceIndex = reference.kind === 'group' ? reference.index : null;
  const referenceEstimates = reference.kind === 'group' ? groups[reference.index] : estimate(slice.totals, 0);
  const disparities =
    reference.kind === 'none' || referenceEstimates === undefined
      ? groups.map(() => ({}))
      : sliceDisparities(groups, referenceEstimates, referenceIndex, confidenceLevel);
  const analysedCount = groups.reduce((n, g) => n + g.count, 0);
  const results = groups.map((group, g): RegressionGroupResult => {
    const result: RegressionGroupResult = {
      key: groupKey(spec, spec.keys[g] ?? []),
      count: group.count,
      share: analysedCount > 0 ? group.count / analysedCount : 0,
      metrics: toMetrics(group),
      disparities: disparities[g] ?? {},
      flags: groupFlags(group, g === referenceIndex, options.minGroupSize),
    };
    if (slice.decileSums !== null) {
      const deciles: PredictionDecile[] = groupDeciles(slice.decileSums, g, shift, confidenceLevel);
      result.predictionDeciles = deciles;
    }
    return result;
  });
  const out: RegressionSliceResult = {
    attributes: spec.attributes,
    reference: referenceKey(spec, reference),
    groups: results,
    summary: sliceSummary(groups),
  };
  if (options.missingAttribute === 'drop' || spec.droppedRows > 0) out.droppedRows = spec.droppedRows;
  return out;
}

/** A group with fewer rows than minGroupSize, or an effective size under 2 (no interval), is insufficient. */
function groupFlags(group: GroupEstimates, isReference: boolean, minGroupSize: number): GroupFlag[] {
  const flags: GroupFlag[] = [];
  if (group.count < minGroupSize || group.nEff < 2) flags.push('insufficient_sample');
  if (isReference) flags.push('reference');
  return flags;
}

function groupKey(spec: SliceSpec, values: readonly string[]): Record<string, string> {
  return Object.fromEntries(spec.attributes.map((attribute, i) => [attribute, values[i] ?? '']));
}

function referenceKey(spec: SliceSpec, reference: Reference): Record<string, string> {
  switch (reference.kind) {
    case 'group':
      return groupKey(spec, spec.keys[reference.index] ?? []);
    case 'overall':
      return groupKey(
        spec,
        spec.attributes.map(() => 'overall'),
      );
    case 'none':
      return {};
  }
}
