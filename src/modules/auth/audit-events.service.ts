import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../core/errors';
import { currentPrincipal } from '../../common/request-context';
import { AuditEventEntity } from './entities/audit-event.entity';

/** Reads the caller organization's events, newest first, paginated by chain position. */
@Injectable()
export class AuditEventsService {
  constructor(@InjectRepository(AuditEventEntity) private readonly repo: Repository<AuditEventEntity>) {}

  async list(limit = 50, cursor?: string): Promise<{ items: AuditEventEntity[]; nextCursor: string | null }> {
    if (cursor !== undefined && !/^\d{1,19}$/.test(cursor)) {
      throw new DomainError('invalid_input', 'cursor is not a cursor this API issued.', [
        { field: 'cursor', message: 'invalid cursor' },
      ]);
    }
    const qb = this.repo
      .createQueryBuilder('e')
      .where('e.organizationId = :org', { org: currentPrincipal().organizationId })
      .orderBy('e.seq', 'DESC')
      .take(limit + 1);
    if (cursor) qb.andWhere('e.seq < :cursor', { cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null };
  }
}
