import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One audit-trail chain per organization (docs/audit-trail.md).
 *
 * - `seq` becomes a position in the organization's own chain: the primary key is (organization_id, seq), and
 *   existing events are renumbered 1..n per organization in their old order.
 * - Events with no organization (failed authentication with an unknown key) belong to the default
 *   organization's chain, whose admins run the instance; `organization_id` is NOT NULL from now on.
 * - `hash_version`: 1 = hashed the old way (JSON.stringify of a tuple, with the global seq), 2 = canonical JSON
 *   (src/core/audit-trail). Format-1 hashes cannot be rechecked after PostgreSQL's jsonb has reordered the keys
 *   of `details`, so the application re-chains each organization's format-1 events in format 2 when it
 *   starts (or before its next append) and appends an explicit `audit_trail.cutover` event; `legacy_seq` and
 *   `legacy_hash` keep each old event's global position and old hash for reference.
 * - `reports.trail_head`: the signed head of the organization's trail when the report was made.
 */
export class AuditTrailChains1764400003000 implements MigrationInterface {
  name = 'AuditTrailChains1764400003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO "organizations" ("name", "is_default")
      SELECT 'default', true
      WHERE NOT EXISTS (SELECT 1 FROM "organizations" WHERE "is_default")
        AND EXISTS (SELECT 1 FROM "audit_events" WHERE "organization_id" IS NULL);

      ALTER TABLE "audit_events"
        ADD COLUMN "hash_version" smallint NOT NULL DEFAULT 1,
        ADD COLUMN "legacy_seq" bigint,
        ADD COLUMN "legacy_hash" text;
      ALTER TABLE "audit_events" ALTER COLUMN "hash_version" DROP DEFAULT;
      UPDATE "audit_events" SET
        "legacy_seq" = "seq",
        "legacy_hash" = "hash",
        "organization_id" = COALESCE("organization_id", (SELECT "id" FROM "organizations" WHERE "is_default"));

      ALTER TABLE "audit_events" DROP CONSTRAINT "pk_audit_events";
      DROP INDEX "ix_audit_events_org_seq";
      UPDATE "audit_events" e SET "seq" = r."n"
      FROM (
        SELECT "legacy_seq", row_number() OVER (PARTITION BY "organization_id" ORDER BY "legacy_seq") AS "n"
        FROM "audit_events"
      ) r
      WHERE e."legacy_seq" = r."legacy_seq";
      ALTER TABLE "audit_events" ALTER COLUMN "organization_id" SET NOT NULL;
      ALTER TABLE "audit_events" ADD CONSTRAINT "pk_audit_events" PRIMARY KEY ("organization_id", "seq");
      ALTER TABLE "audit_events" ADD CONSTRAINT "ck_audit_events_hash_version" CHECK ("hash_version" IN (1, 2));
      -- Start-up looks for chains still to cut over: without this, a scan of the whole trail at every start.
      CREATE INDEX "ix_audit_events_legacy" ON "audit_events" ("organization_id") WHERE "hash_version" = 1;

      ALTER TABLE "reports" ADD COLUMN "trail_head" jsonb;
    `);
  }

  /**
   * Back to one global sequence. Old events get their old position and hash back; events written since keep
   * their format-2 hashes, which the previous release cannot verify, and events that had no organization stay
   * in the default organization.
   */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "reports" DROP COLUMN "trail_head";

      DROP INDEX "ix_audit_events_legacy";
      ALTER TABLE "audit_events" DROP CONSTRAINT "ck_audit_events_hash_version";
      ALTER TABLE "audit_events" DROP CONSTRAINT "pk_audit_events";
      ALTER TABLE "audit_events" ALTER COLUMN "organization_id" DROP NOT NULL;
      UPDATE "audit_events" e SET "seq" = r."n"
      FROM (
        SELECT "id", row_number() OVER (ORDER BY "legacy_seq" NULLS LAST, "created_at", "organization_id", "seq") AS "n"
        FROM "audit_events"
      ) r
      WHERE e."id" = r."id";
      UPDATE "audit_events" SET "hash" = "legacy_hash" WHERE "legacy_hash" IS NOT NULL;
      UPDATE "audit_events" e SET "prev_hash" = COALESCE(p."hash", repeat('0', 64))
      FROM "audit_events" x LEFT JOIN "audit_events" p ON p."seq" = x."seq" - 1
      WHERE e."id" = x."id" AND e."legacy_hash" IS NOT NULL;
      ALTER TABLE "audit_events" ADD CONSTRAINT "pk_audit_events" PRIMARY KEY ("seq");
      CREATE INDEX "ix_audit_events_org_seq" ON "audit_events" ("organization_id", "seq" DESC);
      ALTER TABLE "audit_events" DROP COLUMN "hash_version", DROP COLUMN "legacy_seq", DROP COLUMN "legacy_hash";
    `);
  }
}
