/** Shapes of the compliance catalog and of a control's verdict (docs/api-contract.md, Compliance). */

export const FRAMEWORK_IDS = [
  'nist-ai-rmf',
  'eu-ai-act',
  'hhs-1557',
  'onc-hti-1',
  'iso-42001',
  'nyc-ll144',
  'eeoc-ugesp',
  'hipaa',
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export type ControlStatus = 'pass' | 'fail' | 'review' | 'not_applicable';

export interface ControlEvidence {
  /** e.g. "selection_rate", "impact_ratio", "drift.status", "documentation.intendedUse". */
  metric: string;
  attributes?: string[];
  group?: Record<string, string>;
  value?: number | string | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  pValue?: number | null;
  threshold?: number | string;
  count?: number;
}

export interface ControlOutcome {
  framework: FrameworkId;
  controlId: string;
  title: string;
  status: ControlStatus;
  evidence: ControlEvidence[];
  /** One plain sentence a non-statistician understands. */
  rationale: string;
  /** The policy version that decided the outcome. */
  policyVersion: number;
  /** The catalog version whose rule decided the outcome (e.g. "2026.11.1"). */
  catalogVersion?: string;
}
