import type { Disparity } from '../../fairness/types';
import { groupSizeToDetect, minDetectableRatios, twoProportionZ } from '../../stats';
import type {
  MulticlassResult,
  MulticlassSliceResult,
  RegressionResult,
  RegressionSliceResult,
} from '../../tasks/types';
import { attributesLabel, groupLabel, headCount, percent, points, pointLimit } from '../format';
import type { CompliancePolicy } from '../policy';
import type { RuleSpec, RuleVerdict } from '../rule-spec';
import type { Finding } from './verdict';
import { verdict, verdictFromFindings } from './verdict';

/** A result of a task other than binary. */
export type TaskResult = RegressionResult | MulticlassResult;
type Policy = Pick<CompliancePolicy, 'thresholds'>;

/** Statistical power at which an impact ratio counts as detectable (metrics.md, "Evidence"). */
const POWER = 0.8;

/**
 * The rules that read the result, for a regression or multiclass audit; null for the rules that do not
 * depend on the task (documentation, drift, record keeping, representation, ...), which the engine
 * evaluates as for any audit. A rule whose definition needs binary decisions is not_applicable, with why.
 */
export function evaluateTaskRule(spec: RuleSpec, result: TaskResult, policy: Policy): RuleVerdict | null {
  const task = result.task;
  switch (spec.kind) {
    case 'fairness':
      return taskFairness(result, policy);
    case 'impact_ratio':
      return notApplicable(
        spec.rate === 'scoring_rate'
          ? 'Scoring-rate impact ratios (NYC LL144) are defined for binary decisions made from scores'
          : 'The impact ratio of a selection procedure (four-fifths rule, NYC LL144) is defined for binary selection decisions',
        task,
      );
    case 'error_rate_gap':
      return result.task === 'multiclass'
        ? classGapVerdict(result, policy, spec.gapMax ?? policy.thresholds.gapMax)
        : notApplicable('False negative and false positive rates are defined for binary decisions', task);
    case 'performance':
      return notApplicable(
        spec.metric === 'roc_auc'
          ? 'ROC AUC per group is defined for binary decisions with scores'
          : 'Balanced accuracy per group is defined for binary decisions',
        task,
      );
    case 'calibration':
      return notApplicable(
        'Calibration of risk scores (O/E ratio and slope) is defined for binary decisions',
        task,
      );
    case 'mitigated': // the engine's mitigation rule asks taskFairness itself
    case 'all':
    case 'attributes_present':
    case 'audit_age':
    case 'documentation':
    case 'drift':
    case 'hti1_attributes':
    case 'monitoring':
    case 'predefined_thresholds':
    case 'record_keeping':
    case 'representation':
    case 'small_cells':
      return null;
  }
}

function notApplicable(what: string, task: TaskResult['task']): RuleVerdict {
  return verdict(
    'not_applicable',
    `${what}; this audit is a ${task === 'regression' ? 'regression' : 'multiclass classification'}.`,
  );
}

/** HHS 1557 / NIST MEASURE 2.11's fairness evaluation, for each task. */
export function taskFairness(result: TaskResult, policy: Policy): RuleVerdict {
  if (result.slices.length === 0)
    return verdict('review', 'No sensitive attribute was audited, so fairness cannot be judged.');
  return result.task === 'regression'
    ? regressionFairness(result, policy)
    : multiclassFairness(result, policy);
}

// ------------------------------------------------------------------ regression

/**
 * Per group against the reference: (1) the MAE ratio within the audit's fairness band, (2) no material
 * under-prediction: the group's mean error (prediction − target) below the reference's by more than
 * (1 − band low) of the reference's MAE (20% of the typical error with [0.8, 1.25]). Outside the band (or
 * material) and significant (the interval excludes no difference) fails; not significant is a review;
 * inside the band with an interval that reaches past it is inconclusive (the data cannot tell); groups
 * under nMin are reviewed.
 */
function regressionFairness(result: RegressionResult, policy: Policy): RuleVerdict {
  const [low, high] = result.conventions.fairnessBand;
  const findings = result.slices.flatMap((slice) => regressionFindings(slice, [low, high], policy));
  return verdictFromFindings(
    findings,
    `In every group the mean absolute error is within the fairness band [${low}, ${high}] of the reference group's, and no group is under-predicted by ${percent(1 - low)} or more of the reference group's typical error.`,
  );
}

