import type { AlignedAttribute } from './aligned-attributes';
import { chiSquareHomogeneity, holm, twoProportionZ } from './hypothesis-tests';
import { jsDistance } from './js-distance';
import { psi } from './psi';
import { groupScope } from './scope';
import { psiStatus, rateChangeStatus } from './status';
import type { DriftCheck, DriftThresholds } from './types';
import { describeRateMove, describeSubject, formatNumber, formatPValue } from './wording';

/**
 * Group mix of each attribute (people: row counts, unweighted, or a cell table's counts; rows with a missing
 * value left out): PSI and Jensen-Shannon distance over the group shares, a chi-square test of homogeneity,
 * and each group's share with a two-proportion z-test (Holm within the attribute). A group absent on one side has share 0 there.
 */
export function populationChecks(attribute: AlignedAttribute, thresholds: DriftThresholds): DriftCheck[] {
  const before = attribute.baseline.rows;
  const after = attribute.current.rows;
  const beforeTotal = before.reduce((sum, c) => sum + c, 0);
  const afterTotal = after.reduce((sum, c) => sum + c, 0);
  if (beforeTotal === 0 || afterTotal === 0) return [];
  const shareChecks = groupShareChecks(attribute, before, after, thresholds);
  const largest = shareChecks.reduce((top, check) => (shareChange(check) > shareChange(top) ? check : top));
  const mixContext = { name: attribute.name, largest };
  return [
    psiMixCheck(
      mixContext,
      before.map((c) => c / beforeTotal),
      after.map((c) => c / afterTotal),
      thresholds,
    ),
    jsMixCheck(mixContext, before, after, thresholds),
    chiSquareMixCheck(mixContext, before, after, thresholds),
    ...shareChecks,
  ];
}

interface MixContext {
  name: string;
  /** The group share check with the largest change, named in the messages. */
  largest: DriftCheck;
}

function psiMixCheck(
  mix: MixContext,
  before: Float64Array,
  after: Float64Array,
  thresholds: DriftThresholds,
): DriftCheck {
  const value = psi(before, after);
  const status = psiStatus(value, thresholds);
  const verdict = status === 'ok' ? 'is stable' : 'changed';
  return {
    kind: 'population',
    attributes: [mix.name],
    statistic: 'psi',
    value,
    status,
    message: `The mix of ${mix.name} groups ${verdict} (PSI ${formatNumber(value)}). ${mix.largest.message}`,
  };
}

function jsMixCheck(
  mix: MixContext,
  before: Float64Array,
  after: Float64Array,
  thresholds: DriftThresholds,
): DriftCheck {
  const value = jsDistance(before, after);
  const status = value >= thresholds.jsWarning ? 'warning' : 'ok';
  return {
    kind: 'population',
    attributes: [mix.name],
    statistic: 'js_distance',
    value,
    status,
    message: `The ${mix.name} mixes of the two audits are ${formatNumber(value)} apart on a scale from 0 (same) to 0.83 (no overlap) (Jensen-Shannon distance; warning from ${formatNumber(thresholds.jsWarning)}).`,
  };
}

/** Significance alone means little on large samples: it warns only when some group's share moved materially. */
function chiSquareMixCheck(
  mix: MixContext,
  before: Float64Array,
  after: Float64Array,
  thresholds: DriftThresholds,
): DriftCheck {
  const test = chiSquareHomogeneity(before, after);
  const significant = test.pValue < thresholds.alpha;
  const material = shareChange(mix.largest) >= thresholds.rateChangeWarning;
  const verdict = significant ? 'more than chance explains' : 'no more than chance explains';
  return {
    kind: 'population',
    attributes: [mix.name],
    statistic: 'chi_square',
    value: test.statistic,
    pValue: test.pValue,
    status: significant && material ? 'warning' : 'ok',
    message: `The ${mix.name} mix differs between the audits ${verdict} (chi-square ${formatNumber(test.statistic)}, ${formatPValue(test.pValue)}).`,
  };
}

function groupShareChecks(
  attribute: AlignedAttribute,
  before: Float64Array,
  after: Float64Array,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const beforeTotal = before.reduce((sum, c) => sum + c, 0);
  const afterTotal = after.reduce((sum, c) => sum + c, 0);
  const tests = attribute.levels.map((_, g) =>
    twoProportionZ(before[g]!, beforeTotal, after[g]!, afterTotal)!,
  );
  const adjusted = holm(tests.map((test) => test.pValue));
  return attribute.levels.map((level, g) => {
    const test = tests[g]!;
    const pValueAdjusted = adjusted[g]!;
    return {
      kind: 'population',
      ...groupScope(attribute.name, level),
      statistic: 'z_test',
      value: test.z,
      pValue: test.pValue,
      pValueAdjusted,
      baseline: test.p1,
      current: test.p2,
      status: rateChangeStatus(test.p2 - test.p1, pValueAdjusted, thresholds),
      message: `The share of ${describeSubject({ [attribute.name]: level })} ${describeRateMove(test.p1, test.p2)}.`,
    };
  });
}

function shareChange(check: DriftCheck): number {
  return Math.abs((check.current ?? 0) - (check.baseline ?? 0));
}
