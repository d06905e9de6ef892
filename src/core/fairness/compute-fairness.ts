import { DomainError } from '../errors';
import { ColumnarBatch } from '../ingest/batch';
import { argsortFloat64, SortedOrder, zCritical } from '../stats';
import { analyseSlices, SliceAnalysis } from './analysis';
import { sliceDisparities, DisparitySettings } from './disparities';
import { GroupEstimates, toMetrics } from './rates';
import { chooseReference, Reference } from './reference';
import { SliceSpec } from './slices';
import { averageOddsDifference, sliceSummary } from './summaries';
import {
  DEFAULT_EVIDENCE_TEST,
  FairnessOptions,
  FairnessResult,
  GroupFlag,
  GroupResult,
  RateKey,
  SliceResult,
} from './types';
import { validateBatch } from './validate-batch';

const DEFAULT_CONFIDENCE = 0.95;
const DEFAULT_BAND: [number, number] = [0.8, 1.25];
const DEFAULT_ALPHA = DEFAULT_EVIDENCE_TEST.alpha;
/** Power of the minimum detectable ratio (metrics.md, "Evidence"). */
const EVIDENCE_POWER = DEFAULT_EVIDENCE_TEST.power;
/** Rates whose ratio outside the fairness band flags a group `outside_band`. */
const BAND_FLAG_KEYS: readonly RateKey[] = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'scoring_rate',
];
/** A reported rate with a smaller (effective) denominator flags the group `insufficient_sample`. */
const MIN_RATE_DENOMINATOR = 5;

/**
 * The fairness metrics of an audit (metrics.md; api-contract.md, GET /v1/audits/{id}/metrics): per group of
 * each sensitive attribute and each intersection, all rates with intervals, disparities against the
 * slice's reference with tests, and slice summaries; plus the whole sample.
 *
 * Cost: see analyseSlices (usually one pass over the rows for the counts of every slice, one radix sort of
 * the scores, and one pass over that order for the AUCs of every group).
 *
 * `scoreOrder` (optional): scoreOrderOf(batch), when the caller has it already (e.g. to share the one sort
 * with computeDrift); it is not sorted again.
 *
 * Weights (optional): every count is a sum of weights, so rates, means and the AUC are weighted;
 * intervals and tests use Kish's effective sizes n = (Σw)²/Σw² (Fisher's test rounds them); `count`,
 * `share`, the minimum group size and the scoring-rate median are about rows.
 *
 * Counts (optional, config.countColumn): row i is counts[i] people; every result equals that of the expanded
 * rows (a count is a weight whose people weigh 1 each, see tally.ts; `count`, `share`, the minimum group size
 * and the median are about people). Never combined with weights.
 */
export function computeFairness(
  batch: ColumnarBatch,
  options: FairnessOptions,
  scoreOrder?: SortedOrder,
): FairnessResult {
  validateBatch(batch);
  const settings = resolveSettings(options);
  const context = { hasLabels: batch.labels !== undefined, hasScores: batch.scores !== undefined };
  const [whole, ...slices] = analyseSlices(
    batch,
    options.intersections,
    context,
    checkedScoreOrder(batch, scoreOrder),
  );
  const overall = whole?.groups[0] as GroupEstimates;
  return {
    overall: { count: overall.rows, metrics: toMetrics(overall, settings.z, context.hasLabels) },
    slices: slices.map((slice) => sliceResult(slice, context.hasLabels, options, settings)),
    labelFree: !context.hasLabels,
    conventions: {
      referenceStrategy: options.reference.strategy,
      favorableOutcome: options.favorableOutcome,
      confidenceLevel: settings.confidenceLevel,
      fairnessBand: settings.fairnessBand,
      minGroupSize: options.minGroupSize,
      missingAttribute: options.missingAttribute,
      intervals: {
        rate: 'wilson',
        difference: 'newcombe',
        ratio: 'koopman',
        auc: 'delong-logit|newcombe-score',
      },
      tests: { proportions: 'two-proportion-z|fisher-exact', adjustment: 'holm' },
      multipleTesting: { method: 'holm', family: settings.multipleTesting },
      evidence: { alpha: settings.alpha, power: settings.power, method: 'two-proportion-z-unpooled' },
    },
  };
}

interface Settings extends DisparitySettings {
  confidenceLevel: number;
}

