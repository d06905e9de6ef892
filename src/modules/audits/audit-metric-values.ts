import type { DataSource } from 'typeorm';
import type { TimelineSlice } from '../../core/drift';
import type { MetricKey, SliceSummary } from '../../core/fairness';
import type { OrgRepository } from '../../common/org-repository';
import type { AuditMetricValueEntity } from './entities/audit-metric-value.entity';

// audit_metric_values: the writer (metricValueRows, INSERT_METRIC_VALUES_SQL, used when an audit is stored)
// and the timeline's readers (readStoredSlices, readSliceValues), side by side so one change sees both.

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
 * What the rows are read from, the same for every task (binary, regression, multiclass): groups with their
 * `{value, ciLow, ciHigh}` metrics, and numeric summary keys (anything else in a summary is not stored).
 */
interface StoredSlice {
  attributes: readonly string[];
  groups: readonly {
    key: Record<string, string>;
    count: number;
    metrics: Partial<Record<string, { value: number | null; ciLow?: number | null; ciHigh?: number | null }>>;
  }[];
  summary: object;
}

/**
 * The stored results as rows of audit_metric_values (no statistics: values are copied as they are): one per
 * (slice, group, metric present in the group) and one per (slice, summary key). The migration's backfill
 * does the same in SQL.
 */
export function metricValueRows(result: { slices: readonly StoredSlice[] }): MetricValueRow[] {
  const rows: MetricValueRow[] = [];
  for (const slice of result.slices) {
    const name = slice.attributes.join(',');
    slice.groups.forEach((group, ordinal) => {
      for (const [metric, m] of Object.entries(group.metrics)) {
        if (m === undefined) continue;
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
    for (const [metric, value] of Object.entries(slice.summary) as [string, unknown][]) {
      if (typeof value !== 'number' && value !== null) continue;
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

/**
 * The distinct slices (as stored) of the model's audits, by a loose index scan of
 * ix_audit_metric_values_timeline: one index probe per slice instead of reading every row.
 */
export async function readStoredSlices(
  dataSource: DataSource,
  organizationId: string,
  modelId: string,
): Promise<string[]> {
  const rows: { slice: string }[] = await dataSource.query(
    `WITH RECURSIVE s("slice") AS (
       SELECT min("slice") FROM "audit_metric_values" WHERE "organization_id" = $1 AND "model_id" = $2
       UNION ALL
       SELECT (SELECT min(v."slice") FROM "audit_metric_values" v
               WHERE v."organization_id" = $1 AND v."model_id" = $2 AND v."slice" > s."slice")
       FROM s WHERE s."slice" IS NOT NULL
     )
     SELECT "slice" FROM s WHERE "slice" IS NOT NULL`,
    [organizationId, modelId],
  );
  return rows.map((row) => row.slice);
}

/**
 * Per audit of the model, its stored slice (one of `slices`, the same slice as stored by different audits)
 * rebuilt from its rows with only `metric` in each group's metrics: the rows of the metric, of `count` (every
 * group has it, so a group without the metric still shows, with null values) and of the summary.
 */
export async function readSliceValues(
  values: OrgRepository<AuditMetricValueEntity>,
  modelId: string,
  slices: readonly string[],
  metric: MetricKey,
): Promise<Map<string, TimelineSlice>> {
  // one row per audit, its values as one JSON array: parsing 20,000 rows field by field costs more than the query
  const rows = await values
    .query('v')
    .select('v.auditId', 'auditId')
    .addSelect('MIN("v"."slice")', 'slice')
    .addSelect(
      `json_agg(json_build_array("v"."group_ordinal", "v"."group_key", "v"."metric", "v"."value",
        "v"."ci_low", "v"."ci_high", "v"."count"))`,
      'values',
    )
    .andWhere('v.modelId = :modelId', { modelId })
    .andWhere('v.slice IN (:...slices)', { slices })
    .andWhere('v.metric IN (:...metrics)', { metrics: [...new Set([metric, 'count', ...SUMMARY_KEYS])] })
    .groupBy('v.auditId')
    .getRawMany<AuditValuesRow>();
  return storedSliceResults(rows, metric);
}

/** An audit's stored values of the slice: [groupOrdinal, groupKey, metric, value, ciLow, ciHigh, count]. */
type StoredValue = [
  number | null,
  Record<string, string> | null,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
];

interface AuditValuesRow {
  auditId: string;
  slice: string;
  values: StoredValue[];
}

/** Every summary key a slice may have (a compile error when SliceSummary gains or loses one). */
const SUMMARY_KEYS = Object.keys({
  demographic_parity_difference: true,
  demographic_parity_ratio: true,
  equalized_odds_difference: true,
  equalized_odds_ratio: true,
  equal_opportunity_difference: true,
  equal_opportunity_ratio: true,
  average_odds_difference: true,
  impact_ratio: true,
  generalized_entropy_index: true,
  theil_index: true,
} satisfies Record<keyof SliceSummary, true>);

/**
 * Per audit, the slice rebuilt from its stored rows with only `metric` in each group's metrics: groups in
 * their stored order (the `count` rows give every group, so one without the metric still shows), the summary
 * from the summary rows.
 */
function storedSliceResults(rows: readonly AuditValuesRow[], metric: MetricKey): Map<string, TimelineSlice> {
  const slices = new Map<string, TimelineSlice>();
  for (const row of rows) {
    const groups: (TimelineSlice['groups'][number] | undefined)[] = [];
    const summary: Record<string, number | null> = {};
    for (const [ordinal, key, name, value, ciLow, ciHigh, count] of row.values) {
      if (ordinal === null || key === null) {
        summary[name] = value;
        continue;
      }
      let group = groups[ordinal];
      if (!group) {
        group = { key, count: count ?? 0, metrics: {} };
        groups[ordinal] = group;
      }
      if (name === metric) group.metrics[metric] = { value, ciLow, ciHigh };
    }
    slices.set(row.auditId, {
      attributes: row.slice.split(','),
      groups: groups.filter((group) => group !== undefined),
      summary: summary as unknown as SliceSummary, // every key the stored summary had
    });
  }
  return slices;
}
