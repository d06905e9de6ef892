import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Ed25519 keys that have signed reports. The generated instance key keeps its private key here; a key given
 * through REPORT_SIGNING_KEY is recorded with its public key only, so its reports stay verifiable after a
 * rotation.
 */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  /** First 16 hex digits of the SHA-256 of the public key's SPKI DER. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_signing_keys' })
  id: string;

  @Column({ name: 'public_key_pem', type: 'text' })
  publicKeyPem: string;

  @Column({ name: 'private_key_pem', type: 'text', nullable: true })
  privateKeyPem: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
