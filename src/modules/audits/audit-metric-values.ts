import type { FairnessResult, SliceSummary } from '../../core/fairness';

/** One row of audit_metric_values, without the audit's columns (organization, audit, model, time). */
export interface MetricValueRow {
  /** The slice's attributes joined by ',' in the slice's order. */
  slice: string;
  /** null on a summary row. */
  groupKey: Record<string, string> | null;
  /** The group's position in the slice; null on a summary row. */
  groupOrdinal: number | null;
  metric: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** The group's count; null on a summary row. */
  count: number | null;
}

/**
 * The stored results as rows of audit_metric_values (no statistics: values are copied as they are): one per
 * (slice, group, metric present in the group) and one per (slice, summary key). The migration's backfill
 * does the same in SQL.
 */
export function metricValueRows(result: Pick<FairnessResult, 'slices'>): MetricValueRow[] {
  const rows: MetricValueRow[] = [];
  for (const slice of result.slices) {
    const name = slice.attributes.join(',');
    slice.groups.forEach((group, ordinal) => {
      for (const [metric, m] of Object.entries(group.metrics)) {
        rows.push({
          slice: name,
          groupKey: group.key,
          groupOrdinal: ordinal,
          metric,
          value: m.value ?? null,
          ciLow: m.ciLow ?? null,
          ciHigh: m.ciHigh ?? null,
          count: group.count,
        });
      }
    });
    const summary: Partial<Record<keyof SliceSummary, number | null>> = slice.summary;
    for (const [metric, value] of Object.entries(summary)) {
      if (value === undefined) continue;
      rows.push({
        slice: name,
        groupKey: null,
        groupOrdinal: null,
        metric,
        value,
        ciLow: null,
        ciHigh: null,
        count: null,
      });
    }
  }
  return rows;
}

/**
 * Inserts an audit's rows in one statement: $1 organization id, $2 audit id, $3 the rows as a JSON array
 * (JSON.stringify(metricValueRows(results))). Model and time are read from the audit row itself, so `at` is
 * exactly COALESCE(period_end, created_at); one parameter whatever the number of rows.
 */
export const INSERT_METRIC_VALUES_SQL = `
  INSERT INTO "audit_metric_values" ("organization_id", "audit_id", "model_id", "slice", "group_key",
    "group_ordinal", "metric", "value", "ci_low", "ci_high", "count", "at")
  SELECT a."organization_id", a."id", a."model_id", v."slice", v."groupKey", v."groupOrdinal", v."metric",
    v."value", v."ciLow", v."ciHigh", v."count", COALESCE(a."period_end", a."created_at")
  FROM "audits" a
  CROSS JOIN jsonb_to_recordset(CAST($3 AS jsonb)) AS v("slice" text, "groupKey" jsonb,
    "groupOrdinal" integer, "metric" text, "value" double precision, "ciLow" double precision,
    "ciHigh" double precision, "count" integer)
  WHERE a."organization_id" = $1 AND a."id" = $2`;
