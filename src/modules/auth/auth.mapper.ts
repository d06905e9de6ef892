import type { ApiKeyDto } from './dto/api-key.dto';
import type { AuditEventDto } from './dto/audit-event.dto';
import type { ApiKeyEntity } from './entities/api-key.entity';
import type { AuditEventEntity } from './entities/audit-event.entity';

export function toApiKeyDto(k: ApiKeyEntity): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    roundId: k.roundId,
    site: k.site,
  };
}

export function toAuditEventDto(e: AuditEventEntity): AuditEventDto {
  return {
    seq: e.seq,
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    action: e.action,
    outcome: e.outcome,
    actorKeyId: e.actorKeyId,
    actorRole: e.actorRole,
    objectType: e.objectType,
    objectId: e.objectId,
    requestId: e.requestId,
    details: e.details,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}
