import { shownSiteCounts } from '../../core/rounds';
import type { AuditRoundDto, RoundPartDto } from './dto/round.dto';
import type { RoundPart, RoundStatus } from './rounds.types';

export function toAuditRoundDto({ round, parts }: RoundStatus): AuditRoundDto {
  const shown = shownSiteCounts(parts.map((p) => p.rowCount));
  const submitted = new Set(parts.map((p) => p.site));
  return {
    id: round.id,
    modelId: round.modelId,
    name: round.name,
    status: round.status,
    sites: [...round.sites],
    submitted: parts.map((p, i) => ({
      site: p.site,
      submittedAt: p.createdAt.toISOString(),
      rowCount: shown[i]?.rowCount ?? null,
      suppressed: shown[i]?.suppressed ?? null,
      dataSha256: p.dataSha256,
    })),
    pending: round.status === 'open' ? round.sites.filter((s) => !submitted.has(s)) : [],
    siteAsAttribute: round.siteAsAttribute,
    config: round.config as unknown as Record<string, unknown>,
    auditId: round.auditId,
    missingSites: [...round.missingSites],
    createdAt: round.createdAt.toISOString(),
    closedAt: round.closedAt?.toISOString() ?? null,
  };
}

export function toRoundPartDto(p: RoundPart): RoundPartDto {
  return {
    id: p.id,
    roundId: p.roundId,
    site: p.site,
    format: p.format,
    rowCount: p.rowCount,
    skippedRows: p.skippedRows,
    dataSha256: p.dataSha256,
    submittedAt: p.createdAt.toISOString(),
  };
}
