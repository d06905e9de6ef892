import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Documentation } from '../../../core/compliance';
import type { AuditMetrics } from '../../../core/tasks';
import type { AuditConfig, ColumnsUsed, DataSource } from '../../../core/ingest';

/** One submission of predictions: its config, provenance and full fairness results. */
@Entity({ name: 'audits' })
export class AuditEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audits' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', nullable: true })
  periodEnd: Date | null;

  @Column({ type: 'jsonb' })
  config: AuditConfig;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount: number;

  @Column({ name: 'skipped_rows', type: 'integer', default: 0 })
  skippedRows: number;

  @Column({ name: 'first_skipped_rows', type: 'jsonb', default: () => "'[]'::jsonb" })
  firstSkippedRows: number[];

  /** SHA-256 (hex) of the uploaded bytes as received. */
  @Column({ name: 'data_sha256', type: 'text' })
  dataSha256: string;

  @Column({ name: 'columns_used', type: 'jsonb' })
  columnsUsed: ColumnsUsed;

  /** The headline numbers returned on submission (see AuditSummaryDto). */
  @Column({ type: 'jsonb' })
  summary: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  /** The results of the audit's task (a binary result has no `task` field). */
  results: AuditMetrics;

  /** HTI-1's setting of the audited data (config.dataSource; default local). */
  @Column({ name: 'data_source', type: 'text', default: 'local' })
  dataSource: DataSource;

  /** Free text about the data (config.dataSourceDescription): site, system, extract, who tested. */
  @Column({ name: 'data_source_description', type: 'text', nullable: true })
  dataSourceDescription: string | null;

  /** Datasheet fields of this audit's data (data sources, period, de-identification, ...). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  documentation: Documentation;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the whole request (config + data), to tell an idempotent retry from a different request. */
  @Column({ name: 'request_sha256', type: 'text', nullable: true })
  requestSha256: string | null;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
