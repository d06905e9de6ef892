import type { FairnessResult, MetricValue } from '../../fairness/types';
import { attributesLabel, groupLabel, headCount } from '../format';
import type { ComplianceThresholds } from '../policy';
import type { ControlEvidence } from '../types';
import type { RuleVerdict } from '../rule-spec';
import { verdict, verdictFromFindings, type Finding } from './verdict';

type Result = Pick<FairnessResult, 'overall' | 'slices' | 'labelFree' | 'conventions'>;
type Metric = 'observed_expected_ratio' | 'calibration_slope';

const fmt = (x: number): string => x.toFixed(2);

/** What each side of the band means, in words that are true of the figure. */
const MEANING: Record<Metric, { name: string; low: string; high: string }> = {
  observed_expected_ratio: {
    name: 'an observed/expected ratio',
    low: 'fewer events than its scores predict (the scores overstate its risk)',
    high: 'more events than its scores predict (the scores understate its risk)',
  },
  calibration_slope: {
    name: 'a calibration slope',
    low: 'scores that are too extreme (a slope below 1)',
    high: 'scores that are too moderate (a slope above 1)',
  },
};

/**
 * Calibration by group (TRIPOD+AI 12f; EU AI Act Art. 15 accuracy across groups; NIST MEASURE 2.11): the O/E
 * ratio and the calibration slope of the whole sample and of every group of every slice against the audit's
 * fairness band (default 0.80–1.25, 1 meaning calibrated). Same evidence rules as the other findings:
 * - a group under nMin people, or with fewer than minEvents events, is inconclusive whatever its estimate
 *   (never an alarm on its own);
 * - outside the band with the whole interval outside too: fail; outside the band but the interval reaches
 *   into it: review (the gap could be chance);
 * - inside the band: pass.
 * A slope that could not be fitted (separation) in a group large enough to judge is a review. Not applicable
 * without labels or scores in [0, 1].
 */
export function evaluateCalibration(
  result: Result,
  t: Pick<ComplianceThresholds, 'nMin' | 'minEvents'>,
): RuleVerdict {
  const overall = result.overall.metrics.observed_expected_ratio;
  if (result.labelFree || overall === undefined || overallUnavailable(overall)) {
    return verdict(
      'not_applicable',
      result.labelFree
        ? 'Labels were not supplied, so calibration by group cannot be measured.'
        : overall?.flag === 'scores_outside_unit_interval'
          ? 'The scores are not probabilities (some lie outside 0 to 1), so calibration by group does not apply.'
          : 'The model supplied no scores, so calibration by group does not apply.',
    );
  }
  const [low, high] = result.conventions.fairnessBand;
  const subjects = [
    { attributes: null, key: null, count: result.overall.count, metrics: result.overall.metrics },
    ...result.slices.flatMap((s) =>
      s.groups.map((g) => ({ attributes: s.attributes, key: g.key, count: g.count, metrics: g.metrics })),
    ),
  ];
  const findings = subjects.flatMap((subject) =>
    (['observed_expected_ratio', 'calibration_slope'] as const).flatMap((metric): Finding[] => {
      const m = subject.metrics[metric];
      const where =
        subject.attributes === null
          ? 'Overall'
          : `For ${attributesLabel(subject.attributes)}, the group ${groupLabel(subject.key)}`;
      const events = subject.metrics.base_rate?.numerator ?? null;
      const small = subject.count < t.nMin || (events !== null && events < t.minEvents);
      const evidence: ControlEvidence = {
        metric,
        ...(subject.attributes === null ? {} : { attributes: subject.attributes, group: subject.key }),
        value: m?.value ?? null,
        ciLow: m?.ciLow ?? null,
        ciHigh: m?.ciHigh ?? null,
        threshold: `${fmt(low)}–${fmt(high)}`,
        count: subject.count,
      };
      return finding(metric, m, { where, small, evidence, band: [low, high], count: subject.count });
    }),
  );
  return verdictFromFindings(
    findings,
    `The observed/expected ratio and the calibration slope lie within ${fmt(low)}–${fmt(high)} overall and in every group large enough to judge.`,
  );
}

function overallUnavailable(m: MetricValue): boolean {
  return m.flag === 'scores_outside_unit_interval' || m.flag === 'no_scores_or_labels';
}

function finding(
  metric: Metric,
  m: MetricValue | undefined,
  c: { where: string; small: boolean; evidence: ControlEvidence; band: [number, number]; count: number },
): Finding[] {
  const words = MEANING[metric];
  const value = m?.value ?? null;
  if (value === null) {
    if (m?.flag !== 'slope_not_converged' || c.small) return [];
    return [
      {
        status: 'review',
        evidence: c.evidence,
        sentence: `${c.where} has a calibration slope that could not be estimated, because its scores separate the outcomes perfectly, so a person should review its calibration.`,
      },
    ];
  }
  const [low, high] = c.band;
  const inside = value >= low && value <= high;
  const order = -Math.abs(Math.log(Math.max(value, 1e-9)));
  const estimate = `${c.where} has ${words.name} of ${fmt(value)}`;
  if (c.small) {
    return [
      {
        status: 'inconclusive',
        evidence: c.evidence,
        order,
        sentence: `${estimate}, but with ${headCount(c.count)} people (or too few events) the data cannot show whether its scores are calibrated, so the result is inconclusive.`,
      },
    ];
  }
  if (inside) return [{ status: 'pass', evidence: c.evidence, sentence: '', order }];
  const meaning = value < low ? words.low : words.high;
  const ciLow = m?.ciLow ?? null;
  const ciHigh = m?.ciHigh ?? null;
  const clear = ciLow !== null && ciHigh !== null && (ciHigh < low || ciLow > high);
  return [
    {
      status: clear ? 'fail' : 'review',
      evidence: c.evidence,
      order,
      sentence: clear
        ? `${estimate}, outside the ${fmt(low)}–${fmt(high)} band: ${meaning}, and its whole interval (${fmt(ciLow)}–${fmt(ciHigh)}) lies outside the band.`
        : `${estimate}, outside the ${fmt(low)}–${fmt(high)} band: ${meaning}, though its interval reaches into the band, so a person should review it.`,
    },
  ];
}
