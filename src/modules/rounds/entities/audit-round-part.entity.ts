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

  /** People: the rows kept, or with a count column the sum of the counts (as an audit's rowCount). */
  @Column({ name: 'row_count', type: 'integer' })
  rowCount: number;

  /** Rows of the stored batch (with a count column: the cells with a count above 0). */
  @Column({ name: 'batch_rows', type: 'integer' })
  batchRows: number;

  /** With a count column: the cell table's rows kept (0-count rows included), else null. */
  @Column({ name: 'cell_count', type: 'integer', nullable: true })
  cellCount: number | null;

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
