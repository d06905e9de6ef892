import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FrameworkId, RuleSpec } from '../../../core/compliance';

/** One control of one catalog version, its rule stored as data. Seeded from the core catalog at start-up. */
@Entity({ name: 'catalog_controls' })
export class CatalogControlEntity {
  @PrimaryColumn({ name: 'catalog_version', type: 'text', primaryKeyConstraintName: 'pk_catalog_controls' })
  catalogVersion: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_controls' })
  framework: FrameworkId;

  @PrimaryColumn({ name: 'control_id', type: 'text', primaryKeyConstraintName: 'pk_catalog_controls' })
  controlId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'jsonb' })
  evidence: string[];

  @Column({ type: 'jsonb' })
  rule: RuleSpec;
}
