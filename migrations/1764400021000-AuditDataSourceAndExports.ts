import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HTI-1 data settings and signed transparency exports (issue 21):
 * - audits carry `data_source` (the HTI-1 setting of the audited data: training, internal_test, external or
 *   local; default local, as api-contract "Uploads" says) and a free-text `data_source_description`;
 * - `exports` records every signed HTI-1 attribute list and CHAI model card served, by the SHA-256 of the
 *   exact bytes, so POST /v1/reports/verify can check them like report PDFs.
 */
export class AuditDataSourceAndExports1764400021000 implements MigrationInterface {
  name = 'AuditDataSourceAndExports1764400021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "audits" ADD COLUMN "data_source" text NOT NULL DEFAULT 'local'
         CONSTRAINT "ck_audits_data_source" CHECK ("data_source" IN ('training', 'internal_test', 'external', 'local'))`,
    );
    await q.query(`ALTER TABLE "audits" ADD COLUMN "data_source_description" text`);
    await q.query(
      `UPDATE "audits" SET "data_source" = "config" ->> 'dataSource'
       WHERE "config" ->> 'dataSource' IN ('training', 'internal_test', 'external', 'local')`,
    );
    await q.query(`
      CREATE TABLE "exports" (
        "id" uuid NOT NULL,
        "organization_id" uuid NOT NULL,
        "model_id" uuid NOT NULL,
        "kind" text NOT NULL CONSTRAINT "ck_exports_kind" CHECK ("kind" IN ('hti-1', 'chai-model-card')),
        "media_type" text NOT NULL,
        "sha256" text NOT NULL,
        "signature" text NOT NULL,
        "signing_key_id" text NOT NULL,
        "audit_ids" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_exports" PRIMARY KEY ("id"),
        CONSTRAINT "fk_exports_model" FOREIGN KEY ("organization_id", "model_id") REFERENCES "models" ("organization_id", "id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "ix_exports_organization_sha256" ON "exports" ("organization_id", "sha256")`);
    await q.query(`CREATE INDEX "ix_exports_model_created" ON "exports" ("model_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "exports"`);
    await q.query(`ALTER TABLE "audits" DROP COLUMN "data_source_description"`);
    await q.query(`ALTER TABLE "audits" DROP COLUMN "data_source"`);
  }
}
