/**
 * The two score-quality views of an audit, per group of every slice and overall: calibration (metrics and
 * reliability curve) and the threshold what-if. Both need labels and scores; calibration needs scores that
 * are probabilities (in [0, 1]).
 */
import { DomainError } from '../errors';
import { rowWeights, squaredWeight, type ColumnarBatch } from '../ingest/batch';
import { argsortFloat64, type SortedOrder } from '../stats/argsort';
import {
  CALIBRATION_BINS,
  calibrationFromLevels,
  reliabilityCurve,
  scoresAreProbabilities,
  type CalibrationMetrics,
  type CurvePoint,
} from './calibration';
import { sliceRows, type SliceRows } from './groups';
import { LevelBuffer, type ScoreLevels } from './levels';
import {
  equalizingThresholds,
  thresholdTable,
  type EqualizingThreshold,
  type ThresholdPoint,
} from './thresholds';

export type GroupKey = Record<string, string>;

export interface CalibrationGroup {
  key: GroupKey;
  count: number;
  metrics: CalibrationMetrics;
  curve: CurvePoint[];
}

export interface CalibrationReport {
  bins: number;
  overall: Omit<CalibrationGroup, 'key'>;
  slices: { attributes: string[]; groups: CalibrationGroup[] }[];
}

export interface ThresholdGroup {
  key: GroupKey;
  count: number;
  points: ThresholdPoint[];
}

export interface ThresholdReport {
  thresholds: number[];
  overall: Omit<ThresholdGroup, 'key'>;
  slices: {
    attributes: string[];
    groups: (ThresholdGroup & { equalOpportunity: EqualizingThreshold })[];
    /**
     * The TPR each group's equalizing threshold aims at: the reference group's at the audit's threshold (the
     * whole sample's when the reference strategy is "overall").
     */
    equalOpportunityTarget: number | null;
  }[];
}

/** 0.01, 0.02, …, 0.99. */
export const DEFAULT_THRESHOLDS: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/**
 * Whether the batch supports calibration and the threshold what-if: it has labels and scores, and every
 * score is a probability in [0, 1] (logits or risk points are not).
 */
export function hasProbabilityScores(batch: ColumnarBatch): boolean {
  return batch.scores !== undefined && batch.labels !== undefined && scoresAreProbabilities(batch.scores);
}

function scoredColumns(batch: ColumnarBatch): { scores: Float64Array; labels: Uint8Array } {
  if (batch.scores === undefined || batch.labels === undefined) {
    throw new DomainError(
      'invalid_input',
      'Score quality needs both labels and scores: this audit was submitted without a label or score column.',
    );
  }
  return { scores: batch.scores, labels: batch.labels };
}

function keyOf(slice: SliceRows, g: number): GroupKey {
  return Object.fromEntries(slice.attributes.map((a, i) => [a, slice.keys[g]![i]!]));
}

/** Row indices per group of a slice. */
function rowsByGroup(slice: SliceRows): Int32Array[] {
  const counts = new Int32Array(slice.keys.length);
  for (const g of slice.rowGroup) if (g >= 0) counts[g]!++;
  const rows = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(slice.keys.length);
  slice.rowGroup.forEach((g, i) => {
    if (g >= 0) rows[g]![filled[g]!++] = i;
  });
  return rows;
}

/** People among the given rows: their number, or the sum of their counts. */
function peopleIn(batch: ColumnarBatch, rows: Int32Array): number {
  const { counts } = batch;
  if (counts === undefined) return rows.length;
  let total = 0;
  for (let k = 0; k < rows.length; k++) total += counts[rows[k]!]!;
  return total;
}

