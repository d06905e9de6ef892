import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../../common/request-context';

@Entity({ name: 'api_keys' })
@Index('ix_api_keys_organization', ['organizationId'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_keys' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** The visible start of the key, e.g. "fw_3k9x2m7q"; safe to show and log. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the whole key (hex). The key itself is never stored. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** A site key: the federated round it may submit to (with `site`), else null. */
  @Column({ name: 'round_id', type: 'uuid', nullable: true })
  roundId: string | null;

  /** A site key: the one site of `roundId` whose part it may submit, else null. */
  @Column({ type: 'text', nullable: true })
  site: string | null;
}
