/** Inputs and outputs of the health-IT transparency exports (HTI-1 attribute list, CHAI model card). */
import type { ControlOutcome } from '../compliance/types';
import type { Documentation } from '../compliance/documentation';
import type { DriftThresholds } from '../drift/types';
import type { FairnessResult } from '../fairness/types';
import type { DataSource, PrivacyConfig } from '../ingest/audit-config';

export interface ExportAudit {
  id: string;
  name: string | null;
  dataSource: DataSource;
  dataSourceDescription: string | null;
  /** ISO 8601. */
  createdAt: string;
  periodStart: string | null;
  periodEnd: string | null;
  rowCount: number;
  documentation: Documentation;
  results: FairnessResult;
  /** The counts were noised before upload (config.privacy): every export says so. */
  privacy?: PrivacyConfig;
}

/** A regression or multiclass audit, as the exports name it. */
export interface OtherTaskAudit {
  id: string;
  name: string | null;
  task: 'regression' | 'multiclass';
  dataSource: DataSource;
  createdAt: string;
}

export interface ExportModel {
  id: string;
  name: string;
  version: string;
  description: string | null;
  documentation: Documentation;
  createdAt: string;
}

/** Population drift between the latest development audit and the latest local audit (per attribute). */
export interface PopulationDrift {
  baselineAuditId: string;
  auditId: string;
  checks: {
    attributes: string[];
    statistic: string;
    value: number | null;
    status: 'ok' | 'warning' | 'alert';
  }[];
}

export interface ExportInput {
  exportId: string;
  /** ISO 8601: the core never reads the clock. */
  generatedAt: string;
  model: ExportModel;
  /** Every binary audit of the model, any order. */
  audits: ExportAudit[];
  /**
   * The model's regression and multiclass audits: the exports' figures are those of binary audits, so these
   * are named as not summarised (never silently left out).
   */
  otherTaskAudits?: OtherTaskAudit[];
  driftPolicy: { thresholds: DriftThresholds; overridden: boolean };
}

/** One figure of the evidence, at the published precision; suppressed figures are left out, not zeroed. */
export interface EvidenceMetric {
  metric: string;
  attributes?: string[];
  group?: Record<string, string>;
  value: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  /** Only counts of 11 or more (or 0) are shown. */
  count?: number;
  /** Ratio against this reference group. */
  reference?: Record<string, string>;
}

export interface Hti1Evidence {
  auditId: string;
  auditName: string | null;
  dataSource: DataSource;
  /** The end of the audit's period, else the day it was run (ISO 8601). */
  date: string;
  periodStart: string | null;
  periodEnd: string | null;
  /** Null when 1 to 10 (never printed). */
  rowCount: number | null;
  metrics: EvidenceMetric[];
  /** Present when the audit's counts were noised: the mechanism and (ε, δ), in words. */
  privacy?: string;
}

export type Hti1Source = 'audits' | 'documentation' | 'missing';

export interface Hti1Attribute {
  id: string;
  title: string;
  value: string | null;
  source: Hti1Source;
  /** Documentation fields that fill (or would fill) it. */
  documentationFields: string[];
  evidence?: Hti1Evidence[];
}

export interface Hti1Export {
  exportId: string;
  modelId: string;
  model: { name: string; version: string };
  generatedAt: string;
  regulation: string;
  summary: {
    total: number;
    fromAudits: number;
    fromDocumentation: number;
    missing: number;
    /** What is still empty, first, so a compliance officer knows what to write. */
    missingAttributes: { id: string; title: string; documentationFields: string[]; howToFill: string }[];
  };
  attributes: Hti1Attribute[];
  signature: { algorithm: 'Ed25519'; detached: true; verify: string };
}

/** A control outcome of one audit, with the audit it was evaluated on (for the card's known biases). */
export interface AuditControls {
  audit: ExportAudit;
  outcomes: ControlOutcome[];
}
