import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../core/errors';
import { currentPrincipal } from '../../common/request-context';
import { ApiKeysService } from './api-keys.service';
import { AuditTrailService } from './audit-trail.service';
import { OrganizationEntity } from './entities/organization.entity';

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysService,
    private readonly trail: AuditTrailService,
  ) {}

  /** Only an admin of the default organization may create organizations (the route requires admin). */
  async create(name: string): Promise<{ org: OrganizationEntity; adminKey: string }> {
    const caller = currentPrincipal();
    const home = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: caller.organizationId });
    if (!home?.isDefault)
      throw new DomainError(
        'forbidden',
        'Only an admin of the default organization can create organizations.',
      );
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(OrganizationEntity);
      if (await repo.exists({ where: { name } }))
        throw new DomainError('conflict', `An organization named "${name}" already exists.`);
      const org = await repo.save(repo.create({ name, isDefault: false }));
      const adminKey = await this.keys.createFirstAdmin(org.id, m);
      await this.trail.record(
        { action: 'organization.created', objectType: 'organization', objectId: org.id },
        m,
      );
      return { org, adminKey };
    });
  }
}
