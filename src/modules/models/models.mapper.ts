import type { ModelDto } from './dto/model.dto';
import type { Model } from './models.types';

export function toModelDto(m: Model): ModelDto {
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    description: m.description,
    intendedUse: m.documentation.intendedUse ?? null,
    owner: m.documentation.owner ?? null,
    documentation: m.documentation,
    baselineAuditId: m.baselineAuditId,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
