import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Documentation } from '../../../core/compliance';
import type { DriftThresholds } from '../../../core/drift';

@Entity({ name: 'models' })
export class ModelEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_models' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Model-card fields the compliance controls read (intended use, owner, monitoring cadence, ...). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  documentation: Documentation;

  /** The audit drift compares against by default. */
  @Column({ name: 'baseline_audit_id', type: 'uuid', nullable: true })
  baselineAuditId: string | null;

  /** Drift thresholds this model overrides (merged over DEFAULT_DRIFT_THRESHOLDS); null = the defaults. */
  @Column({ name: 'drift_policy', type: 'jsonb', nullable: true })
  driftPolicy: Partial<DriftThresholds> | null;

  /** The model's differential-privacy budget: ε that noised uploads may spend in total; null = no limit. */
  @Column({ name: 'privacy_budget_epsilon', type: 'double precision', nullable: true })
  privacyBudgetEpsilon: number | null;

  /** The δ they may spend in total (the Gaussian mechanisms); null = no δ may be spent, unless ε is null too. */
  @Column({ name: 'privacy_budget_delta', type: 'double precision', nullable: true })
  privacyBudgetDelta: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
