import { Injectable } from '@nestjs/common';
import { storedDocumentation } from '../../core/compliance';
import type { TimelineSlice } from '../../core/drift';
import { DomainError } from '../../core/errors';
import type { MetricKey } from '../../core/fairness';
import type { AuditMetrics } from '../../core/tasks';
import { decodeBatch, type ColumnarBatch } from '../../core/ingest';
import type { SortedOrder } from '../../core/stats';
import { currentPrincipal } from '../../common/request-context';
import { RecentlyUsed } from '../../common/recently-used';
import { paginate, type Page, type PageQueryDto } from '../../common/pagination';
import { AuditTrailService } from '../auth/audit-trail.service';
import { ModelsService } from '../models/models.service';
import { readSliceValues, readStoredSlices } from './audit-metric-values';
import { AuditStore } from './audit-store';
import type { Audit, AuditChanges, AuditTime } from './audits.types';
import { BatchCache } from './batch-cache';

/**
 * Audits: the read side used by every downstream module (drift, compliance, reports, score quality), and
 * changes to an audit's descriptive fields. The write path (upload, parse, compute, persist) lives in
 * AuditSubmissionService. The tables stay behind AuditStore: other modules call these methods.
 */
@Injectable()
export class AuditsService {
  /** Decoded batches of recently used audits: up to 256 MB (about sixteen 1M-row audits). */
  private readonly batches = new BatchCache(256 * 1024 * 1024);
  /** The fairness results of the 64 most recently read audits (a few hundred KB each). */
  private readonly recentResults = new RecentlyUsed<string, AuditMetrics>(64);

  constructor(
    private readonly store: AuditStore,
    private readonly trail: AuditTrailService,
    private readonly models: ModelsService,
  ) {}

  /** The audit, or 404 (also for another organization's audit). */
  get(id: string): Promise<Audit> {
    return this.store.audits.get({ id });
  }

  /** The audit, or null (also for another organization's audit). */
  find(id: string): Promise<Audit | null> {
    return this.store.audits.findOne({ id });
  }

  /**
   * The stored columnar batch of an audit, decoded; recently used batches come from memory (after the same
   * organization check as a database read).
   */
  private async loadBatch(auditId: string): Promise<ColumnarBatch> {
    const cached = this.batches.get(auditId);
    if (cached && (await this.store.data.count({ auditId })) === 1) return cached;
    const row = await this.store.data.get({ auditId });
    const batch = decodeBatch(new Uint8Array(row.batch.buffer, row.batch.byteOffset, row.batch.byteLength));
    this.batches.set(auditId, batch);
    return batch;
  }

  /** loadBatch, with the rows in score order (sorted once while the batch stays cached; absent without scores). */
  async loadBatchInScoreOrder(auditId: string): Promise<{ batch: ColumnarBatch; scoreOrder?: SortedOrder }> {
    const batch = await this.loadBatch(auditId);
    return { batch, scoreOrder: this.batches.scoreOrder(auditId, batch) };
  }

  /** Audits of a model, newest first, paginated; 404 when the model does not exist (in the caller's organization). */
  async listForModel(modelId: string, page: PageQueryDto): Promise<Page<Audit>> {
    await this.models.get(modelId);
    return paginate(this.store.audits.query('a').andWhere('a.modelId = :modelId', { modelId }), 'a', page);
  }

  /** Every audit of a model with its results, newest first (the transparency exports read them all). */
  allForModel(modelId: string): Promise<Audit[]> {
    return this.store.audits
      .query('a')
      .andWhere('a.modelId = :modelId', { modelId })
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getMany();
  }

  /** The audit created just before this one for the same model (drift's default baseline). */
  previous(audit: Pick<Audit, 'id' | 'modelId' | 'createdAt'>): Promise<Audit | null> {
    return this.store.audits
      .query('a')
      .andWhere('a.modelId = :modelId', { modelId: audit.modelId })
      .andWhere('(a.createdAt, a.id) < (:at, :id)', { at: audit.createdAt, id: audit.id })
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getOne();
  }

  /**
   * The stored results; with `attribute`, only the slices that include it, or (a comma-separated list) exactly
   * that intersection. An attribute that was not audited is a 400 listing those that were.
   */
  async metrics(id: string, attribute?: string): Promise<AuditMetrics> {
    // Results never change once stored, so recently read ones are served from memory, keyed by organization
    // (a key never sees another organization's audit, cached or not). Under three concurrent 1M-row uploads
    // a read then waits for no database round trip behind the uploads' writes.
    const key = `${currentPrincipal().organizationId}:${id}`;
    let results = this.recentResults.get(key);
    if (results === undefined) {
      results = (await this.get(id)).results;
      this.recentResults.set(key, results);
    }
    if (attribute === undefined) return results;
    // The slices of the result's own task: the cast only restates that the selection keeps their type.
    const slices: readonly { attributes: string[] }[] = results.slices;
    return { ...results, slices: selectSlices(slices, attribute) } as AuditMetrics;
  }