function regressionFindings(slice: RegressionSliceResult, band: [number, number], policy: Policy): Finding[] {
  const { nMin } = policy.thresholds;
  const attrs = attributesLabel(slice.attributes);
  const ref = groupLabel(slice.reference);
  const reference = slice.groups.find((g) => g.flags.includes('reference'));
  const referenceMae = reference?.metrics.mean_absolute_error?.value ?? null;
  return slice.groups.flatMap((g): Finding[] => {
    if (g.flags.includes('reference')) return [];
    const name = groupLabel(g.key);
    const mae = g.disparities.mean_absolute_error;
    const base = { attributes: slice.attributes, group: g.key, count: g.count };
    if (g.count < nMin) {
      return [
        {
          status: 'review',
          evidence: { metric: 'count', ...base, value: g.count, threshold: nMin },
          order: g.count,
          sentence: `For ${attrs}, the group ${name} has ${headCount(g.count)} people, fewer than the ${nMin} needed to judge its errors reliably, so a person should review it.`,
        },
      ];
    }
    return [
      ...(typeof mae?.ratio === 'number'
        ? [
            maeRatioFinding(
              mae,
              band,
              base,
              `For ${attrs}, the mean absolute error of the group ${name}`,
              ref,
            ),
          ]
        : []),
      ...underPredictionFinding(g.disparities.mean_error, referenceMae, band, base, attrs, name, ref),
    ];
  });
}

type Base = { attributes: string[]; group: Record<string, string>; count: number };

function maeRatioFinding(
  d: Disparity,
  [low, high]: [number, number],
  base: Base,
  subject: string,
  ref: string,
): Finding {
  const ratio = d.ratio!;
  const ciLow = d.ratioCiLow ?? null;
  const ciHigh = d.ratioCiHigh ?? null;
  const evidence = {
    metric: 'mean_absolute_error.ratio',
    ...base,
    value: ratio,
    ciLow,
    ciHigh,
    pValue: d.pValueAdjusted ?? d.pValue ?? null,
    threshold: `[${low}, ${high}]`,
  };
  const size = `${percent(ratio)} of the reference group's (${ref})`;
  const order = -Math.abs(Math.log(ratio));
  if (ratio < low || ratio > high) {
    const significant = ciLow !== null && ciHigh !== null && (ciLow > 1 || ciHigh < 1);
    return significant
      ? {
          status: 'fail',
          evidence,
          order,
          sentence: `${subject} is ${size}, outside the fairness band [${low}, ${high}], and the difference is statistically significant.`,
        }
      : {
          status: 'review',
          evidence,
          order,
          sentence: `${subject} is ${size}, outside the fairness band [${low}, ${high}], but the difference is not statistically significant, so a person should review it.`,
        };
  }
  const undecided = (ciLow !== null && ciLow < low) || ciHigh === null || ciHigh > high;
  return undecided
    ? {
        status: 'inconclusive',
        evidence,
        order,
        sentence: `${subject} is ${size}, inside the fairness band [${low}, ${high}], but its interval (${ciLow === null ? '?' : ciLow.toFixed(2)} to ${ciHigh === null ? 'unbounded' : ciHigh.toFixed(2)}) reaches outside the band, so the data cannot show that the errors are comparable; more people in the group would decide it.`,
      }
    : { status: 'pass', evidence, order, sentence: '' };
}

