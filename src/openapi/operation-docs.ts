/**
 * The prose of the API reference that the controllers' decorators do not carry: what each operation does
 * (its `description`) and what its success response holds. Kept in one place so it reads as one document;
 * a decorator's own text wins where both exist. `test/integrations.e2e-spec.ts` fails when an operation has
 * no description, no example or an empty response description.
 */
export interface OperationDoc {
  description: string;
  /** The success response's description. */
  success: string;
}

export const OPERATION_DOCS: Readonly<Record<string, OperationDoc>> = {
  getHealth: {
    description:
      'For load balancers and uptime checks: answers without an API key. 200 when the service and its database ' +
      'answer; 503 (problem+json) when the database does not.',
    success: 'The service and its database are up',
  },
  createApiKey: {
    description:
      "Creates a key for the caller's organization with one role (admin, data_scientist, compliance_officer, " +
      'viewer). The key is in this response only: it is stored as a SHA-256 digest and can never be shown again.',
    success: 'The new key, shown this once, with its id (use the id to revoke it)',
  },
  listApiKeys: {
    description:
      "The organization's keys with name, role, creation and last use (written at most once a minute). Keys " +
      'themselves are never returned, only their non-secret prefix.',
    success: "The organization's API keys, newest first",
  },
  revokeApiKey: {
    description:
      "Revokes a key of the caller's organization; requests with it are refused from now on. Recorded in the " +
      'audit trail as api_key.revoked.',
    success: 'Revoked',
  },
  createOrganization: {
    description:
      'Admins of the default organization create further organizations. Each organization sees only its own ' +
      'models, audits, reports, keys and audit trail; the response carries its first admin key, shown once.',
    success: 'The organization and its first admin key (shown once)',
  },
  listAuditEvents: {
    description:
      'Submissions, report creations and downloads, key and policy changes and failed authentications, each ' +
      'with the acting key, role, request id and time. Events are chained by SHA-256 hashes; see ' +
      '/v1/audit-events/verify.',
    success: 'A page of audit events, newest first',
  },
  verifyAuditTrail: {
    description:
      "Recomputes the organization's hash chain from its first event and reports whether any event was " +
      'altered, inserted or removed.',
    success: 'The verification result',
  },
  listModelAudits: {
    description: 'Every audit of the model with its config and summary, paginated with limit and cursor.',
    success: 'A page of audits, newest first',
  },
  getAudit: {
    description:
      'The audit as submitted: row count, SHA-256 of the data received, the applied config (defaults filled in) ' +
      'and a summary (overall rates, per-slice parity ratios, flagged groups). Full results: /metrics.',
    success: 'The audit',
  },
  updateAudit: {
    description:
      'Descriptive fields only: name, notes, the period the data cover and the documentation fields the ' +
      'compliance controls read. The data, the results and the hash of what was received never change.',
    success: 'The updated audit',
  },
  getAuditMetrics: {
    description: 'Overall, per group of every slice, disparities against the reference and slice summaries.',
    success: 'The metrics: overall, then one entry per attribute and per intersection',
  },
  evaluateAuditControls: {
    description: 'Each control with its status, the evidence it read and a rationale in plain words.',
    success: 'One outcome per control of the chosen frameworks',
  },
  getDrift: {
    description:
      'Population, score, label, performance and fairness checks with their statistics and status.',
    success: 'The drift checks and the overall status',
  },
  createReport: {
    description: 'Renders, signs (Ed25519) and stores the PDF; the signature covers the exact bytes.',
    success: 'The report: id, SHA-256 of the PDF and its signature',
  },
  listAuditReports: {
    description: 'The reports made from one audit, with their hashes and signatures, without the PDF bytes.',
    success: 'A page of reports, newest first',
  },
  listFrameworks: {
    description:
      'NIST AI RMF, EU AI Act, HHS Section 1557, ONC HTI-1, ISO/IEC 42001, NYC LL144, EEOC four-fifths and ' +
      'HIPAA/CMS, each with the number of controls Fairwatch maps.',
    success: 'The frameworks',
  },
  listFrameworkControls: {
    description:
      'Every control of a framework as the framework words it, with the evidence it asks for and, where the ' +
      'control can be checked from an audit, the rule that checks it (as data).',
    success: "The framework's controls",
  },
  getMe: {
    description: 'What the calling API key may do: its role, organization and non-secret key prefix.',
    success: 'The caller',
  },
  createModel: {
    description:
      'A model is the unit audits, drift and reports belong to. Name and version are unique within the ' +
      'organization: a second create answers 409; look the model up with GET /v1/models instead.',
    success: 'The registered model',
  },
  listModels: {
    description: "The organization's models with their pinned baseline and documentation, paginated.",
    success: 'A page of models, newest first',
  },
  getModel: {
    description: 'One model with its documentation fields and pinned baseline audit.',
    success: 'The model',
  },
  updateModel: {
    description:
      'Description, intended use, owner and the documentation fields the compliance controls read (training ' +
      'data, known limitations, monitoring plan …). Name and version never change.',
    success: 'The updated model',
  },
  setBaseline: {
    description: 'Later drift requests without ?baseline= compare against this audit.',
    success: 'The model, with its new baselineAuditId',
  },
  clearBaseline: {
    description: 'After this, drift compares each audit with the audit submitted before it.',
    success: 'The model, without a pinned baseline',
  },
  getDriftPolicy: {
    description:
      'The thresholds drift checks use for this model (PSI, KS, JS, p-values, fairness bands): the shipped ' +
      "defaults with the model's overrides applied.",
    success: 'The drift policy in force for the model',
  },
  setDriftPolicy: {
    description: 'Thresholds left out take the shipped defaults.',
    success: 'The drift policy now in force',
  },
  getPrivacyBudget: {
    description:
      "The model's differential-privacy budget and what its noised audits (config.privacy) have spent of it. " +
      'Spending adds up by basic composition: the ε (and δ) of every noised audit of the model are summed.',
    success: 'The budget, spent and remaining (remaining null when no budget is set)',
  },
  setPrivacyBudget: {
    description:
      'Admins only. From now on a noised upload whose ε (or δ) exceeds what remains is refused with 409 and ' +
      'nothing is stored. Without δ the budget admits only ε-DP mechanisms (laplace, geometric). Recorded in ' +
      'the audit trail as model.privacy_budget_set.',
    success: 'The budget now in force, with what was spent and remains',
  },
  getTimeline: {
    description: "One point per audit, oldest first, with each group's value and the slice summary.",
    success: 'The timeline',
  },
  getPolicy: {
    description:
      'The frameworks evaluated by default, alpha, the four-fifths threshold, fairness bands and the ' +
      'small-cell rules that controls and reports use. Version 0 is the shipped default.',
    success: 'The policy in force',
  },
  updatePolicy: {
    description:
      'Stores a new immutable version and makes it the one in force; earlier versions stay readable, so every ' +
      'control outcome can be traced to the policy it was evaluated under.',
    success: 'The new policy version',
  },
  listPolicyVersions: {
    description: "The history of the organization's compliance policy, paginated.",
    success: 'A page of policy versions, newest first',
  },
  getPolicyVersion: {
    description: 'A past or current policy version, as it was stored.',
    success: 'The policy version',
  },
  getSigningKey: {
    description:
      "The Ed25519 public key (SPKI PEM) and its id: anyone can check a report's signature offline with it, " +
      'without calling Fairwatch.',
    success: 'The public signing key',
  },
  verifyReport: {
    description:
      'Send the bytes exactly as downloaded: a report PDF, a model card XML or an HTI-1 export JSON.',
    success: "Whether the bytes are a signed report or export of the caller's organization",
  },
  getReport: {
    description: 'Metadata and JSON view model, or the PDF with Accept: application/pdf.',
    success: 'The report',
  },
  downloadReportPdf: {
    description:
      'The exact bytes that were signed when the report was made; the download is recorded in the audit trail.',
    success: 'The signed PDF',
  },
  exportHti1: {
    description:
      "All 31 source attributes of 45 CFR 170.315(b)(11)(iv)(B) in the regulation's order. Fairness and validity " +
      'in internal-test, external and local data, demographic representativeness, population drift and the ' +
      'monitoring cadence come from the audits whose config.dataSource names that setting, each with its evidence ' +
      "(audit ids, dates, metrics, intervals; small cells suppressed); the rest from the model's documentation; " +
      'empty ones are `missing` and listed first in `summary`. The exact bytes are signed (headers ' +
      'X-Fairwatch-Signature, X-Fairwatch-Signing-Key) and recorded: POST them to /v1/reports/verify.',
    success: 'The HTI-1 source attributes, signed',
  },
  exportChaiModelCard: {
    description:
      'The CHAI Applied Model Card (schema v0.2) as XML: KeyMetrics/FairnessEquity per group from the latest ' +
      'audit of each data setting, known biases from failing or inconclusive controls, ongoing maintenance from ' +
      'the monitoring documentation, the observed audit cadence and the drift policy; a field without data says ' +
      'so in words. Signed like the HTI-1 export (detached Ed25519 in the headers); POST it to /v1/reports/verify.',
    success: 'The model card XML, signed',
  },
  submitAudit: {
    description: 'CSV (multipart) or JSON records/columns.',
    success: 'The audit (also for an idempotent retry)',
  },
};
