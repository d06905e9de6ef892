import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One append-only entry of an organization's audit trail, chained to the organization's previous entry by
 * hash (src/core/audit-trail, docs/audit-trail.md).
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  /** Events without an organization (unknown API key) belong to the default organization's chain. */
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'pk_audit_events' })
  organizationId: string;

  /** Position in the organization's chain, 1-based, no gaps (bigint, read as a string). */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_audit_events' })
  seq: string;

  @Column({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id: string;

  @Column({ name: 'actor_key_id', type: 'uuid', nullable: true })
  actorKeyId: string | null;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'object_type', type: 'text', nullable: true })
  objectType: string | null;

  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;

  /** 2: canonical JSON (core/audit-trail). 1: the pre-1764400003000 format, re-chained at the cutover. */
  @Column({ name: 'hash_version', type: 'smallint' })
  hashVersion: number;

  /** For events written before per-organization chains: their global seq and format-1 hash. */
  @Column({ name: 'legacy_seq', type: 'bigint', nullable: true })
  legacySeq: string | null;

  @Column({ name: 'legacy_hash', type: 'text', nullable: true })
  legacyHash: string | null;
}