/** Under-prediction of the group relative to the reference, in units of the reference group's MAE. */
function underPredictionFinding(
  d: Disparity | undefined,
  referenceMae: number | null,
  [low]: [number, number],
  base: Base,
  attrs: string,
  name: string,
  ref: string,
): Finding[] {
  if (typeof d?.difference !== 'number' || referenceMae === null || !(referenceMae > 0)) return [];
  const limit = 1 - low;
  const under = -d.difference / referenceMae;
  const evidence = {
    metric: 'mean_error.difference',
    ...base,
    value: d.difference,
    ciLow: d.differenceCiLow ?? null,
    ciHigh: d.differenceCiHigh ?? null,
    pValue: d.pValueAdjusted ?? d.pValue ?? null,
    threshold: -limit * referenceMae,
  };
  if (under < limit) return [{ status: 'pass', evidence, order: limit - under, sentence: '' }];
  const significant = typeof d.differenceCiHigh === 'number' && d.differenceCiHigh < 0;
  const words = `For ${attrs}, the group ${name} is under-predicted relative to the reference group (${ref}) by ${percent(under)} of the reference group's mean absolute error (its mean error is ${Math.abs(d.difference).toPrecision(3)} below the reference group's)`;
  return [
    significant
      ? {
          status: 'fail',
          evidence,
          order: limit - under,
          sentence: `${words}, at least the ${percent(limit)} the fairness band allows, and the difference is statistically significant: the same prediction stands for a larger outcome in this group.`,
        }
      : {
          status: 'review',
          evidence,
          order: limit - under,
          sentence: `${words}, at least the ${percent(limit)} the fairness band allows, but the difference is not statistically significant, so a person should review it.`,
        },
  ];
}

// ------------------------------------------------------------------ multiclass

/**
 * Per class (one-vs-rest): each group's impact ratio (its share predicted as the class over the highest
 * group's, the four-fifths line at irMin), significant below it fails, not significant is a review, above
 * it but unable to detect irMin (80% power) is inconclusive; and each class's true positive rate within
 * gapMax of the reference group's (the binary error-rate gap rule).
 */
function multiclassFairness(result: MulticlassResult, policy: Policy): RuleVerdict {
  const { irMin, gapMax } = policy.thresholds;
  const findings = result.slices.flatMap((slice) =>
    result.classes.flatMap((c) => [
      ...classImpactFindings(slice, c, policy),
      ...classGapFindings(slice, c, ['true_positive_rate'], gapMax, policy),
    ]),
  );
  return verdictFromFindings(
    findings,
    `For every class, every group is predicted into it at ${percent(irMin)} or more of the rate of the group predicted into it most, and each class's true positive rate differs by no more than ${points(gapMax)} from the reference group's.`,
  );
}

function classImpactFindings(slice: MulticlassSliceResult, className: string, policy: Policy): Finding[] {
  const { irMin, alpha, nMin } = policy.thresholds;
  const rows = slice.groups.flatMap((g) => {
    const sr = g.classes[className]?.selection_rate;
    return typeof sr?.value === 'number' && sr.numerator !== undefined && sr.denominator !== undefined
      ? [{ g, rate: sr.value, x: sr.numerator, n: sr.denominator }]
      : [];
  });
  const top = rows.reduce<(typeof rows)[number] | null>(
    (best, r) => (best === null || r.rate > best.rate ? r : best),
    null,
  );
  if (top === null || !(top.rate > 0)) return [];
  const attrs = attributesLabel(slice.attributes);
  const topName = groupLabel(top.g.key);
  return rows.flatMap(({ g, rate, x, n }): Finding[] => {
    if (g === top.g) return [];
    const ir = rate / top.rate;
    const p = twoProportionZ(x, n, top.x, top.n)?.pValue ?? null;
    const seen = minDetectableRatios(top.rate, n, top.n, alpha, POWER);
    const evidence = {
      metric: `class.${className}.impact_ratio`,
      attributes: slice.attributes,
      group: g.key,
      value: ir,
      pValue: p,
      threshold: irMin,
      count: g.count,
      minDetectableRatio: seen?.below ?? null,
    };
    const name = groupLabel(g.key);
    const subject = `For ${attrs}, the group ${name} is predicted as class ${className} at ${percent(ir, irMin)} of the rate of the group predicted so most often (${topName})`;
    if (g.count < nMin)
      return [
        {
          status: 'review',
          evidence,
          order: ir,
          sentence: `For ${attrs}, the group ${name} has ${headCount(g.count)} people, fewer than the ${nMin} needed to judge class ${className} reliably, so a person should review it.`,
        },
      ];
    if (ir < irMin) {
      return p !== null && p < alpha
        ? [
            {
              status: 'fail',
              evidence,
              order: ir,
              sentence: `${subject}, below ${percent(irMin)}, and the difference is statistically significant.`,
            },
          ]
        : [
            {
              status: 'review',
              evidence,
              order: ir,
              sentence: `${subject}, below ${percent(irMin)}, but the difference is not statistically significant, so a person should review it.`,
            },
          ];
    }
    const detectable = seen?.below ?? null;
    if (detectable === null || detectable < irMin) {
      const needed = groupSizeToDetect(irMin, top.rate, top.n, alpha, POWER);
      const more = needed === null ? null : Math.max(1, Math.ceil(needed - n));
      return [
        {
          status: 'inconclusive',
          evidence: { ...evidence, additionalPeopleNeeded: more },
          order: ir,
          sentence: `${subject}, at or above ${percent(irMin)}, but the group is too small for the audit to detect an impact ratio of ${percent(irMin)} (80% power), so the data cannot show that it meets the threshold; ${more === null ? 'the most-favoured group is too small as well' : `about ${more} more people in ${name} would make it conclusive`}.`,
        },
      ];
    }
    return [{ status: 'pass', evidence, order: ir, sentence: '' }];
  });
}

