import type { FairnessResult } from '../../core/fairness';
import type { AuditConfigDto, AuditDto, AuditSummaryDto } from './dto/audit.dto';
import type { MetricsDto } from './dto/metrics.dto';
import type { AuditEntity } from './entities/audit.entity';

export function toAuditDto(a: AuditEntity): AuditDto {
  return {
    id: a.id,
    modelId: a.modelId,
    createdAt: a.createdAt.toISOString(),
    rowCount: a.rowCount,
    dataSha256: a.dataSha256,
    config: a.config as unknown as AuditConfigDto,
    summary: a.summary as unknown as AuditSummaryDto,
    skippedRows: a.skippedRows,
    firstSkippedRows: a.firstSkippedRows,
    columnsUsed: { ...a.columnsUsed, attributes: [...a.columnsUsed.attributes] },
    name: a.name,
    periodStart: a.periodStart?.toISOString() ?? null,
    periodEnd: a.periodEnd?.toISOString() ?? null,
    notes: a.notes,
    documentation: a.documentation,
  };
}

export function toMetricsDto(auditId: string, results: FairnessResult): MetricsDto {
  return { auditId, ...results };
}
