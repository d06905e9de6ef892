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
