import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildTimeline, computeDrift } from '../../core/drift';
import { DomainError } from '../../core/errors';
import { METRIC_KEYS, type FairnessResult, type SliceResult } from '../../core/fairness';
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
      const previous = model.baselineAuditId;
      const saved = await this.models.setBaseline(modelId, auditId, m);
      await this.trail.record(
        {
          action: 'model.baseline_set',
          objectType: 'model',
          objectId: modelId,
          details: { auditId, previousAuditId: previous },
        },
        m,
      );
      return saved;
    });
  }

  /** Unpins the baseline: drift falls back to the previous audit. */
  clearBaseline(modelId: string): Promise<ModelEntity> {
    return this.dataSource.transaction(async (m) => {
      const model = await this.models.get(modelId, m);
      const previous = model.baselineAuditId;
      const saved = await this.models.setBaseline(modelId, null, m);
      await this.trail.record(
        {
          action: 'model.baseline_set',
          objectType: 'model',
          objectId: modelId,
          details: { auditId: null, previousAuditId: previous },
        },
        m,
      );
      return saved;
    });
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
      });
    }
    const [baselineBatch, currentBatch] = await Promise.all([
      this.audits.loadBatch(baseline.id),
      this.audits.loadBatch(audit.id),
    ]);
    const report = computeDrift(
      { batch: baselineBatch, result: baseline.results },
      { batch: currentBatch, result: audit.results },
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
   * One point per audit of the model, oldest first, from the stored results (never recomputed). Only the
   * requested slice and metric are read out of each audit's results (in SQL): a full result is ~100 kB of
   * JSON, and parsing 1,000 of them would cost seconds.
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
    const rows = await this.audits.audits
      .query('a')
      .select('a.id', 'id')
      .addSelect('a.name', 'name')
      .addSelect('a.periodEnd', 'periodEnd')
      .addSelect('a.createdAt', 'createdAt')
      .addSelect(SLICE_METRIC_SQL, 'slice')
      .andWhere('a.modelId = :modelId', { modelId: model.id })
      .setParameters({ metric, sliceAttributes: JSON.stringify(attributes), sliceSize: attributes.length })
      .orderBy('COALESCE(a.periodEnd, a.createdAt)', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getRawMany<TimelineRow>();
    if (rows.length > 0 && rows.every((row) => row.slice === null)) {
      await this.rejectUnknownSlice(model.id, query.attribute);
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    const points = buildTimeline(
      rows.map((row) => ({
        auditId: row.id,
        at: (row.periodEnd ?? row.createdAt).toISOString(),
        // the timeline reads only `slices`: the one slice read out of the stored result
        result: { slices: row.slice ? [row.slice] : [] } as unknown as FairnessResult,
      })),
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

  /** 400 listing the slices the model's audits have. */
  private async rejectUnknownSlice(modelId: string, given: string): Promise<never> {
    const rows = await this.audits.audits
      .query('a')
      .select(`jsonb_path_query_array("a"."results", '$.slices[*].attributes')`, 'sliceAttributes')
      .andWhere('a.modelId = :modelId', { modelId })
      .getRawMany<{ sliceAttributes: string[][] }>();
    const available = new Set(
      rows.flatMap((row) => row.sliceAttributes.map((names) => [...names].sort().join(','))),
    );
    const list = [...available].sort().join('; ');
    throw new DomainError(
      'invalid_input',
      `Unknown attribute "${given}". This model's audits have: ${list}.`,
      [{ field: 'attribute', message: `must be one of: ${list}` }],
    );
  }
}

interface TimelineRow {
  id: string;
  name: string | null;
  periodEnd: Date | null;
  createdAt: Date;
  /** The requested slice with only the requested metric in each group's metrics; null when absent. */
  slice: SliceResult | null;
}

/**
 * The slice whose attributes are the requested set (containment plus equal length, so any order), with
 * each group's key, count and the one metric, and the slice summary.
 */
const SLICE_METRIC_SQL = `(
  SELECT jsonb_build_object(
    'attributes', s.value -> 'attributes',
    'reference', s.value -> 'reference',
    'summary', s.value -> 'summary',
    'groups', COALESCE((
      SELECT jsonb_agg(
        jsonb_build_object(
          'key', g.value -> 'key',
          'count', g.value -> 'count',
          'metrics', jsonb_build_object(CAST(:metric AS text), g.value -> 'metrics' -> CAST(:metric AS text))
        ) ORDER BY g.ordinality)
      FROM jsonb_array_elements(s.value -> 'groups') WITH ORDINALITY AS g(value, ordinality)
    ), '[]'::jsonb))
  FROM jsonb_array_elements("a"."results" -> 'slices') AS s(value)
  WHERE s.value -> 'attributes' @> CAST(:sliceAttributes AS jsonb)
    AND jsonb_array_length(s.value -> 'attributes') = CAST(:sliceSize AS integer)
  LIMIT 1
)`;
