import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { buildTimeline, computeDrift, sliceId, type TimelineSlice } from '../../core/drift';
import { DomainError } from '../../core/errors';
import { METRIC_KEYS, type MetricKey, type SliceSummary } from '../../core/fairness';
import { currentPrincipal } from '../../common/request-context';
import { AuditsService } from '../audits/audits.service';
import type { AuditEntity } from '../audits/entities/audit.entity';
import { AuditTrailService } from '../auth/audit-trail.service';
import type { ModelEntity } from '../models/entities/model.entity';
import { ModelsService } from '../models/models.service';
import { assertValidThresholds, effectiveThresholds, policyOverrides } from './drift-policy';
import { toDriftPolicyDto, toDriftReportDto } from './drift.mapper';
import type { BaselineSource, DriftReportDto } from './dto/drift.dto';
import type { DriftPolicyDto, DriftPolicyResponseDto } from './dto/drift-policy.dto';
import type { TimelineDto, TimelineQueryDto } from './dto/timeline.dto';

/**
 * Drift between audits of one model, the model's baseline and drift thresholds, and metric timelines.
 * The statistics are core/drift's; this service loads what they need and stores the model's choices.
 */
@Injectable()
export class DriftService {
  constructor(
    private readonly models: ModelsService,
    private readonly audits: AuditsService,
    private readonly trail: AuditTrailService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Pins an audit of the model as its drift baseline (404 unknown audit; 400 an audit of another model). */
  setBaseline(modelId: string, auditId: string): Promise<ModelEntity> {
    return this.dataSource.transaction(async (m) => {
      const model = await this.models.get(modelId, m);
      const audit = await this.audits.audits.with(m).findOne({ id: auditId });
      if (!audit) {
        throw new DomainError('not_found', `Audit ${auditId} not found.`, [
          { field: 'auditId', message: 'no such audit' },
        ]);
      }
      if (audit.modelId !== model.id) {
        throw new DomainError('invalid_input', `auditId: audit ${auditId} is an audit of another model.`, [
          { field: 'auditId', message: `audit ${auditId} does not belong to model ${modelId}` },
        ]);
      }
      return this.pinBaseline(model, auditId, m);
    });
  }

  /** Unpins the baseline: drift falls back to the previous audit. */
  clearBaseline(modelId: string): Promise<ModelEntity> {
    return this.dataSource.transaction(async (m) => {
      const model = await this.models.get(modelId, m);
      return this.pinBaseline(model, null, m);
    });
  }

  /** Sets (or, with null, clears) the model's baseline and records the change in the audit trail. */
  private async pinBaseline(
    model: ModelEntity,
    auditId: string | null,
    m: EntityManager,
  ): Promise<ModelEntity> {
    const previous = model.baselineAuditId;
    const saved = await this.models.setBaseline(model.id, auditId, m);
    await this.trail.record(
      {
        action: 'model.baseline_set',
        objectType: 'model',
        objectId: model.id,
        details: { auditId, previousAuditId: previous },
      },
      m,
    );
    return saved;
  }

  async getPolicy(modelId: string): Promise<DriftPolicyResponseDto> {
    const model = await this.models.get(modelId);
    return toDriftPolicyDto(
      model.id,
      policyOverrides(model.driftPolicy),
      effectiveThresholds(model.driftPolicy),
    );
  }

  /** Replaces the model's overrides ({} = the defaults); the thresholds in force must be consistent. */
  setPolicy(modelId: string, dto: DriftPolicyDto): Promise<DriftPolicyResponseDto> {
    const overrides = policyOverrides(dto);
    const thresholds = effectiveThresholds(overrides);
    assertValidThresholds(thresholds);
    return this.dataSource.transaction(async (m) => {
      const model = await this.models.get(modelId, m);
      model.driftPolicy = Object.keys(overrides).length > 0 ? overrides : null;
      await m.save(model);
      await this.trail.record(
        {
          action: 'policy.updated',
          objectType: 'model',
          objectId: modelId,
          details: { policy: 'drift', overrides },
        },
        m,
      );
      return toDriftPolicyDto(model.id, overrides, thresholds);
    });
  }

  /**
   * Drift of an audit against ?baseline, else the pinned baseline (when it is another audit), else the
   * previous audit of the model. With none of them: status ok, no checks, baselineSource "none".
   */
  async drift(auditId: string, baselineId?: string): Promise<DriftReportDto> {
    const audit = await this.audits.get(auditId);
    const model = await this.models.get(audit.modelId);
    const thresholds = effectiveThresholds(model.driftPolicy);
    const { baseline, source } = await this.resolveBaseline(audit, model, baselineId);
    if (!baseline) {
      return toDriftReportDto({
        auditId,
        baselineAuditId: null,
        baselineSource: 'none',
        thresholds,
        report: { status: 'ok', checks: [] },
        isPinnedBaseline: model.baselineAuditId === audit.id,
      });
    }
    const [baselineRows, currentRows] = await Promise.all([
      this.audits.loadBatchInScoreOrder(baseline.id),
      this.audits.loadBatchInScoreOrder(audit.id),
    ]);
    const report = computeDrift(
      { ...baselineRows, result: baseline.results },
      { ...currentRows, result: audit.results },
      thresholds,
    );
    return toDriftReportDto({
      auditId,
      baselineAuditId: baseline.id,
      baselineSource: source,
      thresholds,
      report,
    });
  }

  private async resolveBaseline(
    audit: AuditEntity,
    model: ModelEntity,
    baselineId?: string,
  ): Promise<{ baseline: AuditEntity | null; source: BaselineSource }> {
    if (baselineId !== undefined) {
      const baseline = await this.audits.audits.findOne({ id: baselineId });
      if (!baseline) {
        throw new DomainError('not_found', `Baseline audit ${baselineId} not found.`, [
          { field: 'baseline', message: 'no such audit' },
        ]);
      }
      if (baseline.modelId !== audit.modelId) {
        throw new DomainError(
          'invalid_input',
          `baseline: audit ${baselineId} is an audit of another model.`,
          [{ field: 'baseline', message: `audit ${baselineId} does not belong to model ${audit.modelId}` }],
        );
      }
      return { baseline, source: 'query' };
    }
    if (model.baselineAuditId !== null && model.baselineAuditId !== audit.id) {
      const pinned = await this.audits.audits.findOne({ id: model.baselineAuditId });
      if (pinned) return { baseline: pinned, source: 'pinned' };
    }
    const previous = await this.audits.previous(audit);
    return previous ? { baseline: previous, source: 'previous' } : { baseline: null, source: 'none' };
  }

  /**
   * One point per audit of the model, oldest first, from the stored results (never recomputed), read from
   * audit_metric_values (the results flattened when the audit was stored): the requested slice's rows of the
   * metric, of `count` (every group has it, so a group without the metric still shows, with null values) and
   * of the summary. A full result is ~130 kB of JSON; extracting one slice from 1,000 of them cost ~0.5 s.
   */
  async timeline(modelId: string, query: TimelineQueryDto): Promise<TimelineDto> {
    const model = await this.models.get(modelId);
    const metric = query.metric ?? 'selection_rate';
    if (!(METRIC_KEYS as readonly string[]).includes(metric)) {
      throw new DomainError(
        'invalid_input',
        `Unknown metric "${metric}". Valid metrics: ${METRIC_KEYS.join(', ')}.`,
        [{ field: 'metric', message: `must be one of ${METRIC_KEYS.join(', ')}` }],
      );
    }
    const attributes = query.attribute.split(',').map((name) => name.trim());
    const wanted = sliceId(attributes);
    const [audits, storedSlices] = await Promise.all([
      this.audits.audits
        .query('a')
        .select('a.id', 'id')
        .addSelect('a.name', 'name')
        .addSelect('a.periodEnd', 'periodEnd')
        .addSelect('a.createdAt', 'createdAt')
        .andWhere('a.modelId = :modelId', { modelId: model.id })
        .orderBy('COALESCE(a.periodEnd, a.createdAt)', 'ASC')
        .addOrderBy('a.id', 'ASC')
        .getRawMany<TimelineAuditRow>(),
      this.storedSlices(model.id),
    ]);
    if (audits.length === 0) return { modelId: model.id, metric, attributes, points: [] };
    // the slice as stored (its attributes in the audit's order), whatever the order given
    const slices = storedSlices.filter((slice) => sliceId(slice.split(',')) === wanted);
    if (slices.length === 0) this.rejectUnknownSlice(storedSlices, query.attribute);
    // one row per audit, its values as one JSON array: parsing 20,000 rows field by field costs more than the query
    const values = await this.audits.metricValues
      .query('v')
      .select('v.auditId', 'auditId')
      .addSelect('MIN("v"."slice")', 'slice')
      .addSelect(
        `json_agg(json_build_array("v"."group_ordinal", "v"."group_key", "v"."metric", "v"."value",
          "v"."ci_low", "v"."ci_high", "v"."count"))`,
        'values',
      )
      .andWhere('v.modelId = :modelId', { modelId: model.id })
      .andWhere('v.slice IN (:...slices)', { slices })
      .andWhere('v.metric IN (:...metrics)', { metrics: [...new Set([metric, 'count', ...SUMMARY_KEYS])] })
      .groupBy('v.auditId')
      .getRawMany<AuditValuesRow>();
    const stored = storedSliceResults(values, metric);
    const byId = new Map(audits.map((row) => [row.id, row]));
    const points = buildTimeline(
      audits.map((row) => {
        const slice = stored.get(row.id);
        return {
          auditId: row.id,
          at: (row.periodEnd ?? row.createdAt).toISOString(),
          // the one slice rebuilt from the stored values
          result: { slices: slice ? [slice] : [] },
        };
      }),
      metric,
      query.attribute,
    );
    return {
      modelId: model.id,
      metric,
      attributes,
      points: points.map((point) => {
        const row = byId.get(point.auditId)!;
        return {
          auditId: point.auditId,
          name: row.name,
          at: point.at,
          periodEnd: row.periodEnd?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
          groups: point.groups,
          summary: point.summary,
        };
      }),
    };
  }

  /**
   * The distinct slices (as stored) of the model's audits, by a loose index scan of
   * ix_audit_metric_values_timeline: one index probe per slice instead of reading every row.
   */
  private async storedSlices(modelId: string): Promise<string[]> {
    const rows: { slice: string }[] = await this.dataSource.query(
      `WITH RECURSIVE s("slice") AS (
         SELECT min("slice") FROM "audit_metric_values" WHERE "organization_id" = $1 AND "model_id" = $2
         UNION ALL
         SELECT (SELECT min(v."slice") FROM "audit_metric_values" v
                 WHERE v."organization_id" = $1 AND v."model_id" = $2 AND v."slice" > s."slice")
         FROM s WHERE s."slice" IS NOT NULL
       )
       SELECT "slice" FROM s WHERE "slice" IS NOT NULL`,
      [currentPrincipal().organizationId, modelId],
    );
    return rows.map((row) => row.slice);
  }

  /** 400 listing the slices the model's audits have. */
  private rejectUnknownSlice(storedSlices: readonly string[], given: string): never {
    const available = new Set(storedSlices.map((slice) => sliceId(slice.split(','))));
    const list = [...available].sort().join('; ');
    throw new DomainError(
      'invalid_input',
      `Unknown attribute "${given}". This model's audits have: ${list}.`,
      [{ field: 'attribute', message: `must be one of: ${list}` }],
    );
  }
}

interface TimelineAuditRow {
  id: string;
  name: string | null;
  periodEnd: Date | null;
  createdAt: Date;
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
function storedSliceResults(rows: readonly AuditValuesRow[], metric: string): Map<string, TimelineSlice> {
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
      if (name === metric) group.metrics[metric as MetricKey] = { value, ciLow, ciHigh };
    }
    slices.set(row.auditId, {
      attributes: row.slice.split(','),
      groups: groups.filter((group) => group !== undefined),
      summary: summary as unknown as SliceSummary, // every key the stored summary had
    });
  }
  return slices;
}
