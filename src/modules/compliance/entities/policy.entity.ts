import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ComplianceThresholds, FrameworkId } from '../../../core/compliance';

/**
 * One version of an organization's compliance policy. Versions are immutable: a change inserts the next
 * version, so every outcome's policyVersion still points at the thresholds that decided it.
 */
@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'pk_policies' })
  organizationId: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_policies' })
  version: number;

  @Column({ type: 'jsonb' })
  frameworks: FrameworkId[];

  /** The full, resolved thresholds of this version (not only the overrides). */
  @Column({ type: 'jsonb' })
  thresholds: Partial<ComplianceThresholds>;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
