/**
 * The 31 source attributes of a predictive decision support intervention, ONC HTI-1,
 * 45 CFR 170.315(b)(11)(iv)(B) (HTI-1 final rule, 89 FR 1192, January 2024), in the regulation's order and
 * wording. Which ones Fairwatch can fill from measured results follows the team's reference list of the
 * attributes (copied into docs/hti-1-exports.md). A public-domain US regulation.
 *
 * `documentation`: the model documentation fields (core/compliance/documentation.ts) that fill the attribute;
 * `measured`: what the audits contribute (see ./hti-1.ts).
 */
import type { DocumentationField } from '../compliance/documentation';

export type Hti1Measure =
  | 'known_risks'
  | 'development_representativeness'
  | 'development_relevance'
  | 'external_setting'
  | 'external_representativeness'
  | 'internal_validity'
  | 'internal_fairness'
  | 'external_validity'
  | 'external_fairness'
  | 'validity_monitoring'
  | 'local_validity'
  | 'fairness_monitoring'
  | 'local_fairness';

export interface Hti1AttributeSpec {
  /** The paragraph, e.g. "(B)(7)(ii)". */
  id: string;
  /** The regulation's words. */
  title: string;
  documentation: DocumentationField[];
  measured?: Hti1Measure;
}

export const HTI1_ATTRIBUTES: readonly Hti1AttributeSpec[] = [
  {
    id: '(B)(1)(i)',
    title: 'Name and contact information for the intervention developer',
    documentation: ['developer'],
  },
  {
    id: '(B)(1)(ii)',
    title: 'Funding source of the technical implementation for the intervention(s) development',
    documentation: ['fundingSource'],
  },
  {
    id: '(B)(1)(iii)',
    title: 'Description of value that the intervention produces as an output',
    documentation: ['outputDescription'],
  },
  {
    id: '(B)(1)(iv)',
    title:
      'Whether the intervention output is a prediction, classification, recommendation, evaluation, analysis, or other type of output',
    documentation: ['outputType'],
  },
  { id: '(B)(2)(i)', title: 'Intended use of the intervention', documentation: ['intendedUse'] },
  {
    id: '(B)(2)(ii)',
    title: "Intended patient population(s) for the intervention's use",
    documentation: ['targetPopulation'],
  },
  { id: '(B)(2)(iii)', title: 'Intended user(s)', documentation: ['users'] },
  {
    id: '(B)(2)(iv)',
    title:
      'Intended decision-making role for which the intervention was designed to be used/for (e.g., informs, augments, replaces clinical management)',
    documentation: ['decisionRole'],
  },
  {
    id: '(B)(3)(i)',
    title:
      'Description of tasks, situations, or populations where a user is cautioned against applying the intervention',
    documentation: ['cautionedUses'],
  },
  {
    id: '(B)(3)(ii)',
    title: 'Known risks, inappropriate settings, inappropriate uses, or known limitations',
    documentation: ['knownLimitations'],
    measured: 'known_risks',
  },
  {
    id: '(B)(4)(i)',
    title: 'Exclusion and inclusion criteria that influenced the training data set',
    documentation: ['inclusionExclusion'],
  },
  {
    id: '(B)(4)(ii)',
    title: 'Use of variables in (b)(11)(iv)(A)(5)-(13) as input features',
    documentation: ['protectedInputs'],
  },
  {
    id: '(B)(4)(iii)',
    title:
      'Description of demographic representativeness according to variables in (A)(5)-(13) including, at a minimum, those used as input features in the intervention',
    documentation: [],
    measured: 'development_representativeness',
  },
  {
    id: '(B)(4)(iv)',
    title: 'Description of relevance of training data to intended deployed setting',
    documentation: ['trainingDataRelevance'],
    measured: 'development_relevance',
  },
  {
    id: '(B)(5)(i)',
    title:
      "Description of the approach the intervention developer has taken to ensure that the intervention's output is fair",
    documentation: ['fairnessApproach'],
  },
  {
    id: '(B)(5)(ii)',
    title: 'Description of approaches to manage, reduce, or eliminate bias',
    documentation: ['mitigations'],
  },
  {
    id: '(B)(6)(i)',
    title:
      "Description of the data source, clinical setting, or environment where an intervention's validity and fairness has been assessed, other than the source of training and testing data",
    documentation: [],
    measured: 'external_setting',
  },
  { id: '(B)(6)(ii)', title: 'Party that conducted the external testing', documentation: ['externalTester'] },
  {
    id: '(B)(6)(iii)',
    title:
      'Description of demographic representativeness of external data according to variables in (A)(5)-(13) including, at a minimum, those used as input features in the intervention',
    documentation: [],
    measured: 'external_representativeness',
  },
  {
    id: '(B)(6)(iv)',
    title: 'Description of external validation process',
    documentation: ['externalValidationProcess'],
  },
  {
    id: '(B)(7)(i)',
    title: 'Validity of intervention in test data derived from the same source as the initial training data',
    documentation: [],
    measured: 'internal_validity',
  },
  {
    id: '(B)(7)(ii)',
    title: 'Fairness of intervention in test data derived from the same source as the initial training data',
    documentation: [],
    measured: 'internal_fairness',
  },
  {
    id: '(B)(7)(iii)',
    title:
      'Validity of intervention in data external to or from a different source than the initial training data',
    documentation: [],
    measured: 'external_validity',
  },
  {
    id: '(B)(7)(iv)',
    title:
      'Fairness of intervention in data external to or from a different source than the initial training data',
    documentation: [],
    measured: 'external_fairness',
  },
  {
    id: '(B)(7)(v)',
    title:
      'References to evaluation of use of the intervention on outcomes, including bibliographic citations or hyperlinks to evaluations of how well the intervention reduced morbidity, mortality, length of stay, or other outcomes',
    documentation: ['outcomeEvaluations'],
  },
  {
    id: '(B)(8)(i)',
    title: "Description of process and frequency by which the intervention's validity is monitored over time",
    documentation: ['monitoringPlan', 'monitoringCadence'],
    measured: 'validity_monitoring',
  },
  {
    id: '(B)(8)(ii)',
    title: 'Validity of intervention in local data',
    documentation: [],
    measured: 'local_validity',
  },
  {
    id: '(B)(8)(iii)',
    title:
      "Description of the process and frequency by which the intervention's fairness is monitored over time",
    documentation: ['monitoringPlan', 'monitoringCadence'],
    measured: 'fairness_monitoring',
  },
  {
    id: '(B)(8)(iv)',
    title: 'Fairness of intervention in local data',
    documentation: [],
    measured: 'local_fairness',
  },
  {
    id: '(B)(9)(i)',
    title: 'Description of process and frequency by which the intervention is updated',
    documentation: ['updateProcess'],
  },
  {
    id: '(B)(9)(ii)',
    title:
      "Description of frequency by which the intervention's performance is corrected when risks related to validity and fairness are identified",
    documentation: ['correctionProcess'],
  },
];

/** The attribute ids of one paragraph, e.g. "(B)(7)" → (B)(7)(i) … (B)(7)(v). */
export function hti1Paragraph(prefix: string): string[] {
  return HTI1_ATTRIBUTES.filter((a) => a.id.startsWith(`${prefix}(`)).map((a) => a.id);
}
