import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stored results flattened into one row per (slice, group, metric) and per (slice, summary key), so a
 * model's timeline reads a few index ranges instead of extracting one slice from every audit's ~130 kB
 * results. Rows are written with the audit in the same transaction and never change afterwards (results are
 * immutable). `slice` is the slice's attributes joined by ',' in the slice's order; `group_key` and
 * `group_ordinal` (the group's position in the slice) are NULL on a summary row; `at` is the audit's
 * COALESCE(period_end, created_at). Existing audits are backfilled from their results.
 */
export class AuditMetricValues1764400002000 implements MigrationInterface {
  name = 'AuditMetricValues1764400002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_metric_values" (
        "id" bigint GENERATED ALWAYS AS IDENTITY,
        "organization_id" uuid NOT NULL,
        "audit_id" uuid NOT NULL,
        "model_id" uuid NOT NULL,
        "slice" text NOT NULL,
        "group_key" jsonb,
        "group_ordinal" integer,
        "metric" text NOT NULL,
        "value" double precision,
        "ci_low" double precision,
        "ci_high" double precision,
        "count" integer,
        "at" timestamptz NOT NULL,
        CONSTRAINT "pk_audit_metric_values" PRIMARY KEY ("id"),
        CONSTRAINT "ck_audit_metric_values_group" CHECK (("group_key" IS NULL) = ("group_ordinal" IS NULL)),
        CONSTRAINT "fk_audit_metric_values_audit" FOREIGN KEY ("organization_id", "audit_id") REFERENCES "audits" ("organization_id", "id") ON DELETE CASCADE
      );
      CREATE INDEX "ix_audit_metric_values_timeline"
        ON "audit_metric_values" ("organization_id", "model_id", "slice", "metric", "at", "audit_id");
      CREATE INDEX "ix_audit_metric_values_audit" ON "audit_metric_values" ("organization_id", "audit_id");

      INSERT INTO "audit_metric_values" ("organization_id", "audit_id", "model_id", "slice", "group_key",
        "group_ordinal", "metric", "value", "ci_low", "ci_high", "count", "at")
      SELECT a."organization_id", a."id", a."model_id",
        (SELECT string_agg(n.name, ',' ORDER BY n.i)
           FROM jsonb_array_elements_text(s.value -> 'attributes') WITH ORDINALITY AS n(name, i)),
        g.value -> 'key', (g.i - 1)::integer, m.key,
        (m.value ->> 'value')::double precision,
        (m.value ->> 'ciLow')::double precision,
        (m.value ->> 'ciHigh')::double precision,
        (g.value ->> 'count')::integer,
        COALESCE(a."period_end", a."created_at")
      FROM "audits" a
      CROSS JOIN jsonb_array_elements(a."results" -> 'slices') AS s(value)
      CROSS JOIN jsonb_array_elements(s.value -> 'groups') WITH ORDINALITY AS g(value, i)
      CROSS JOIN jsonb_each(g.value -> 'metrics') AS m(key, value);

      INSERT INTO "audit_metric_values" ("organization_id", "audit_id", "model_id", "slice", "group_key",
        "group_ordinal", "metric", "value", "ci_low", "ci_high", "count", "at")
      SELECT a."organization_id", a."id", a."model_id",
        (SELECT string_agg(n.name, ',' ORDER BY n.i)
           FROM jsonb_array_elements_text(s.value -> 'attributes') WITH ORDINALITY AS n(name, i)),
        NULL, NULL, m.key,
        (m.value #>> '{}')::double precision,
        NULL, NULL, NULL,
        COALESCE(a."period_end", a."created_at")
      FROM "audits" a
      CROSS JOIN jsonb_array_elements(a."results" -> 'slices') AS s(value)
      CROSS JOIN jsonb_each(s.value -> 'summary') AS m(key, value);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_metric_values"`);
  }
}