  /** The model's audits on its timeline: oldest first by COALESCE(periodEnd, createdAt), ties by id. */
  inTimeOrder(modelId: string): Promise<AuditTime[]> {
    return this.store.audits
      .query('a')
      .select('a.id', 'id')
      .addSelect('a.name', 'name')
      .addSelect('a.periodEnd', 'periodEnd')
      .addSelect('a.createdAt', 'createdAt')
      .andWhere('a.modelId = :modelId', { modelId })
      .orderBy('COALESCE(a.periodEnd, a.createdAt)', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getRawMany<AuditTime>();
  }

  /** The distinct slices (attributes joined by ',', in the order stored) of the model's audits. */
  storedSlices(modelId: string): Promise<string[]> {
    return readStoredSlices(this.store.dataSource, currentPrincipal().organizationId, modelId);
  }

  /**
   * Per audit id, the audit's stored slice (one of `slices`) with only `metric` in each group's metrics, read
   * from the results flattened when the audit was stored (never the ~130 kB full results).
   */
  storedSliceValues(
    modelId: string,
    slices: readonly string[],
    metric: MetricKey,
  ): Promise<Map<string, TimelineSlice>> {
    return readSliceValues(this.store.metricValues, modelId, slices, metric);
  }

  /** Updates the descriptive fields of an audit (its results never change) and records 'audit.updated'. */
  async update(id: string, dto: AuditChanges): Promise<Audit> {
    return this.store.dataSource.transaction(async (m) => {
      const audits = this.store.audits.with(m);
      const audit = await audits.get({ id });
      const fields = Object.keys(dto).filter(
        (f) => f !== 'documentation' && dto[f as keyof AuditChanges] !== undefined,
      );
      if (dto.name !== undefined) audit.name = dto.name;
      if (dto.notes !== undefined) audit.notes = dto.notes;
      if (dto.dataSource !== undefined) audit.dataSource = dto.dataSource;
      if (dto.dataSourceDescription !== undefined) audit.dataSourceDescription = dto.dataSourceDescription;
      if (dto.periodStart !== undefined) audit.periodStart = toDate(dto.periodStart);
      if (dto.periodEnd !== undefined) audit.periodEnd = toDate(dto.periodEnd);
      if (audit.periodStart && audit.periodEnd && audit.periodStart > audit.periodEnd) {
        const message = 'periodEnd must not be before periodStart';
        throw new DomainError('invalid_input', message, [{ field: 'periodEnd', message }]);
      }
      if (dto.documentation) {
        audit.documentation = storedDocumentation({ ...audit.documentation, ...dto.documentation });
        fields.push(...Object.keys(dto.documentation).map((f) => `documentation.${f}`));
      }
      const saved = await audits.save(audit);
      if (dto.periodEnd !== undefined) {
        // keep the flattened values' time in step with the audit's (COALESCE(period_end, created_at))
        await m.query(
          `UPDATE "audit_metric_values" v SET "at" = COALESCE(a."period_end", a."created_at")
           FROM "audits" a
           WHERE a."organization_id" = $1 AND a."id" = $2
             AND v."organization_id" = a."organization_id" AND v."audit_id" = a."id"`,
          [saved.organizationId, saved.id],
        );
      }
      await this.trail.record(
        { action: 'audit.updated', objectType: 'audit', objectId: id, details: { fields } },
        m,
      );
      return saved;
    });
  }
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function selectSlices<S extends { attributes: string[] }>(all: readonly S[], attribute: string): S[] {
  const wanted = [...new Set(attribute.split(',').map((a) => a.trim()))];
  const known = [...new Set(all.flatMap((s) => s.attributes))];
  const unknown = wanted.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    const message = `Not an audited attribute: ${unknown.map((a) => `"${a}"`).join(', ')}. Audited: ${known.map((a) => `"${a}"`).join(', ')}.`;
    throw new DomainError('invalid_input', message, [{ field: 'attribute', message }]);
  }
  if (wanted.length === 1) return all.filter((s) => s.attributes.includes(wanted[0] as string));
  const same = (s: { attributes: string[] }): boolean =>
    s.attributes.length === wanted.length && wanted.every((a) => s.attributes.includes(a));
  const slices = all.filter(same);
  if (slices.length === 0) {
    const audited = all.filter((s) => s.attributes.length > 1).map((s) => s.attributes.join(','));
    const message = `The intersection ${wanted.join(' × ')} was not audited. Audited intersections: ${audited.length > 0 ? audited.join('; ') : 'none'}.`;
    throw new DomainError('invalid_input', message, [{ field: 'attribute', message }]);
  }
  return slices;
}
