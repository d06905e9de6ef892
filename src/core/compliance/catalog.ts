import { hti1Paragraph } from '../exports/hti-1-attributes';
import type { RuleSpec } from './rule-spec';
import type { FrameworkId } from './types';

/** Bumped whenever a control, its wording or its rule changes; recorded on every outcome. */
export const CATALOG_VERSION = '2026.12.1';

export interface FrameworkSpec {
  id: FrameworkId;
  name: string;
  /** Edition or citation the controls refer to. */
  version: string;
  description: string;
}

export type EvidenceCode = 'E-GRP' | 'E-IR' | 'E-DRIFT' | 'E-DQ' | 'E-DOC' | 'E-LOG';

export interface ControlSpec {
  framework: FrameworkId;
  /** As the framework writes it. */
  controlId: string;
  title: string;
  description: string;
  /** Evidence codes (compliance-controls.md §0) followed by what exactly is used. */
  evidence: string[];
  rule: RuleSpec;
}

export const FRAMEWORKS: readonly FrameworkSpec[] = [
  {
    id: 'nist-ai-rmf',
    name: 'NIST AI Risk Management Framework',
    version: 'NIST AI 100-1 (AI RMF 1.0, January 2023)',
    description:
      'Voluntary US framework to map, measure and manage the risks of AI systems, including harmful bias.',
  },
  {
    id: 'eu-ai-act',
    name: 'EU Artificial Intelligence Act',
    version: 'Regulation (EU) 2024/1689',
    description:
      'EU law on AI; providers of high-risk systems (e.g. medical devices, access to health services) must manage risk, govern data for bias, log and monitor.',
  },
  {
    id: 'hhs-1557',
    name: 'ACA Section 1557 nondiscrimination rule',
    version: '45 CFR 92.210 (89 FR 37522, May 2024)',
    description:
      'US rule forbidding discrimination through patient care decision support tools on race, color, national origin, sex, age or disability.',
  },
  {
    id: 'onc-hti-1',
    name: 'ONC HTI-1 decision support interventions',
    version: '45 CFR 170.315(b)(11) (89 FR 1192, January 2024)',
    description:
      'US health IT certification criterion requiring source attributes on the fairness, validity and maintenance of predictive decision support.',
  },
  {
    id: 'iso-42001',
    name: 'ISO/IEC 42001 AI management system',
    version: 'ISO/IEC 42001:2023, Annex A',
    description:
      'International management-system standard whose Annex A controls cover impact assessment, validation, monitoring and data quality.',
  },
  {
    id: 'nyc-ll144',
    name: 'NYC Local Law 144 bias audits',
    version: 'NYC Admin. Code 20-870 to 20-874; 6 RCNY 5-300 to 5-304 (2023)',
    description:
      'New York City rules for bias audits of automated decision tools: selection or scoring rates and impact ratios per category, audited yearly.',
  },
  {
    id: 'eeoc-ugesp',
    name: 'EEOC Uniform Guidelines on Employee Selection Procedures',
    version: '29 CFR Part 1607 (1978)',
    description:
      'US federal guidelines whose four-fifths rule of thumb flags adverse impact, tempered by statistical significance and sample size.',
  },
  {
    id: 'hipaa',
    name: 'HIPAA de-identification and the CMS cell-size rule',
    version: '45 CFR 164.514(b); CMS cell size suppression policy (ResDAC, January 2024)',
    description:
      'US privacy rules: de-identified data must follow a documented method, and published counts from 1 to 10 are suppressed.',
  },
];

const R_FAIR: RuleSpec = { kind: 'fairness', gapMetrics: ['false_negative_rate', 'false_positive_rate'] };
const PERFORMANCE_BY_GROUP: RuleSpec = { kind: 'performance', metric: 'roc_auc', perGroup: true };
const CALIBRATION: RuleSpec = { kind: 'calibration' };
const MONITORING: RuleSpec = { kind: 'monitoring' };
const REPRESENTATION: RuleSpec = { kind: 'representation' };
const EV_GRP =
  'E-GRP: per-group counts, selection rates, error rates and AUC with 95% intervals, incl. intersections';
