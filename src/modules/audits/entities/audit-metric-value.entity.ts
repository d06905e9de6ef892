import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One stored number of an audit's results, flattened for timelines: a group's metric (value, interval and
 * the group's count) or, with `groupKey` and `groupOrdinal` null, a slice summary entry. Written with the
 * audit (see audit-metric-values.ts) and never changed; the results jsonb stays the source of truth.
 */
@Entity({ name: 'audit_metric_values' })
export class AuditMetricValueEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_audit_metric_values',
  })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'audit_id', type: 'uuid' })
  auditId: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  /** The slice's attributes joined by ',' in the slice's order ("race", "race,sex"). */
  @Column({ type: 'text' })
  slice: string;

  /** The group's key; null on a summary row. */
  @Column({ name: 'group_key', type: 'jsonb', nullable: true })
  groupKey: Record<string, string> | null;

  /** The group's position among the slice's groups (0-based); null on a summary row. */
  @Column({ name: 'group_ordinal', type: 'integer', nullable: true })
  groupOrdinal: number | null;

  /** A metric key (selection_rate, ...) or a summary key (demographic_parity_difference, ...). */
  @Column({ type: 'text' })
  metric: string;

  @Column({ type: 'double precision', nullable: true })
  value: number | null;

  @Column({ name: 'ci_low', type: 'double precision', nullable: true })
  ciLow: number | null;

  @Column({ name: 'ci_high', type: 'double precision', nullable: true })
  ciHigh: number | null;

  /** The group's row count; null on a summary row. */
  @Column({ type: 'integer', nullable: true })
  count: number | null;

  /** The audit's time: COALESCE(period_end, created_at). */
  @Column({ type: 'timestamptz' })
  at: Date;
}