type ClassGapMetric = 'true_positive_rate' | 'false_positive_rate';

/** Each class's one-vs-rest rate of each group vs the reference, with the binary gap rule's statuses. */
function classGapFindings(
  slice: MulticlassSliceResult,
  className: string,
  metrics: ClassGapMetric[],
  gapMax: number,
  policy: Policy,
): Finding[] {
  const { alpha, nMin } = policy.thresholds;
  const attrs = attributesLabel(slice.attributes);
  const ref = groupLabel(slice.reference);
  return metrics.flatMap((metric) =>
    slice.groups.flatMap((g): Finding[] => {
      const d = g.disparities.classes?.[className]?.[metric];
      if (typeof d?.difference !== 'number' || g.flags.includes('reference')) return [];
      const gap = Math.abs(d.difference);
      const p = d.pValueAdjusted ?? d.pValue ?? null;
      const words = metric === 'true_positive_rate' ? 'true positive rate' : 'false positive rate';
      const evidence = {
        metric: `class.${className}.${metric}.difference`,
        attributes: slice.attributes,
        group: g.key,
        value: d.difference,
        ciLow: d.differenceCiLow ?? null,
        ciHigh: d.differenceCiHigh ?? null,
        pValue: p,
        threshold: gapMax,
        count: g.count,
      };
      const order = 1 + gapMax - gap;
      const subject = `For ${attrs}, the ${words} of class ${className} in the group ${groupLabel(g.key)} differs from the reference group (${ref}) by ${points(gap)}`;
      if (gap <= gapMax) return [{ status: 'pass', evidence, order, sentence: '' }];
      if (g.count < nMin)
        return [
          {
            status: 'review',
            evidence,
            order,
            sentence: `For ${attrs}, the group ${groupLabel(g.key)} has ${headCount(g.count)} people, too few to judge its ${points(gap)} gap in the ${words} of class ${className}, so a person should review it.`,
          },
        ];
      if (gap > 2 * gapMax && p !== null && p < alpha)
        return [
          {
            status: 'fail',
            evidence,
            order,
            sentence: `${subject}, more than the ${pointLimit(2 * gapMax)}, and the difference is statistically significant.`,
          },
        ];
      return [
        {
          status: 'review',
          evidence,
          order,
          sentence: `${subject}, more than the ${pointLimit(gapMax)}, so a person should review it.`,
        },
      ];
    }),
  );
}

/** Art. 15-style error-rate gaps for a multiclass audit: each class's TPR and FPR per group. */
function classGapVerdict(result: MulticlassResult, policy: Policy, gapMax: number): RuleVerdict {
  const findings = result.slices.flatMap((slice) =>
    result.classes.flatMap((c) =>
      classGapFindings(slice, c, ['true_positive_rate', 'false_positive_rate'], gapMax, policy),
    ),
  );
  return verdictFromFindings(
    findings,
    `For every class, each group's true and false positive rates stay within ${points(gapMax)} of the reference group's.`,
  );
}