const EV_CAL =
  'E-GRP: calibration by group (TRIPOD+AI 12f): observed/expected ratio and calibration slope with 95% intervals, overall and per group';
const EV_IR =
  'E-IR: impact ratio per group against the most-favoured group, with a Holm-adjusted significance test';
const EV_DRIFT =
  'E-DRIFT: PSI/KS on scores and group mix, and per-group rate changes against the baseline audit';
const EV_DQ = 'E-DQ: group shares against the reference population and the share of missing attribute values';
const EV_LOG = 'E-LOG: input SHA-256, row count, run time, policy version and thresholds';
const doc = (fields: string): string => `E-DOC: ${fields}`;
/** The HTI-1 export's attributes of one paragraph, and what fills them. */
const hti1 = (paragraph: string, from: string): string =>
  `E-DOC: HTI-1 export ${paragraph} attributes filled (${from})`;

export const CONTROLS: readonly ControlSpec[] = [
  // NIST AI RMF 1.0
  {
    framework: 'nist-ai-rmf',
    controlId: 'MAP 1.1',
    title: 'Intended purpose and context documented',
    description:
      'The intended use, the people it is meant for, its users and its setting are written down before the system is judged.',
    evidence: [doc('intendedUse, targetPopulation, users, setting')],
    rule: { kind: 'documentation', fields: ['intendedUse', 'targetPopulation', 'users', 'setting'] },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MAP 2.3',
    title: 'Data representativeness examined',
    description:
      'The test data are checked against the population the model serves, group by group, and for missing values.',
    evidence: [EV_DQ],
    rule: REPRESENTATION,
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.1',
    title: 'Test set, metrics and tools documented',
    description:
      'The test data are identified by hash, size, period and source, so the measurement can be reproduced.',
    evidence: [EV_LOG, 'E-LOG: data period (periodStart, periodEnd)', doc('dataSources, inclusionExclusion')],
    rule: {
      kind: 'all',
      rules: [
        { kind: 'record_keeping', requirePeriod: true },
        { kind: 'documentation', fields: ['dataSources', 'inclusionExclusion'] },
      ],
    },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.3',
    title: 'Performance measured in deployment-like conditions',
    description: 'The model reaches the required AUC on the audited (local) data, overall and in each group.',
    evidence: [EV_GRP],
    rule: PERFORMANCE_BY_GROUP,
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.4',
    title: 'Production behaviour monitored for drift',
    description:
      'Inputs, scores, performance and fairness are compared with the baseline audit and shifts stay within limits.',
    evidence: [EV_DRIFT],
    rule: { kind: 'drift' },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.5',
    title: 'Validity shown and limits documented',
    description:
      'The model is valid overall and per group, and the known limits of its generalisation are written down.',
    evidence: [EV_GRP, doc('knownLimitations')],
    rule: {
      kind: 'all',
      rules: [PERFORMANCE_BY_GROUP, { kind: 'documentation', fields: ['knownLimitations'] }],
    },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.10',
    title: 'Privacy risk examined',
    description:
      'Small counts are suppressed in reports and the de-identification method of the data is recorded.',
    evidence: ['Report setting: counts 1–10 suppressed', doc('deidentificationMethod')],
    rule: {
      kind: 'all',
      rules: [{ kind: 'small_cells' }, { kind: 'documentation', fields: ['deidentificationMethod'] }],
    },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MEASURE 2.11',
    title: 'Fairness and bias evaluated',
    description:
      'Outcome rates, error rates and the calibration of the scores are compared across groups and intersections, with significance and sample size taken into account.',
    evidence: [EV_GRP, EV_IR, EV_CAL],
    rule: { kind: 'all', rules: [R_FAIR, CALIBRATION] },
  },
  {
    framework: 'nist-ai-rmf',
    controlId: 'MANAGE 4.1',
    title: 'Post-deployment monitoring plan followed',
    description:
      'A monitoring plan with a cadence and an accountable owner exists, and the latest audit is within that cadence.',
    evidence: [
      doc('monitoringPlan, monitoringCadence, owner'),
      'E-LOG: date of the latest and the previous audit',
    ],
    rule: { kind: 'all', rules: [MONITORING, { kind: 'documentation', fields: ['owner'] }] },
  },
  // EU AI Act
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 9(8)',
    title: 'Tested against thresholds fixed in advance',
    description:
      'The metrics and thresholds that decide were adopted before the test ran, and the run is logged.',
    evidence: ['E-LOG: policy version and adoption date before the audit time', EV_LOG],
    rule: {
      kind: 'all',
      rules: [{ kind: 'predefined_thresholds' }, { kind: 'record_keeping', requirePeriod: false }],
    },
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 10(2)(f)',
    title: 'Data examined for possible biases',
    description:
      'The data are examined by race, sex and age for under-representation and gaps that could lead to discrimination.',
    evidence: [EV_DQ, 'Audited sensitive attributes'],
    rule: {
      kind: 'all',
      rules: [{ kind: 'attributes_present', attributes: ['race', 'sex', 'age'] }, REPRESENTATION],
    },
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 10(2)(g)',
    title: 'Measures against detected biases',
    description: 'Each disparity the audit finds has a recorded measure to detect, prevent or reduce it.',
    evidence: [EV_IR, doc('mitigations')],
    rule: { kind: 'mitigated', gapMetrics: ['false_negative_rate', 'false_positive_rate'] },
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 10(3)',
    title: 'Data representative and complete',
    description:
      'The data represent the people the system is meant for and attribute values are rarely missing.',
    evidence: [EV_DQ],
    rule: REPRESENTATION,
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 12',
    title: 'Runs automatically logged',
    description: 'Each audit run records what data, settings and time it used, so results can be traced.',
    evidence: [EV_LOG],
    rule: { kind: 'record_keeping', requirePeriod: false },
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 15',
    title: 'Accuracy appropriate and consistent across groups',
    description:
      'The model reaches the required accuracy for every group, its error rates do not differ materially between groups, and its scores are calibrated in every group.',
    evidence: [EV_GRP, EV_CAL],
    rule: {
      kind: 'all',
      rules: [
        PERFORMANCE_BY_GROUP,
        { kind: 'error_rate_gap', metrics: ['false_negative_rate', 'false_positive_rate'] },
        CALIBRATION,
      ],
    },
  },
  {
    framework: 'eu-ai-act',
    controlId: 'Art. 72',
    title: 'Post-market monitoring in place',
    description: 'A post-market monitoring plan runs on schedule and compares each audit with the baseline.',
    evidence: [doc('monitoringPlan, monitoringCadence'), EV_DRIFT],
    rule: { kind: 'all', rules: [MONITORING, { kind: 'drift' }] },
  },
  // HHS Section 1557
  {
    framework: 'hhs-1557',
    controlId: '45 CFR 92.210(a)',
    title: 'No discrimination through the decision support tool',
    description:
      'Outcomes and errors are compared across race, sex and age (and other protected bases where available).',
    evidence: [EV_GRP, EV_IR, 'Audited sensitive attributes'],
    rule: {
      kind: 'all',
      rules: [{ kind: 'attributes_present', attributes: ['race', 'sex', 'age'] }, R_FAIR],
    },
  },
  {
    framework: 'hhs-1557',
    controlId: '45 CFR 92.210(b)',
    title: 'Protected and proxy inputs identified',
    description:
      'An inventory of inputs that measure protected bases, or stand in for them, is kept and reviewed within the year.',
    evidence: [doc('protectedInputs, protectedInputsReviewedAt')],
    rule: { kind: 'documentation', fields: ['protectedInputs'], datedBy: 'protectedInputsReviewedAt' },
  },
  {
    framework: 'hhs-1557',
    controlId: '45 CFR 92.210(c)',
    title: 'Discrimination risk mitigated',
    description:
      'For the protected and proxy inputs found, measures to reduce the risk of discrimination are recorded.',
    evidence: [doc('protectedInputs, mitigations')],
    rule: { kind: 'documentation', fields: ['protectedInputs', 'mitigations'] },
  },
  // ONC HTI-1: each control reads the model's HTI-1 export (core/exports): it passes only when the source
  // attributes of its paragraph are filled, from audits or documentation.
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(1)',
    title: 'Developer and output described',
    description:
      'The developer and its contact, the funding source, the value the intervention produces and the type of output are stated.',
    evidence: [hti1('(B)(1)', 'developer, fundingSource, outputDescription, outputType')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(1)') },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(2)',
    title: 'Intended use described',
    description: 'The intended use, patient population, users and decision-making role are stated.',
    evidence: [hti1('(B)(2)', 'intendedUse, targetPopulation, users, decisionRole')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(2)') },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(3)',
    title: 'Cautioned uses and known risks described',
    description:
      'Where users are cautioned against applying the intervention, and its known risks and limitations (with groups measured outside the fairness band), are stated.',
    evidence: [hti1('(B)(3)', 'cautionedUses, knownLimitations; audits')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(3)') },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(4)',
    title: 'Training data described',
    description:
      "The training data's inclusion criteria, the demographic input features, the demographic representativeness (from a training or internal-test audit) and the data's relevance to the deployed setting are stated.",
    evidence: [hti1('(B)(4)', 'inclusionExclusion, protectedInputs, trainingDataRelevance; audits')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(4)') },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(5)',
    title: 'Approach to fairness described',
    description: "The developer's approach to fair output and to managing and reducing bias is described.",
    evidence: [doc('fairnessApproach, mitigations'), hti1('(B)(5)', 'fairnessApproach, mitigations')],
    rule: {
      kind: 'all',
      rules: [
        { kind: 'documentation', fields: ['fairnessApproach', 'mitigations'] },
        { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(5)') },
      ],
    },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(6)',
    title: 'External testing described',
    description:
      "Where and by whom validity and fairness were tested outside the training data's source, the external data's representativeness and the validation process are stated.",
    evidence: [hti1('(B)(6)', 'externalTester, externalValidationProcess; external audits')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(6)') },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(7)',
    title: 'Validity and fairness quantified',
    description:
      'Validity and fairness are measured on test data for the demographic groups race, ethnicity, sex and age, in internal-test and external data, and evaluations of outcomes are cited.',
    evidence: [
      EV_GRP,
      EV_IR,
      'Audited sensitive attributes',
      hti1('(B)(7)', 'outcomeEvaluations; internal-test and external audits'),
    ],
    rule: {
      kind: 'all',
      rules: [
        { kind: 'attributes_present', attributes: ['race', 'ethnicity', 'sex', 'age'] },
        PERFORMANCE_BY_GROUP,
        R_FAIR,
        { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(7)') },
      ],
    },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(8)',
    title: 'Validity and fairness maintained over time',
    description: 'Validity and fairness are monitored at a stated cadence and hold on the latest local data.',
    evidence: [
      doc('monitoringPlan, monitoringCadence'),
      EV_GRP,
      EV_IR,
      hti1('(B)(8)', 'monitoringPlan, monitoringCadence; local audits'),
    ],
    rule: {
      kind: 'all',
      rules: [MONITORING, R_FAIR, { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(8)') }],
    },
  },
  {
    framework: 'onc-hti-1',
    controlId: '45 CFR 170.315(b)(11)(iv)(B)(9)',
    title: 'Updates and corrections described',
    description:
      'How and how often the intervention is updated, and how often its performance is corrected when validity or fairness risks are found, are stated.',
    evidence: [hti1('(B)(9)', 'updateProcess, correctionProcess')],
    rule: { kind: 'hti1_attributes', attributes: hti1Paragraph('(B)(9)') },
  },
  // ISO/IEC 42001
  {
    framework: 'iso-42001',
    controlId: 'A.5.4',
    title: 'Impact on individuals and groups assessed',
    description: 'The effect of the system on each group of people is assessed from outcome and error rates.',
    evidence: [EV_GRP, EV_IR],
    rule: R_FAIR,
  },
  {
    framework: 'iso-42001',
    controlId: 'A.6.2.4',
    title: 'Verification and validation',
    description: 'The model is validated for performance and for fairness across groups.',
    evidence: [EV_GRP, EV_IR],
    rule: { kind: 'all', rules: [PERFORMANCE_BY_GROUP, R_FAIR] },
  },
  {
    framework: 'iso-42001',
    controlId: 'A.6.2.6',
    title: 'Operation and monitoring',
    description: 'The system is monitored in operation according to a documented plan and cadence.',
    evidence: [doc('monitoringPlan, monitoringCadence')],
    rule: MONITORING,
  },
  {
    framework: 'iso-42001',
    controlId: 'A.7.4',
    title: 'Data quality requirements met',
    description: 'The data meet quality requirements for representativeness and completeness of attributes.',
    evidence: [EV_DQ],
    rule: REPRESENTATION,
  },
  // NYC Local Law 144
  {
    framework: 'nyc-ll144',
    controlId: '6 RCNY 5-301(a)',
    title: 'Bias audit no older than one year',
    description: 'The tool may be used only while its latest bias audit is at most a year old.',
    evidence: ['E-LOG: audit date'],
    rule: { kind: 'audit_age' },
  },
  {
    framework: 'nyc-ll144',
    controlId: '6 RCNY 5-301(b)',
    title: 'Selection rates and impact ratios per category',
    description:
      'Selection rate and impact ratio are reported for sex, race/ethnicity and their intersections; the policy minimum applies because LL144 sets no pass mark.',
    evidence: [EV_IR, 'Audited sensitive attributes'],
    rule: {
      kind: 'all',
      rules: [
        { kind: 'attributes_present', attributes: ['sex', 'race'] },
        { kind: 'impact_ratio', rate: 'selection_rate', requireSignificance: false },
      ],
    },
  },
  {
    framework: 'nyc-ll144',
    controlId: '6 RCNY 5-301(c)',
    title: 'Scoring rates and impact ratios per category',
    description:
      'For scoring tools, the share of each category scoring above the sample median and its impact ratio are reported.',
    evidence: ['E-IR on scoring rates (share above the median score)'],
    rule: { kind: 'impact_ratio', rate: 'scoring_rate', requireSignificance: false },
  },
  // EEOC Uniform Guidelines
  {
    framework: 'eeoc-ugesp',
    controlId: '29 CFR 1607.4(B)',
    title: 'Impact recorded by sex and race/ethnic group',
    description: 'Adverse-impact records are kept for sex and for race and ethnic groups.',
    evidence: [EV_GRP, 'Audited sensitive attributes'],
    rule: { kind: 'attributes_present', attributes: ['sex', 'race', 'ethnicity'] },
  },
  {
    framework: 'eeoc-ugesp',
    controlId: '29 CFR 1607.4(D)',
    title: 'Four-fifths rule for adverse impact',
    description:
      "A group's favourable rate below four-fifths of the highest group's is adverse impact when significant and based on enough people.",
    evidence: [EV_IR],
    rule: { kind: 'impact_ratio', rate: 'selection_rate', requireSignificance: true },
  },
  // HIPAA and CMS
  {
    framework: 'hipaa',
    controlId: '45 CFR 164.514(b)',
    title: 'De-identification method documented',
    description:
      'The audited data were de-identified by safe harbor or expert determination, and the method is recorded.',
    evidence: [doc('deidentificationMethod')],
    rule: { kind: 'documentation', fields: ['deidentificationMethod'] },
  },
  {
    framework: 'hipaa',
    controlId: 'CMS cell size suppression policy',
    title: 'Small counts suppressed',
    description: 'No count from 1 to 10, nor anything that reveals one, appears in a report.',
    evidence: ['Report setting: counts 1–10 suppressed, with complementary suppression'],
    rule: { kind: 'small_cells' },
  },
];

export function frameworkControls(framework: FrameworkId): ControlSpec[] {
  return CONTROLS.filter((c) => c.framework === framework);
}
