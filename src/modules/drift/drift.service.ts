import { Injectable } from '@nestjs/common';
import { buildTimeline, computeDrift, sliceId, type DriftThresholds } from '../../core/drift';
import { DomainError } from '../../core/errors';
import { METRIC_KEYS, type MetricKey } from '../../core/fairness';
import { requireBinary } from '../../core/tasks';
import { AuditsService } from '../audits/audits.service';
import type { Audit } from '../audits/audits.types';
import { ModelsService } from '../models/models.service';
import type { Model } from '../models/models.types';
import { assertValidThresholds, effectiveThresholds, policyOverrides } from './drift-policy';
import type { BaselineSource, DriftOutcome, DriftPolicy, ModelTimeline } from './drift.types';

/**
 * Drift between audits of one model, the model's baseline and drift thresholds, and metric timelines.
 * The statistics are core/drift's; audits and models are read and changed through their services (drift owns
 * no table). Returns drift.types; the controller maps them to DTOs.
 */
@Injectable()
export class DriftService {
  constructor(
    private readonly models: ModelsService,
    private readonly audits: AuditsService,
  ) {}

  /** Pins an audit of the model as its drift baseline (404 unknown model or audit; 400 an audit of another model). */
  async setBaseline(modelId: string, auditId: string): Promise<Model> {
    const model = await this.models.get(modelId);
    const audit = await this.audits.find(auditId);
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
    return this.models.setBaseline(model.id, auditId);
  }

  /** Unpins the baseline: drift falls back to the previous audit. */
  clearBaseline(modelId: string): Promise<Model> {
    return this.models.setBaseline(modelId, null);
  }

  async getPolicy(modelId: string): Promise<DriftPolicy> {
    const model = await this.models.get(modelId);
    return {
      modelId: model.id,
      overrides: policyOverrides(model.driftPolicy),
      thresholds: effectiveThresholds(model.driftPolicy),
    };
  }

  /** Replaces the model's overrides ({} = the defaults); the thresholds in force must be consistent. */
  async setPolicy(modelId: string, given: Partial<DriftThresholds>): Promise<DriftPolicy> {
    const overrides = policyOverrides(given);
    const thresholds = effectiveThresholds(overrides);
    assertValidThresholds(thresholds);
    const model = await this.models.setDriftPolicy(modelId, overrides);
    return { modelId: model.id, overrides, thresholds };
  }

  /**
   * Drift of an audit against ?baseline, else the pinned baseline (when it is another audit), else the
   * previous audit of the model. With none of them: status ok, no checks, baselineSource "none".
   */
  async drift(auditId: string, baselineId?: string): Promise<DriftOutcome> {
    const audit = await this.audits.get(auditId);
    requireBinary(audit.results, 'Drift');
    const model = await this.models.get(audit.modelId);
    const thresholds = effectiveThresholds(model.driftPolicy);
    const { baseline, source } = await this.resolveBaseline(audit, model, baselineId);
    if (!baseline) {
      return {
        auditId,
        baselineAuditId: null,
        baselineSource: 'none',
        thresholds,
        report: { status: 'ok', checks: [] },
        isPinnedBaseline: model.baselineAuditId === audit.id,
      };
    }
    const [baselineRows, currentRows] = await Promise.all([
      this.audits.loadBatchInScoreOrder(baseline.id),
      this.audits.loadBatchInScoreOrder(audit.id),
    ]);
    const report = computeDrift(
      { ...baselineRows, result: requireBinary(baseline.results, 'Drift') },
      { ...currentRows, result: requireBinary(audit.results, 'Drift') },
      thresholds,
    );
    return { auditId, baselineAuditId: baseline.id, baselineSource: source, thresholds, report };
  }

  private async resolveBaseline(
    audit: Audit,
    model: Model,
    baselineId?: string,
  ): Promise<{ baseline: Audit | null; source: BaselineSource }> {
    if (baselineId !== undefined) {
      const baseline = await this.audits.find(baselineId);
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
      const pinned = await this.audits.find(model.baselineAuditId);
      if (pinned) return { baseline: pinned, source: 'pinned' };
    }
    const previous = await this.audits.previous(audit);
    return previous ? { baseline: previous, source: 'previous' } : { baseline: null, source: 'none' };
  }

  /**
   * One point per audit of the model, oldest first, from the stored results (never recomputed), read from
   * audit_metric_values (the results flattened when the audit was stored): the requested slice's rows of the
   * metric, of `count` and of the summary. A full result is ~130 kB of JSON; extracting one slice from 1,000
   * of them cost ~0.5 s.
   */
  async timeline(modelId: string, query: { metric?: string; attribute: string }): Promise<ModelTimeline> {
    const model = await this.models.get(modelId);
    const metric = query.metric ?? 'selection_rate';
    if (!isMetricKey(metric)) {
      throw new DomainError(
        'invalid_input',
        `Unknown metric "${metric}". Valid metrics: ${METRIC_KEYS.join(', ')}.`,
        [{ field: 'metric', message: `must be one of ${METRIC_KEYS.join(', ')}` }],
      );
    }
    const attributes = query.attribute.split(',').map((name) => name.trim());
    const wanted = sliceId(attributes);
    const [audits, storedSlices] = await Promise.all([
      this.audits.inTimeOrder(model.id),
      this.audits.storedSlices(model.id),
    ]);
    if (audits.length === 0) return { modelId: model.id, metric, attributes, points: [] };
    // the slice as stored (its attributes in the audit's order), whatever the order given
    const slices = storedSlices.filter((slice) => sliceId(slice.split(',')) === wanted);
    if (slices.length === 0) rejectUnknownSlice(storedSlices, query.attribute);
    const stored = await this.audits.storedSliceValues(model.id, slices, metric);
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
          ...point,
          name: row.name,
          periodEnd: row.periodEnd?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
        };
      }),
    };
  }
}

function isMetricKey(metric: string): metric is MetricKey {
  return (METRIC_KEYS as readonly string[]).includes(metric);
}

/** 400 listing the slices the model's audits have. */
function rejectUnknownSlice(storedSlices: readonly string[], given: string): never {
  const available = new Set(storedSlices.map((slice) => sliceId(slice.split(','))));
  const list = [...available].sort().join('; ');
  throw new DomainError('invalid_input', `Unknown attribute "${given}". This model's audits have: ${list}.`, [
    { field: 'attribute', message: `must be one of: ${list}` },
  ]);
}
