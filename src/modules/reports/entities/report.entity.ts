import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FrameworkId } from '../../../core/compliance';
import type { ReportViewModel, TrailHeadRef } from '../../../core/reports';

/** A signed PDF report of one audit, with the view model it was rendered from. */
@Entity({ name: 'reports' })
export class ReportEntity {
  /** Chosen before rendering, because the PDF prints it. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_reports' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'audit_id', type: 'uuid' })
  auditId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb' })
  frameworks: FrameworkId[];

  @Column({ name: 'policy_version', type: 'integer' })
  policyVersion: number;

  /** SHA-256 (hex) of the PDF bytes. */
  @Column({ type: 'text', unique: true })
  sha256: string;

  /** Ed25519 signature (base64) of the PDF bytes. */
  @Column({ type: 'text' })
  signature: string;

  @Column({ name: 'signing_key_id', type: 'text' })
  signingKeyId: string;

  /** The view model: the JSON form of what the PDF prints. */
  @Column({ type: 'jsonb' })
  content: ReportViewModel;

  /** Not loaded unless selected explicitly (downloads). */
  @Column({ type: 'bytea', select: false })
  pdf: Buffer;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  /** The signed audit-trail head printed in the report's provenance (null for reports made before 1764400003000). */
  @Column({ name: 'trail_head', type: 'jsonb', nullable: true })
  trailHead: TrailHeadRef | null;

  /** Set by the service (the PDF prints it), not by the database default. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
