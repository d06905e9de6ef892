/**
 * The methodology appendix: the conventions the numbers were computed with, a glossary in plain words, the
 * provenance of the data and the software, and the small-cell suppression statement. Prose, kept apart from the
 * logic that decides what is printed.
 */
import { DEFAULT_EVIDENCE_TEST } from '../fairness/types';
import { privacyMethodology } from '../privacy/statement';
import {
  SUPPRESSED_TEXT,
  UNDEFINED_TEXT,
  formatDate,
  formatNumber,
  formatPercent,
  formatSafeCount,
} from './format';
import type { SuppressionIndex } from './suppression-index';
import type { MethodologyItem, ReportInput, ReportViewModel, TrailHeadRef } from './types';

/**
 * Plain-words meanings of the statistical terms the report uses, printed with the conventions: `alpha` is the
 * policy's significance level, `evidence` the test the minimum detectable ratios were computed with.
 */
const glossary = (alpha: number, evidence: { alpha: number; power: number }): MethodologyItem[] => [
  {
    term: 'Selection rate',
    text: 'The share of a group predicted positive (for example, flagged for follow-up).',
  },
  {
    term: 'TPR (true positive rate)',
    text: 'Of the people who did have the outcome, the share the model flagged. Also called sensitivity or recall.',
  },
  {
    term: 'FPR (false positive rate)',
    text: 'Of the people who did not have the outcome, the share the model flagged anyway.',
  },
  {
    term: 'PPV (positive predictive value)',
    text: 'Of the people flagged, the share who did have the outcome.',
  },
  {
    term: 'AUC',
    text: 'The chance that the model scores a random person with the outcome above a random person without it: 0.5 is no better than chance and 1.0 is a perfect ranking.',
  },
  {
    term: 'Ratio vs reference',
    text: "A group's rate divided by its reference group's: 1.0 is parity, 0.8 means 80% of the reference's rate.",
  },
  {
    term: 'Demographic parity',
    text: 'Equal selection rates across groups. The ratio is the lowest rate over the highest; the difference is highest minus lowest.',
  },
  {
    term: 'Equalized odds',
    text: 'Equal true and false positive rates across groups; the figure shown is the worse of the two gaps (or ratios).',
  },
  { term: 'Equal opportunity', text: 'Equal true positive rates across groups.' },
  {
    term: 'Impact ratio',
    text: "The lowest group's selection rate over the highest group's (NYC Local Law 144; the four-fifths rule compares it with 0.8).",
  },
  {
    term: 'Confidence interval',
    text: 'The range of values the data are consistent with; a narrow interval means a precise estimate, a wide one an uncertain one.',
  },
  {
    term: 'p-value',
    text: `How surprising the observed gap would be if the groups truly had equal rates; below ${alpha} (after adjustment for testing many groups) is called statistically significant.`,
  },
  {
    term: 'Minimum detectable ratio',
    text: `The smallest ratio to the reference this audit's group sizes could tell apart from parity (two-sided test at α = ${evidence.alpha}, ${formatPercent(evidence.power)} power). A threshold inside that range cannot be decided: the control is inconclusive.`,
  },
  {
    term: 'Inconclusive',
    text: 'The data cannot decide the control either way; the rationale says how many more people in which group would decide it.',
  },
  {
    term: 'Drift (PSI, KS)',
    text: 'How much a distribution moved between this audit and its baseline: population stability index and Kolmogorov–Smirnov distance; larger means more change.',
  },
];

export const SUPPRESSION_STATEMENT =
  'Small cells are suppressed following the CMS cell-size suppression policy: no count from 1 to 10 is printed in this report, nor any figure from which such a count could be worked out. Such counts are shown as "≤10"; rates whose numerator, denominator or their difference is from 1 to 10 are shown as "suppressed"; where only one group of a slice would be hidden, the next-smallest group is hidden too, so that it cannot be recovered from the totals. Zero counts are shown.';

