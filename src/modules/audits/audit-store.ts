import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { OrgRepository } from '../../common/org-repository';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditMetricValueEntity } from './entities/audit-metric-value.entity';
import { AuditEntity } from './entities/audit.entity';

/**
 * The audits module's tables, scoped to the caller's organization. Internal to the module (AuditsModule does
 * not export it): other modules read audits through AuditsService's methods, never through these.
 */
@Injectable()
export class AuditStore {
  readonly audits: OrgRepository<AuditEntity>;
  readonly data: OrgRepository<AuditDataEntity>;
  /** The stored results flattened per (slice, group, metric) and (slice, summary key), for timelines. */
  readonly metricValues: OrgRepository<AuditMetricValueEntity>;

  constructor(
    @InjectRepository(AuditEntity) auditRepo: Repository<AuditEntity>,
    @InjectRepository(AuditDataEntity) dataRepo: Repository<AuditDataEntity>,
    @InjectRepository(AuditMetricValueEntity) metricValueRepo: Repository<AuditMetricValueEntity>,
    @InjectDataSource() readonly dataSource: DataSource,
  ) {
    this.audits = new OrgRepository(auditRepo, 'Audit');
    this.data = new OrgRepository(dataRepo, 'Audit data');
    this.metricValues = new OrgRepository(metricValueRepo, 'Audit metric value');
  }
}
