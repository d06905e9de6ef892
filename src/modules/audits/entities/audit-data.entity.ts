import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The mapped columns of an audit in compact columnar form (core/ingest batch codec): enough to recompute
 * every statistic exactly, and nothing else. Unmapped columns never get here.
 */
@Entity({ name: 'audit_data' })
export class AuditDataEntity {
  @PrimaryColumn({ name: 'audit_id', type: 'uuid', primaryKeyConstraintName: 'pk_audit_data' })
  auditId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'format_version', type: 'smallint' })
  formatVersion: number;

  @Column({ type: 'bytea' })
  batch: Buffer;
}
