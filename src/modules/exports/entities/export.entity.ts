import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ExportKind = 'hti-1' | 'chai-model-card';

/**
 * One signed transparency export as served (HTI-1 attribute list or CHAI model card): the SHA-256 of its exact
 * bytes and their Ed25519 signature, so POST /v1/reports/verify can check a downloaded copy. The bytes
 * themselves are not kept: an export is re-made on request from the audits.
 */
@Entity({ name: 'exports' })
export class ExportEntity {
  /** Chosen before rendering, because the export prints it. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_exports' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @Column({ type: 'text' })
  kind: ExportKind;

  @Column({ name: 'media_type', type: 'text' })
  mediaType: string;

  /** SHA-256 (hex) of the bytes served. */
  @Column({ type: 'text' })
  sha256: string;

  /** Ed25519 signature (base64) of the bytes served, with the report signing key. */
  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'signing_key_id', type: 'text' })
  signingKeyId: string;

  /** The audits the export's measured fields come from. */
  @Column({ name: 'audit_ids', type: 'jsonb', default: () => "'[]'::jsonb" })
  auditIds: string[];

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  /** Set by the service (the export prints it). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
