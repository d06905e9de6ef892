/**
 * Documentation fields (model card / datasheet, evidence code E-DOC) that the catalog's rules read.
 * The API exposes them as optional fields on models and audits; a missing required field fails its control.
 */
export const DOCUMENTATION_FIELDS = {
  intendedUse: 'What the model is for and which decisions it supports.',
  users: 'Who uses the output (e.g. care managers, triage nurses).',
  setting: 'Where it is used (care setting, sites, region).',
  targetPopulation: 'The patients or people the model is meant for.',
  dataSources: 'Where the audited data come from (system, site, extract).',
  inclusionExclusion: 'Who was included in or excluded from the data, and why.',
  fairnessApproach: "The developer's approach to fair output and to managing bias.",
  mitigations: 'What was done or is planned to reduce the disparities found.',
  protectedInputs:
    'Inputs that measure race, color, national origin, sex, age or disability, or act as proxies for them.',
  protectedInputsReviewedAt: 'Date (ISO 8601) the inventory of protected and proxy inputs was last reviewed.',
  knownLimitations: 'Known limits of validity and of generalisation to other groups or settings.',
  monitoringPlan: 'How validity and fairness are monitored after deployment.',
  monitoringCadence: 'How often the audit is re-run, e.g. "monthly", "quarterly", "P90D".',
  deidentificationMethod: 'How the audited data were de-identified (safe harbor or expert determination).',
  owner: 'The person or team accountable for the model.',
  developer: 'Name and contact information of the developer of the intervention (HTI-1 (B)(1)(i)).',
  fundingSource: "Funding source of the intervention's technical implementation (HTI-1 (B)(1)(ii)).",
  outputDescription: 'The value the intervention produces as its output (HTI-1 (B)(1)(iii)).',
  outputType:
    'Whether the output is a prediction, classification, recommendation, evaluation, analysis or other (HTI-1 (B)(1)(iv)).',
  decisionRole:
    'The decision-making role it was designed for: informs, augments or replaces clinical management (HTI-1 (B)(2)(iv)).',
  cautionedUses:
    'Tasks, situations or populations where users are cautioned against applying it (HTI-1 (B)(3)(i)).',
  trainingDataRelevance:
    'How relevant the training data are to the intended deployed setting (HTI-1 (B)(4)(iv)).',
  externalTester: 'The party that conducted the external testing (HTI-1 (B)(6)(ii)).',
  externalValidationProcess: 'How the external validation was done (HTI-1 (B)(6)(iv)).',
  outcomeEvaluations:
    'Citations or links to evaluations of its effect on outcomes (morbidity, mortality, length of stay) (HTI-1 (B)(7)(v)).',
  updateProcess: 'How and how often the intervention is updated (HTI-1 (B)(9)(i)).',
  correctionProcess:
    'How often its performance is corrected when validity or fairness risks are found (HTI-1 (B)(9)(ii)).',
} as const satisfies Record<string, string>;

export type DocumentationField = keyof typeof DOCUMENTATION_FIELDS;

export const DOCUMENTATION_FIELD_NAMES = Object.keys(DOCUMENTATION_FIELDS) as DocumentationField[];

export type Documentation = Partial<Record<DocumentationField, string | null>>;

/** A field counts as documented when it holds some non-blank text. */
export function isDocumented(doc: Documentation, field: DocumentationField): boolean {
  const value = doc[field];
  return typeof value === 'string' && value.trim().length > 0;
}

/** Documentation as stored: the given fields only (undefined entries dropped; null clears a field). */
export function storedDocumentation(doc: object | undefined): Documentation {
  return Object.fromEntries(Object.entries(doc ?? {}).filter(([, v]) => v !== undefined));
}
