import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Federated audit rounds (issue 20):
 * - `audit_rounds`: a round of a model, the sites expected to submit, the audit config every part is read
 *   with, and once closed the pooled audit;
 * - `audit_round_parts`: one site's part, its mapped columns as an encoded batch (like `audit_data`), until the
 *   round closes and the pooled audit's batch holds them (the part's batch is then cleared). One part per site
 *   (`uq_audit_round_parts_round_site`), so two concurrent submissions of a site cannot both land;
 * - `api_keys.round_id` and `api_keys.site`: a key limited to submitting one site's part of one round (both
 *   set, or neither).
 */
export class AuditRounds1764400022000 implements MigrationInterface {
  name = 'AuditRounds1764400022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_rounds" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "model_id" uuid NOT NULL,
        "name" text NOT NULL,
        "sites" jsonb NOT NULL,
        "config" jsonb NOT NULL,
        "site_as_attribute" boolean NOT NULL DEFAULT true,
        "status" text NOT NULL DEFAULT 'open' CONSTRAINT "ck_audit_rounds_status" CHECK ("status" IN ('open', 'closed')),
        "audit_id" uuid,
        "missing_sites" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "closed_at" timestamptz,
        CONSTRAINT "pk_audit_rounds" PRIMARY KEY ("id"),
        CONSTRAINT "uq_audit_rounds_org_id" UNIQUE ("organization_id", "id"),
        CONSTRAINT "fk_audit_rounds_model" FOREIGN KEY ("organization_id", "model_id") REFERENCES "models" ("organization_id", "id") ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX "ix_audit_rounds_model_created" ON "audit_rounds" ("model_id", "created_at" DESC)`,
    );
    await q.query(`
      CREATE TABLE "audit_round_parts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "round_id" uuid NOT NULL,
        "site" text NOT NULL,
        "format" text NOT NULL,
        "row_count" integer NOT NULL,
        "batch_rows" integer NOT NULL,
        "cell_count" integer,
        "skipped_rows" integer NOT NULL DEFAULT 0,
        "columns_used" jsonb NOT NULL,
        "data_sha256" text NOT NULL,
        "format_version" smallint NOT NULL,
        "batch" bytea,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_audit_round_parts" PRIMARY KEY ("id"),
        CONSTRAINT "uq_audit_round_parts_round_site" UNIQUE ("round_id", "site"),
        CONSTRAINT "fk_audit_round_parts_round" FOREIGN KEY ("organization_id", "round_id") REFERENCES "audit_rounds" ("organization_id", "id") ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE "api_keys" ADD COLUMN "round_id" uuid`);
    await q.query(`ALTER TABLE "api_keys" ADD COLUMN "site" text`);
    await q.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "ck_api_keys_round_site" CHECK (("round_id" IS NULL) = ("site" IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "ck_api_keys_round_site"`);
    await q.query(`ALTER TABLE "api_keys" DROP COLUMN "site"`);
    await q.query(`ALTER TABLE "api_keys" DROP COLUMN "round_id"`);
    await q.query(`DROP TABLE "audit_round_parts"`);
    await q.query(`DROP TABLE "audit_rounds"`);
  }
}
