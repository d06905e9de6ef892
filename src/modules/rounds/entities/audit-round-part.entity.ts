import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ColumnsUsed } from '../../../core/ingest';

/**
 * One site's part of a round: only the mapped columns, as an encoded batch (core/ingest batch codec, like
 * `audit_data`); the file itself is never kept. Cleared when the round closes: the pooled audit's batch then
 * holds the rows.
 */
@Entity({ name: 'audit_round_parts' })
export class AuditRoundPartEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_round_parts' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ type: 'text' })
  site: string;

  /** csv or parquet. */
  @Column({ type: 'text' })
  format: string;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount: number;

  @Column({ name: 'skipped_rows', type: 'integer', default: 0 })
  skippedRows: number;

  @Column({ name: 'columns_used', type: 'jsonb' })
  columnsUsed: ColumnsUsed;

  /** SHA-256 (hex) of the part's file as received. */
  @Column({ name: 'data_sha256', type: 'text' })
  dataSha256: string;

  @Column({ name: 'format_version', type: 'smallint' })
  formatVersion: number;

  /** Null once the round is closed. */
  @Column({ type: 'bytea', nullable: true, select: false })
  batch: Buffer | null;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
