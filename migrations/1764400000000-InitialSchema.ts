import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The initial schema. Plain SQL in the PostgreSQL 15 dialect (it also runs on embedded PGlite, which is 18).
 * Every tenant-owned table carries organization_id; composite foreign keys keep children in their parent's
 * organization.
 */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "organizations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "is_default" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_organizations" PRIMARY KEY ("id"),
        CONSTRAINT "uq_organizations_name" UNIQUE ("name")
      );
      CREATE UNIQUE INDEX "uq_organizations_default" ON "organizations" ("is_default") WHERE "is_default";

      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "prefix" text NOT NULL,
        "key_hash" text NOT NULL,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz,
        "last_used_at" timestamptz,
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "uq_api_keys_key_hash" UNIQUE ("key_hash"),
        CONSTRAINT "ck_api_keys_role" CHECK ("role" IN ('admin', 'data_scientist', 'compliance_officer', 'viewer')),
        CONSTRAINT "fk_api_keys_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE
      );
      CREATE INDEX "ix_api_keys_organization" ON "api_keys" ("organization_id");

      CREATE TABLE "models" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "name" text NOT NULL,
        "version" text NOT NULL,
        "description" text,
        "documentation" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "baseline_audit_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_models" PRIMARY KEY ("id"),
        CONSTRAINT "uq_models_org_name_version" UNIQUE ("organization_id", "name", "version"),
        CONSTRAINT "uq_models_org_id" UNIQUE ("organization_id", "id"),
        CONSTRAINT "fk_models_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE
      );
      CREATE INDEX "ix_models_org_created" ON "models" ("organization_id", "created_at" DESC, "id" DESC);

      CREATE TABLE "audits" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "model_id" uuid NOT NULL,
        "name" text,
        "notes" text,
        "period_start" timestamptz,
        "period_end" timestamptz,
        "config" jsonb NOT NULL,
        "row_count" integer NOT NULL,
        "skipped_rows" integer NOT NULL DEFAULT 0,
        "first_skipped_rows" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "data_sha256" text NOT NULL,
        "columns_used" jsonb NOT NULL,
        "summary" jsonb NOT NULL,
        "results" jsonb NOT NULL,
        "documentation" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "idempotency_key" text,
        "request_sha256" text,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_audits" PRIMARY KEY ("id"),
        CONSTRAINT "uq_audits_org_id" UNIQUE ("organization_id", "id"),
        CONSTRAINT "uq_audits_org_idempotency_key" UNIQUE ("organization_id", "idempotency_key"),
        CONSTRAINT "ck_audits_row_count" CHECK ("row_count" > 0),
        CONSTRAINT "fk_audits_model" FOREIGN KEY ("organization_id", "model_id") REFERENCES "models" ("organization_id", "id") ON DELETE CASCADE
      );
      CREATE INDEX "ix_audits_model_created" ON "audits" ("organization_id", "model_id", "created_at" DESC, "id" DESC);

      ALTER TABLE "models" ADD CONSTRAINT "fk_models_baseline_audit"
        FOREIGN KEY ("organization_id", "baseline_audit_id") REFERENCES "audits" ("organization_id", "id")
        ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED;

      CREATE TABLE "audit_data" (
        "audit_id" uuid NOT NULL,
        "organization_id" uuid NOT NULL,
        "format_version" smallint NOT NULL,
        "batch" bytea NOT NULL,
        CONSTRAINT "pk_audit_data" PRIMARY KEY ("audit_id"),
        CONSTRAINT "fk_audit_data_audit" FOREIGN KEY ("organization_id", "audit_id") REFERENCES "audits" ("organization_id", "id") ON DELETE CASCADE
      );

      CREATE TABLE "policies" (
        "organization_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "frameworks" jsonb NOT NULL,
        "thresholds" jsonb NOT NULL,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_policies" PRIMARY KEY ("organization_id", "version"),
        CONSTRAINT "fk_policies_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE
      );

      CREATE TABLE "catalog_controls" (
        "catalog_version" text NOT NULL,
        "framework" text NOT NULL,
        "control_id" text NOT NULL,
        "title" text NOT NULL,
        "description" text NOT NULL,
        "evidence" jsonb NOT NULL,
        "rule" jsonb NOT NULL,
        CONSTRAINT "pk_catalog_controls" PRIMARY KEY ("catalog_version", "framework", "control_id")
      );

      CREATE TABLE "reports" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "audit_id" uuid NOT NULL,
        "title" text NOT NULL,
        "frameworks" jsonb NOT NULL,
        "policy_version" integer NOT NULL,
        "sha256" text NOT NULL,
        "signature" text NOT NULL,
        "signing_key_id" text NOT NULL,
        "content" jsonb NOT NULL,
        "pdf" bytea NOT NULL,
        "created_by_key_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_reports" PRIMARY KEY ("id"),
        CONSTRAINT "uq_reports_sha256" UNIQUE ("sha256"),
        CONSTRAINT "fk_reports_audit" FOREIGN KEY ("organization_id", "audit_id") REFERENCES "audits" ("organization_id", "id") ON DELETE CASCADE
      );
      CREATE INDEX "ix_reports_audit" ON "reports" ("organization_id", "audit_id", "created_at" DESC);

      CREATE TABLE "signing_keys" (
        "id" text NOT NULL,
        "public_key_pem" text NOT NULL,
        "private_key_pem" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_signing_keys" PRIMARY KEY ("id")
      );

      CREATE TABLE "audit_events" (
        "seq" bigint NOT NULL,
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid,
        "actor_key_id" uuid,
        "actor_role" text,
        "action" text NOT NULL,
        "object_type" text,
        "object_id" text,
        "request_id" text,
        "outcome" text NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL,
        "prev_hash" text NOT NULL,
        "hash" text NOT NULL,
        CONSTRAINT "pk_audit_events" PRIMARY KEY ("seq"),
        CONSTRAINT "uq_audit_events_id" UNIQUE ("id"),
        CONSTRAINT "uq_audit_events_hash" UNIQUE ("hash")
      );
      CREATE INDEX "ix_audit_events_org_seq" ON "audit_events" ("organization_id", "seq" DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE "audit_events";
      DROP TABLE "signing_keys";
      DROP TABLE "reports";
      DROP TABLE "catalog_controls";
      DROP TABLE "policies";
      DROP TABLE "audit_data";
      ALTER TABLE "models" DROP CONSTRAINT "fk_models_baseline_audit";
      DROP TABLE "audits";
      DROP TABLE "models";
      DROP TABLE "api_keys";
      DROP TABLE "organizations";
    `);
  }
}
