import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { OrgRepository } from '../../common/org-repository';
import { AuditRoundPartEntity } from './entities/audit-round-part.entity';
import { AuditRoundEntity } from './entities/audit-round.entity';

/** The rounds module's tables, scoped to the caller's organization. Internal to the module. */
@Injectable()
export class RoundStore {
  readonly rounds: OrgRepository<AuditRoundEntity>;
  readonly parts: OrgRepository<AuditRoundPartEntity>;

  constructor(
    @InjectRepository(AuditRoundEntity) roundRepo: Repository<AuditRoundEntity>,
    @InjectRepository(AuditRoundPartEntity) partRepo: Repository<AuditRoundPartEntity>,
    @InjectDataSource() readonly dataSource: DataSource,
  ) {
    this.rounds = new OrgRepository(roundRepo, 'Audit round');
    this.parts = new OrgRepository(partRepo, 'Audit round part');
  }
}
