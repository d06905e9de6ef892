import type { Documentation } from '../../core/compliance';
import type { DataSource } from '../../core/ingest';
import type { AuditEntity } from './entities/audit.entity';

/**
 * An audit as the rest of the application sees it: its stored fields, read-only. Other modules never hold
 * the entity class (so they cannot save it or query its table); changes go through AuditsService.
 */
export type Audit = Readonly<AuditEntity>;

/** The descriptive fields of an audit that may change (PATCH /v1/audits/{id}); its results never do. */
export interface AuditChanges {
  name?: string | null;
  notes?: string | null;
  /** ISO 8601, or null to clear. */
  periodStart?: string | null;
  periodEnd?: string | null;
  /** HTI-1's setting of the audited data. */
  dataSource?: DataSource;
  dataSourceDescription?: string | null;
  /** Fields given replace the stored ones; null clears a field. */
  documentation?: Documentation;
}

/** An audit's place on its model's timeline. */
export interface AuditTime {
  id: string;
  name: string | null;
  periodEnd: Date | null;
  createdAt: Date;
}

/** What a model's noised audits have spent of its privacy budget (sums of their ε and δ). */
export interface PrivacySpent {
  epsilon: number;
  delta: number;
  /** Noised audits of the model. */
  audits: number;
}
