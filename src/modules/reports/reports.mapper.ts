import { StreamableFile } from '@nestjs/common';
import type { Verdict } from '../../core/reports';
import type { ReportDto, ReportPageDto, ReportWithContentDto } from './dto/report.dto';
import type { ReportEntity } from './entities/report.entity';
import type { ReportMeta } from './reports.service';
import type { Page } from '../../common/pagination';

type Meta = Pick<
  ReportEntity,
  | 'id'
  | 'auditId'
  | 'sha256'
  | 'signature'
  | 'createdAt'
  | 'title'
  | 'frameworks'
  | 'policyVersion'
  | 'signingKeyId'
  | 'trailHead'
>;

export function toReportDto(r: Meta, verdict: Verdict): ReportDto {
  return {
    id: r.id,
    auditId: r.auditId,
    sha256: r.sha256,
    signature: r.signature,
    createdAt: r.createdAt.toISOString(),
    title: r.title,
    frameworks: r.frameworks,
    policyVersion: r.policyVersion,
    signingKeyId: r.signingKeyId,
    trailHead: r.trailHead,
    verdict,
  };
}

export function toReportWithContentDto(r: ReportEntity): ReportWithContentDto {
  return { ...toReportDto(r, r.content.cover.verdict), content: r.content };
}

export function toReportPageDto(page: Page<ReportMeta>): ReportPageDto {
  return { items: page.items.map((r) => toReportDto(r, r.verdict)), nextCursor: page.nextCursor };
}

/** The PDF as an attachment named after the report. */
export function toPdfFile(file: { id: string; pdf: Buffer }): StreamableFile {
  return new StreamableFile(file.pdf, {
    type: 'application/pdf',
    disposition: `attachment; filename="fairwatch-report-${file.id}.pdf"`,
    length: file.pdf.length,
  });
}
