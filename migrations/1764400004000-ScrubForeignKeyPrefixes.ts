import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bootstrap key that is not in the `fw_<8>_<43>` format (an operator's ADMIN_API_KEY) used to be stored
 * with its first 8 characters as its visible prefix, and so was shown by GET /v1/api-keys and /v1/me: part of
 * a secret the operator chose. Those prefixes become the label 'ADMIN_API_KEY', as new ones are written.
 *
 * The uniqueness the replicas rely on is already in the initial schema (uq_models_org_name_version,
 * uq_audits_org_idempotency_key, uq_api_keys_key_hash, uq_organizations_name, uq_organizations_default,
 * pk_catalog_controls, pk_signing_keys); test/replicas.e2e-spec.ts checks they exist.
 *
 * Down changes nothing: the old prefixes are not recoverable, and were a leak.
 */
export class ScrubForeignKeyPrefixes1764400004000 implements MigrationInterface {
  name = 'ScrubForeignKeyPrefixes1764400004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "api_keys" SET "prefix" = 'ADMIN_API_KEY' WHERE "prefix" !~ '^fw_[A-Za-z0-9_-]{8}$'`,
    );
  }

  async down(): Promise<void> {
    // Irreversible by design (see above).
  }
}
