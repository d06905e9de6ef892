import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { decodeBatch, type ColumnarBatch } from '../../core/ingest';
import { OrgRepository } from '../../common/org-repository';
import { paginate, type Page, type PageQueryDto } from '../../common/pagination';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditEntity } from './entities/audit.entity';

/**
 * Audits: the read side used by every downstream module (drift, compliance, reports). The write path
 * (upload, parse, compute, persist) lives in AuditSubmissionService.
 */
@Injectable()
export class AuditsService {
  readonly audits: OrgRepository<AuditEntity>;
  readonly data: OrgRepository<AuditDataEntity>;

  constructor(
    @InjectRepository(AuditEntity) auditRepo: Repository<AuditEntity>,
    @InjectRepository(AuditDataEntity) dataRepo: Repository<AuditDataEntity>,
    @InjectDataSource() readonly dataSource: DataSource,
  ) {
    this.audits = new OrgRepository(auditRepo, 'Audit');
    this.data = new OrgRepository(dataRepo, 'Audit data');
  }

  /** The audit, or 404 (also for another organization's audit). */
  get(id: string, manager?: EntityManager): Promise<AuditEntity> {
    return (manager ? this.audits.with(manager) : this.audits).get({ id });
  }

  /** The stored columnar batch of an audit, decoded. */
  async loadBatch(auditId: string): Promise<ColumnarBatch> {
    const row = await this.data.get({ auditId });
    return decodeBatch(new Uint8Array(row.batch.buffer, row.batch.byteOffset, row.batch.byteLength));
  }

  /** Audits of a model, newest first, paginated. */
  listForModel(modelId: string, page: PageQueryDto): Promise<Page<AuditEntity>> {
    return paginate(this.audits.query('a').andWhere('a.modelId = :modelId', { modelId }), 'a', page);
  }

  /** The audit created just before this one for the same model (drift's default baseline). */
  previous(audit: AuditEntity): Promise<AuditEntity | null> {
    return this.audits
      .query('a')
      .andWhere('a.modelId = :modelId', { modelId: audit.modelId })
      .andWhere('(a.createdAt, a.id) < (:at, :id)', { at: audit.createdAt, id: audit.id })
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getOne();
  }

  /**
   * Every audit of a model in time order (period end, else creation time) with only the columns a timeline
   * needs: results are read as stored, never recomputed.
   */
  timeline(
    modelId: string,
  ): Promise<Pick<AuditEntity, 'id' | 'createdAt' | 'periodEnd' | 'results' | 'name'>[]> {
    return this.audits
      .query('a')
      .select(['a.id', 'a.createdAt', 'a.periodEnd', 'a.results', 'a.name'])
      .andWhere('a.modelId = :modelId', { modelId })
      .orderBy('COALESCE(a.periodEnd, a.createdAt)', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }
}
