import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OrgRepository } from '../../common/org-repository';
import { invalidCursor, type Page } from '../../common/pagination';
import { AuditEventEntity } from './entities/audit-event.entity';

/** Largest value of a PostgreSQL bigint: a larger cursor would be a database error (a 500), not a 400. */
const MAX_SEQ = 2n ** 63n - 1n;

/** Reads the caller organization's events, newest first, paginated by chain position. */
@Injectable()
export class AuditEventsService {
  private readonly events: OrgRepository<AuditEventEntity>;

  constructor(@InjectRepository(AuditEventEntity) repo: Repository<AuditEventEntity>) {
    this.events = new OrgRepository(repo, 'Audit event');
  }

  async list(limit = 50, cursor?: string): Promise<Page<AuditEventEntity>> {
    if (cursor !== undefined && !(/^\d{1,19}$/.test(cursor) && BigInt(cursor) <= MAX_SEQ)) {
      throw invalidCursor();
    }
    const qb = this.events
      .query('e')
      .orderBy('e.seq', 'DESC')
      .take(limit + 1);
    if (cursor) qb.andWhere('e.seq < :cursor', { cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null };
  }
}
