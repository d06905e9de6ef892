import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../core/errors';
import { isUniqueViolation } from '../../common/db-errors';
import { currentPrincipal } from '../../common/request-context';
import { ApiKeysService } from './api-keys.service';
import { AuditTrailService } from './audit-trail.service';
import { OrganizationEntity } from './entities/organization.entity';

/** Organization names are unique (migrations/1764400000000-InitialSchema.ts). */
const NAME_UNIQUE = 'uq_organizations_name';

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysService,
    private readonly trail: AuditTrailService,
  ) {}

  /** The caller's organization's name (for reports). */
  async currentName(): Promise<string> {
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: currentPrincipal().organizationId });
    return org?.name ?? 'Unknown organization';
  }

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
    try {
      return await this.dataSource.transaction(async (m) => {
        const repo = m.getRepository(OrganizationEntity);
        const org = await repo.save(repo.create({ name, isDefault: false }));
        const adminKey = await this.keys.createFirstAdmin(org.id, m);
        await this.trail.record(
          { action: 'organization.created', objectType: 'organization', objectId: org.id },
          m,
        );
        return { org, adminKey };
      });
    } catch (err) {
      // The unique constraint decides, also between two concurrent requests: 409, never a 500.
      if (!isUniqueViolation(err, NAME_UNIQUE)) throw err;
      throw new DomainError('conflict', `An organization named "${name}" already exists.`);
    }
  }
}