export function buildMethodology(input: ReportInput, idx: SuppressionIndex): ReportViewModel['methodology'] {
  const c = input.result.conventions;
  const strategyText: Record<typeof c.referenceStrategy, string> = {
    largest: 'the largest group of each slice (most rows; ties go to the first by name)',
    most_favorable:
      'the group with the highest favourable selection rate in each slice (as in the four-fifths rule and NYC LL144)',
    overall: 'the whole analysed slice',
    explicit: `groups named in the audit configuration${
      input.audit.config.reference.groups
        ? ` (${Object.entries(input.audit.config.reference.groups)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')})`
        : ''
    }`,
  };
  const conf = `${Math.round(c.confidenceLevel * 100)}%`;
  const conventions: MethodologyItem[] = [
    {
      term: 'Reference group',
      text: `Each group is compared with ${strategyText[c.referenceStrategy]}. A ratio of 1 means parity.`,
    },
    {
      term: 'Favourable outcome',
      text:
        c.favorableOutcome === 'positive'
          ? 'A positive prediction benefits the person (for example a referral); the selection rate is the share predicted positive.'
          : 'A negative prediction benefits the person; impact ratios use the favourable rate, 1 − selection rate.',
    },
    {
      term: 'Intervals',
      text: `${conf} intervals: Wilson score for rates, Newcombe hybrid score for differences of rates, Koopman score for ratios (defined when a group has no events), DeLong (logit scale) for AUC, or Newcombe's score-type interval where DeLong's variance is 0 (perfect separation in a small group). Shown as "value (low–high)".`,
    },
    ...(input.audit.config.privacy
      ? [{ term: 'Differential privacy', text: privacyMethodology(input.audit.config.privacy) }]
      : []),
    {
      term: 'Tests',
      text: `A group is compared with its reference by a two-sided two-proportion z-test, or Fisher's exact test when an expected cell is below 5; p-values are adjusted with Holm's method ${c.multipleTesting?.family === 'slice' ? 'over all the tests of each slice together' : 'within each slice and metric'}. "Statistically significant" means adjusted p < ${input.alpha}.`,
    },
    {
      term: 'Fairness band',
      text: `A ratio inside ${c.fairnessBand[0]}–${c.fairnessBand[1]} (inclusive) counts as within the band; the lower limit 0.8 is the four-fifths rule of 29 CFR 1607.4(D).`,
    },
    {
      term: 'Minimum group size',
      text: `Groups with fewer than ${c.minGroupSize} rows, or a rate denominator below 5, are flagged "small sample"; their results are uncertain.`,
    },
    {
      term: 'Decision threshold',
      text:
        input.audit.config.threshold !== undefined
          ? `Scores at or above ${formatNumber(input.audit.config.threshold)} count as a positive prediction when no prediction column is given.`
          : 'Predictions were given directly.',
    },
    {
      term: 'Missing attribute values',
      text:
        c.missingAttribute === 'group'
          ? 'Missing values form their own group, "Unknown".'
          : "Rows missing an attribute are left out of that attribute's slices.",
    },
    {
      term: 'Undefined values',
      text: `"${UNDEFINED_TEXT}" marks a value that cannot be computed for the group (for example a rate with no one in its denominator).`,
    },
    {
      term: 'Policy and catalog',
      text: `Controls were decided by policy version ${input.policyVersion} against control catalog ${input.catalogVersion}.`,
    },
    ...glossary(input.alpha, c.evidence ?? DEFAULT_EVIDENCE_TEST),
  ];
  const provenance = buildProvenance(input, idx.totalSuppressed, input.result.overall.count);
  return { conventions, provenance, suppressionStatement: SUPPRESSION_STATEMENT };
}

/** The provenance of the data and the software: the same for every task. */
export function buildProvenance(
  input: Pick<ReportInput, 'audit' | 'model' | 'softwareVersion' | 'trailHead'>,
  totalSuppressed: boolean,
  analysed: number,
): MethodologyItem[] {
  const cols = input.audit.columnsUsed;
  const overallCount = totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(analysed);
  return [
    {
      term: 'Audit',
      text: `${input.audit.name ? `${input.audit.name}, ` : ''}ID ${input.audit.id}, submitted ${formatDate(input.audit.createdAt)}`,
    },
    {
      term: 'Rows',
      // With a count column the audit's rowCount is people (the counts summed), not rows of the upload.
      text: cols.count
        ? `${totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.audit.rowCount)} people uploaded as a table of counts (column ${cols.count}: each row stands for that many people); ${overallCount} analysed`
        : `${totalSuppressed ? SUPPRESSED_TEXT : formatSafeCount(input.audit.rowCount)} rows uploaded; ${overallCount} analysed`,
    },
    { term: 'Data SHA-256', text: input.audit.dataSha256 },
    {
      term: 'Columns used',
      text: [
        cols.target ? `target: ${cols.target}` : null,
        cols.label ? `label: ${cols.label}` : null,
        cols.prediction ? `prediction: ${cols.prediction}` : null,
        cols.score ? `score: ${cols.score}` : null,
        cols.count ? `count: ${cols.count}` : null,
        `sensitive attributes: ${cols.attributes.join(', ')}`,
      ]
        .filter((x): x is string => x !== null)
        .join('; '),
    },
    {
      term: 'Other columns',
      text: 'Only the columns above were stored; every other column of the upload was discarded.',
    },
    { term: 'Software', text: `Fairwatch ${input.softwareVersion}` },
    ...(input.trailHead ? [trailHeadItem(input.trailHead)] : []),
    ...(input.model.id ? [exportsItem(input.model.id)] : []),
  ];
}

/** The audit-trail head, printed in full so a reader can send it back to POST /v1/audit-events/verify. */
/** Where the model's signed health-IT transparency exports are (docs/hti-1-exports.md). */
function exportsItem(modelId: string): MethodologyItem {
  return {
    term: 'Transparency exports',
    text:
      `The model's ONC HTI-1 source attributes (GET /v1/models/${modelId}/exports/hti-1, JSON) and its CHAI ` +
      `Applied Model Card (GET /v1/models/${modelId}/exports/chai-model-card, XML), built from all of its audits ` +
      'and signed with the same key as this report; POST a downloaded copy to /v1/reports/verify to check it.',
  };
}

function trailHeadItem(h: TrailHeadRef): MethodologyItem {
  const event =
    h.seq === '0'
      ? 'The audit trail was empty (seq 0)'
      : `Audit trail event ${h.seq}${h.createdAt ? ` of ${h.createdAt}` : ''}, hash ${h.hash}`;
  return {
    term: 'Audit trail head',
    text: `${event}. Ed25519 signature ${h.signature} (key ${h.keyId}) over the organization, seq and hash. Send it to POST /v1/audit-events/verify to prove the trail up to this event is unchanged.`,
  };
}
