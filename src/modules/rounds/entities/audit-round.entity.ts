import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditConfig } from '../../../core/ingest';

export type RoundStatus = 'open' | 'closed';

/** A federated audit round of a model: the sites expected, the config every part is read with, the outcome. */
@Entity({ name: 'audit_rounds' })
export class AuditRoundEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_rounds' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @Column({ type: 'text' })
  name: string;

  /** The expected sites, in the order their parts are pooled. */
  @Column({ type: 'jsonb' })
  sites: string[];

  /** The pooled audit's config (parsed, with `site` among its attributes when siteAsAttribute). */
  @Column({ type: 'jsonb' })
  config: AuditConfig;

  @Column({ name: 'site_as_attribute', type: 'boolean', default: true })
  siteAsAttribute: boolean;

  @Column({ type: 'text', default: 'open' })
  status: RoundStatus;

  /** The pooled audit, once closed. */
  @Column({ name: 'audit_id', type: 'uuid', nullable: true })
  auditId: string | null;

  /** Sites that had not submitted when the round was closed with allowMissing. */
  @Column({ name: 'missing_sites', type: 'jsonb', default: () => "'[]'::jsonb" })
  missingSites: string[];

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
