/**
 * The metrics of a multiclass audit (api-contract.md, "Regression and multiclass audits"; docs/multiclass.md):
 * per group of each sensitive attribute and intersection, and for the whole sample, the accuracy and per class
 * one-vs-rest selection rate, TPR, FPR and PPV; disparities per class against the slice's reference; and per
 * class fairlearn's between-groups summaries, plus the accuracy gap.
 *
 * Cost: one pass over the rows per cell partition (usually one for every slice) into a label × prediction
 * table per cell (class-table.ts); the rest is per group and class, from that table.
 *
 * The statistics are the binary task's own (core/fairness): Wilson intervals, Newcombe and Koopman intervals
 * of differences and ratios, the z or Fisher test, Holm's adjustment over the groups of a slice separately
 * for each class and metric (and for accuracy), the minimum detectable ratio, references and flags.
 */
import { DomainError } from '../../errors';
import type { ColumnarBatch } from '../../ingest/batch';
import { resolveSettings, type Settings } from '../../fairness/compute-fairness';
import { sliceDisparities } from '../../fairness/disparities';
import type { GroupEstimates } from '../../fairness/rates';
import { toMetrics } from '../../fairness/rates';
import { chooseReference, type Reference } from '../../fairness/reference';
import { partitionRows, sliceGroups, sliceRequests, type SliceSpec } from '../../fairness/slices';
import { sliceSummary, spread } from '../../fairness/summaries';
import { SLOT, STRIDE } from '../../fairness/tally';
import type { Disparity, FairnessOptions, GroupFlag, MetricValue } from '../../fairness/types';
import {
  CLASS_RATE_KEYS,
  type ClassMetrics,
  type ClassRateKey,
  type MulticlassGroupResult,
  type MulticlassResult,
  type MulticlassSliceResult,
  type MulticlassSliceSummary,
} from '../types';
import { classEstimates, type GroupClassEstimates } from './class-estimates';
import { groupTables, MAX_TABLE_ENTRIES, sumTables, tallyClasses, type GroupTable } from './class-table';
import { validateMulticlassBatch } from './validate';

/** Rates whose ratio outside the fairness band flags a group `outside_band` (as the binary task's). */
const BAND_FLAG_KEYS: readonly ClassRateKey[] = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
];
/** A reported rate with a smaller (effective) denominator flags the group `insufficient_sample` (as binary). */
const MIN_RATE_DENOMINATOR = 5;

type ClassDisparities = Partial<Record<ClassRateKey, Disparity>>;

interface SliceTables {
  spec: SliceSpec;
  groups: GroupTable[];
  analysedRows: number;
}

export function computeMulticlass(batch: ColumnarBatch, options: FairnessOptions): MulticlassResult {
  validateMulticlassBatch(batch);
  if (options.reference.strategy === 'most_favorable') {
    const message = 'a multiclass audit has no favorable outcome: use "largest", "overall" or "explicit"';
    throw new DomainError('invalid_config', `reference.strategy "most_favorable": ${message}`, [
      { field: 'config.reference.strategy', message },
    ]);
  }
  const settings = resolveSettings(options);
  const classes = [...(batch.classes ?? [])];
  const labelled = batch.labels !== undefined;
  const [whole, ...slices] = countSlices(batch, options.intersections);
  const overallTable = whole!.groups[0]!;
  const overall = classEstimates(overallTable, classes.length, labelled);
  return {
    task: 'multiclass',
    classes,
    labelFree: !labelled,
    overall: {
      count: overall.rows,
      metrics: groupMetrics(overall, settings),
      classes: classMetrics(overall, classes, settings),
    },
    slices: slices.map((slice) => sliceResult(slice, classes, labelled, options, settings)),
    conventions: {
      referenceStrategy: options.reference.strategy,
      confidenceLevel: settings.confidenceLevel,
      fairnessBand: settings.fairnessBand,
      minGroupSize: options.minGroupSize,
      missingAttribute: options.missingAttribute,
      intervals: { rate: 'wilson', difference: 'newcombe', ratio: 'koopman' },
      tests: { proportions: 'two-proportion-z|fisher-exact', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: 'metric' },
      evidence: { alpha: settings.alpha, power: settings.power, method: 'two-proportion-z-unpooled' },
    },
  };
}

/** The table of every group of every slice (slice 0: the whole sample), from one pass per partition. */
function countSlices(batch: ColumnarBatch, intersections: readonly (readonly string[])[]): SliceTables[] {
  const requests = sliceRequests(batch, intersections);
  const block =
    (batch.labels === undefined ? 1 : (batch.classes?.length ?? 1)) * (batch.classes?.length ?? 1);
  // One partition over every attribute covers every slice when its tables fit; else one per slice.
  const maxCells = Math.max(1, Math.floor(MAX_TABLE_ENTRIES / 8 / block));
  const out: SliceTables[] = [];
  for (const { partition, slices } of partitionRows(batch, requests, maxCells)) {
    const table = tallyClasses(batch, partition.cells, partition.cellCount);
    // sliceGroups reads each cell's row count from the binary tally's layout.
    const rowSums = new Float64Array(partition.cellCount * STRIDE);
    table.rows.forEach((rows, c) => (rowSums[c * STRIDE + SLOT.rows] = rows));
    for (const s of slices) {
      const { spec, groupOf } = sliceGroups(requests[s]!, partition, rowSums);
      const groups = groupTables(table, groupOf, spec.keys.length);
      const total = groups.reduce((sum, g) => sum + g.rows, 0);
      out[s] = { spec, groups, analysedRows: total };
    }
  }
  return out;
}