export function calibrationReport(
  batch: ColumnarBatch,
  intersections: readonly (readonly string[])[],
  z: number,
  scoreOrder?: SortedOrder,
): CalibrationReport {
  const { scores, labels } = scoredColumns(batch);
  if (!scoresAreProbabilities(scores)) {
    throw new DomainError(
      'invalid_input',
      'Calibration needs scores that are probabilities in [0, 1]; this audit has scores outside that range.',
    );
  }
  const data = { scores, labels, weights: rowWeights(batch), frequencies: batch.counts !== undefined };
  const order = (scoreOrder ?? argsortFloat64(scores)).order;
  const [whole, ...slices] = sliceRows(batch, intersections);
  const groups = (slice: SliceRows): Omit<CalibrationGroup, 'key'>[] => {
    const levels = levelsBySliceGroup(batch, order, slice);
    return rowsByGroup(slice).map((rows, g) => ({
      count: peopleIn(batch, rows),
      metrics: calibrationFromLevels(levels[g]!, z),
      curve: reliabilityCurve(data, rows, z),
    }));
  };
  return {
    bins: CALIBRATION_BINS,
    overall: groups(whole!)[0]!,
    slices: slices.map((slice) => ({
      attributes: slice.attributes,
      groups: groups(slice).map((group, g) => ({ key: keyOf(slice, g), ...group })),
    })),
  };
}

/** Each group's distinct scores (levels.ts), from the rows in score order. */
function levelsBySliceGroup(batch: ColumnarBatch, order: Uint32Array, slice: SliceRows): ScoreLevels[] {
  const scores = batch.scores!;
  const labels = batch.labels!;
  const weights = rowWeights(batch);
  const frequencies = batch.counts !== undefined;
  const rows = new Int32Array(slice.keys.length);
  for (const g of slice.rowGroup) if (g >= 0) rows[g]!++;
  const buffer = new LevelBuffer(rows);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const g = slice.rowGroup[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (g >= 0) buffer.add(g, scores[i]!, labels[i]!, w, squaredWeight(w, frequencies));
  }
  return Array.from(rows, (_, g) => buffer.levels(g));
}

/**
 * The what-if at each threshold, and per slice the thresholds that would give every group the TPR its
 * reference group has at the audit's threshold (`references[s]`: the reference key of slice s, from the
 * audit's results), within `tolerance`.
 */
export function thresholdReport(
  batch: ColumnarBatch,
  intersections: readonly (readonly string[])[],
  thresholds: readonly number[],
  audit: { threshold: number; references: readonly (GroupKey | null)[]; tolerance: number },
  scoreOrder?: SortedOrder,
): ThresholdReport {
  const { scores, labels } = scoredColumns(batch);
  const sorted = [...thresholds].sort((a, b) => a - b);
  const rows = {
    scores,
    labels,
    weights: rowWeights(batch),
    order: (scoreOrder ?? argsortFloat64(scores)).order,
  };
  const all = sliceRows(batch, intersections);
  const table = thresholdTable(rows, all, sorted);
  const counts = all.map((slice) => {
    // People per group: rows, or the sum of their counts.
    const n = new Array<number>(slice.keys.length).fill(0);
    const { counts } = batch;
    slice.rowGroup.forEach((g, i) => {
      if (g >= 0) n[g]! += counts === undefined ? 1 : counts[i]!;
    });
    return n;
  });
  const atAudit = thresholdTable(rows, all, [audit.threshold]);
  return {
    thresholds: sorted,
    overall: { count: counts[0]![0]!, points: table[0]![0]! },
    slices: all.slice(1).map((slice, i) => {
      const s = i + 1;
      const reference = audit.references[i] ?? null;
      const r = reference === null ? -1 : slice.keys.findIndex((k, g) => sameKey(keyOf(slice, g), reference));
      // Strategy "overall" has no reference group: the whole sample's TPR is the target then.
      const target = (r < 0 ? atAudit[0]![0]![0]! : atAudit[s]![r]![0]!).true_positive_rate;
      const equalizing = target === null ? null : equalizingThresholds(rows, slice, target, audit.tolerance);
      return {
        attributes: slice.attributes,
        equalOpportunityTarget: target,
        groups: slice.keys.map((_, g) => ({
          key: keyOf(slice, g),
          count: counts[s]![g]!,
          points: table[s]![g]!,
          equalOpportunity: equalizing?.[g] ?? {
            threshold: null,
            true_positive_rate: null,
            withinTolerance: false,
            alerts_per_1000: null,
            net_benefit: null,
          },
        })),
      };
    }),
  };
}

function sameKey(a: GroupKey, b: GroupKey): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