function resolveSettings(options: FairnessOptions): Settings {
  const confidenceLevel = options.confidenceLevel ?? DEFAULT_CONFIDENCE;
  const fairnessBand = options.fairnessBand ?? DEFAULT_BAND;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const multipleTesting = options.multipleTesting ?? 'metric';
  if (!(alpha > 0 && alpha < 1)) {
    throw new DomainError('invalid_config', 'alpha must lie strictly between 0 and 1', [
      { field: 'alpha', message: 'must be in (0, 1)' },
    ]);
  }
  if (multipleTesting !== 'metric' && multipleTesting !== 'slice') {
    throw new DomainError('invalid_config', 'multipleTesting must be "metric" or "slice"', [
      { field: 'multipleTesting', message: 'must be "metric" or "slice"' },
    ]);
  }
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new DomainError('invalid_config', 'confidenceLevel must lie strictly between 0 and 1', [
      { field: 'confidenceLevel', message: 'must be in (0, 1)' },
    ]);
  }
  if (!(fairnessBand[0] > 0 && fairnessBand[0] <= fairnessBand[1])) {
    throw new DomainError('invalid_config', 'fairnessBand must be [low, high] with 0 < low <= high', [
      { field: 'fairnessBand', message: 'must be [low, high] with 0 < low <= high' },
    ]);
  }
  return {
    confidenceLevel,
    fairnessBand,
    z: zCritical(confidenceLevel),
    favorableOutcome: options.favorableOutcome,
    multipleTesting,
    alpha,
    power: EVIDENCE_POWER,
  };
}

/** The audit's rows in ascending score order (argsortFloat64 of the scores); null without scores. */
export function scoreOrderOf(batch: ColumnarBatch): SortedOrder | null {
  return batch.scores === undefined ? null : argsortFloat64(batch.scores);
}

/** `scoreOrder` after checking it has the batch's length (a 400 otherwise); undefined without scores. */
export function checkedScoreOrder(
  batch: ColumnarBatch,
  scoreOrder: SortedOrder | undefined,
): SortedOrder | undefined {
  if (scoreOrder === undefined || batch.scores === undefined) return undefined;
  if (scoreOrder.order.length !== batch.rowCount || scoreOrder.sorted.length !== batch.rowCount) {
    throw new DomainError(
      'invalid_input',
      `The score order has ${scoreOrder.order.length} rows for ${batch.rowCount}`,
    );
  }
  return scoreOrder;
}

function sliceResult(
  slice: SliceAnalysis,
  hasLabels: boolean,
  options: FairnessOptions,
  settings: Settings,
): SliceResult {
  const { spec } = slice;
  const reference = chooseReference(spec, slice.groups, options);
  const referenceIndex = reference.kind === 'group' ? reference.index : null;
  const referenceEstimates = referenceIndex === null ? slice.totals : slice.groups[referenceIndex];
  const disparities =
    reference.kind === 'none' || referenceEstimates === undefined
      ? slice.groups.map(() => ({}))
      : sliceDisparities(slice.groups, referenceEstimates, referenceIndex, settings);
  const averageOdds = disparities.map(averageOddsDifference);
  const groups = slice.groups.map((estimates, g): GroupResult => {
    const result: GroupResult = {
      key: groupKey(spec, spec.keys[g] ?? []),
      count: estimates.rows,
      share: slice.analysedRows > 0 ? estimates.rows / slice.analysedRows : 0,
      metrics: toMetrics(estimates, settings.z, hasLabels),
      disparities: disparities[g] ?? {},
      flags: groupFlags(estimates, disparities[g] ?? {}, g === referenceIndex, options.minGroupSize),
    };
    if (hasLabels) result.averageOddsDifference = averageOdds[g] ?? null;
    return result;
  });
  const result: SliceResult = {
    attributes: spec.attributes,
    reference: referenceKey(spec, reference),
    groups,
    summary: sliceSummary(slice.groups, disparities, averageOdds, slice.cells, hasLabels),
  };
  if (options.missingAttribute === 'drop' || spec.droppedRows > 0) result.droppedRows = spec.droppedRows;
  return result;
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

function groupFlags(
  estimates: GroupEstimates,
  disparities: Partial<Record<RateKey, { withinBand?: boolean | null }>>,
  isReference: boolean,
  minGroupSize: number,
): GroupFlag[] {
  const flags: GroupFlag[] = [];
  const thinRate = Object.values(estimates.rates).some(
    (r) => r.value !== null && r.proportion !== null && r.proportion.n < MIN_RATE_DENOMINATOR,
  );
  if (estimates.rows < minGroupSize || thinRate) flags.push('insufficient_sample');
  if (estimates.singleClass) flags.push('single_class');
  if (BAND_FLAG_KEYS.some((key) => disparities[key]?.withinBand === false)) flags.push('outside_band');
  if (isReference) flags.push('reference');
  return flags;
}