function sliceResult(
  slice: SliceTables,
  classes: readonly string[],
  labelled: boolean,
  options: FairnessOptions,
  settings: Settings,
): MulticlassSliceResult {
  const { spec } = slice;
  const K = classes.length;
  const estimates = slice.groups.map((t) => classEstimates(t, K, labelled));
  const totals = classEstimates(sumTables(slice.groups, (labelled ? K : 1) * K), K, labelled);
  // The reference depends on group sizes (or names) only, so any class's estimates choose it.
  const reference = chooseReference(
    spec,
    estimates.map((e) => e.classes[0]!),
    options,
  );
  const referenceIndex = reference.kind === 'group' ? reference.index : null;
  const against = (
    pick: (e: GroupClassEstimates) => GroupEstimates | null,
  ): Partial<Record<string, Disparity>>[] => {
    const groups = estimates.map(pick);
    const base = referenceIndex === null ? pick(totals) : groups[referenceIndex];
    if (reference.kind === 'none' || base === null || base === undefined || groups.some((g) => g === null))
      return groups.map(() => ({}));
    return sliceDisparities(groups as GroupEstimates[], base, referenceIndex, settings);
  };
  const byClass = classes.map((_, k) => against((e) => e.classes[k]!) as ClassDisparities[]);
  const accuracy = labelled ? against((e) => e.accuracy) : null;
  const groups = estimates.map((e, g): MulticlassGroupResult => {
    const disparities: MulticlassGroupResult['disparities'] = {
      classes: Object.fromEntries(classes.map((name, k) => [name, byClass[k]![g] ?? {}])),
    };
    const accuracyDisparity = accuracy?.[g]?.accuracy;
    if (accuracyDisparity !== undefined) disparities.accuracy = accuracyDisparity;
    return {
      key: groupKey(spec, spec.keys[g] ?? []),
      count: e.rows,
      share: slice.analysedRows > 0 ? e.rows / slice.analysedRows : 0,
      metrics: groupMetrics(e, settings),
      classes: classMetrics(e, classes, settings),
      disparities,
      flags: groupFlags(
        e,
        byClass.map((d) => d[g] ?? {}),
        g === referenceIndex,
        options.minGroupSize,
      ),
    };
  });
  const result: MulticlassSliceResult = {
    attributes: spec.attributes,
    reference: referenceKey(spec, reference),
    groups,
    summary: summaryOf(estimates, byClass, classes, labelled),
  };
  if (options.missingAttribute === 'drop' || spec.droppedRows > 0) result.droppedRows = spec.droppedRows;
  return result;
}

function summaryOf(
  estimates: readonly GroupClassEstimates[],
  byClass: readonly ClassDisparities[][],
  classes: readonly string[],
  labelled: boolean,
): MulticlassSliceSummary {
  const gap = labelled
    ? spread(
        estimates.map((e) => e.accuracy!),
        'accuracy',
      )
    : null;
  const summary: MulticlassSliceSummary = {
    accuracy_difference: gap?.difference ?? null,
    accuracy_ratio: gap?.ratio ?? null,
    classes: {},
  };
  classes.forEach((name, k) => {
    const groups = estimates.map((e) => e.classes[k]!);
    const noCells = [0, 0, 0, 0] as const; // the entropy indices it also computes are not reported here
    const s = sliceSummary(groups, byClass[k]!, [], noCells, labelled);
    summary.classes[name] = {
      demographic_parity_difference: s.demographic_parity_difference,
      demographic_parity_ratio: s.demographic_parity_ratio,
      ...(labelled && {
        equalized_odds_difference: s.equalized_odds_difference ?? null,
        equalized_odds_ratio: s.equalized_odds_ratio ?? null,
        equal_opportunity_difference: s.equal_opportunity_difference ?? null,
        equal_opportunity_ratio: s.equal_opportunity_ratio ?? null,
      }),
    };
  });
  return summary;
}

function groupMetrics(e: GroupClassEstimates, settings: Settings): MulticlassGroupResult['metrics'] {
  const metrics: MulticlassGroupResult['metrics'] = { count: { value: e.rows } };
  if (e.accuracy !== null) {
    const accuracy = toMetrics(e.accuracy, settings.z, false).accuracy;
    if (accuracy !== undefined) metrics.accuracy = accuracy;
  }
  return metrics;
}

function classMetrics(
  e: GroupClassEstimates,
  classes: readonly string[],
  settings: Settings,
): Record<string, ClassMetrics> {
  return Object.fromEntries(
    classes.map((name, k) => {
      const all = toMetrics(e.classes[k]!, settings.z, false) as Partial<Record<string, MetricValue>>;
      const picked: ClassMetrics = {};
      for (const key of CLASS_RATE_KEYS) if (all[key] !== undefined) picked[key] = all[key];
      return [name, picked];
    }),
  );
}

function groupFlags(
  e: GroupClassEstimates,
  disparities: readonly ClassDisparities[],
  isReference: boolean,
  minGroupSize: number,
): GroupFlag[] {
  const flags: GroupFlag[] = [];
  const rates = [...e.classes, ...(e.accuracy ? [e.accuracy] : [])].flatMap((g) => Object.values(g.rates));
  const thinRate = rates.some(
    (r) => r.value !== null && r.proportion !== null && r.proportion.n < MIN_RATE_DENOMINATOR,
  );
  if (e.rows < minGroupSize || thinRate) flags.push('insufficient_sample');
  if (e.singleClass) flags.push('single_class');
  if (disparities.some((d) => BAND_FLAG_KEYS.some((key) => d[key]?.withinBand === false)))
    flags.push('outside_band');
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
