import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { PageQueryDto } from '../../common/pagination';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import {
  CreateReportDto,
  PDF_SCHEMA,
  ReportDto,
  ReportPageDto,
  ReportWithContentDto,
  SigningKeyDto,
  VERIFY_REQUEST_BODY,
  VerifyResultDto,
} from './dto/report.dto';
import { toPdfFile, toReportDto, toReportPageDto, toReportWithContentDto } from './reports.mapper';
import { PDF_ROLES, ReportsService } from './reports.service';
import { ExportsService } from '../exports/exports.service';
import { readSignedArtifact } from './verify-body';

@ApiTags('Reports')
@ApiExtraModels(ReportWithContentDto)
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exportsService: ExportsService,
  ) {}

  @Post('audits/:auditId/reports')
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'createReport',
    summary:
      "Make a signed PDF report of an audit: results, drift, trends and the chosen frameworks' controls",
    description:
      'Renders the PDF (counts 1–10 suppressed), computes the SHA-256 of its bytes, signs the bytes with the ' +
      "instance's Ed25519 key and stores the PDF with its JSON form, in one transaction with a 'report.created' event.",
  })
  @ApiCreatedResponse({ type: ReportDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Unknown framework, invalid body or auditId' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown audit' })
  async createReport(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Body() dto: CreateReportDto,
  ): Promise<ReportDto> {
    return this.reports.create(auditId, dto).then((r) => toReportDto(r, r.content.cover.verdict));
  }

  @Get('audits/:auditId/reports')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listAuditReports',
    summary: "An audit's reports, newest first (metadata only)",
  })
  @ApiOkResponse({ type: ReportPageDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown audit' })
  async listAuditReports(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Query() page: PageQueryDto,
  ): Promise<ReportPageDto> {
    return toReportPageDto(await this.reports.listForAudit(auditId, page));
  }

  @Get('reports/signing-key')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getSigningKey',
    summary: 'The public key new reports are signed with, for offline verification',
  })
  @ApiOkResponse({ type: SigningKeyDto })
  async getSigningKey(): Promise<SigningKeyDto> {
    return this.reports.signingKey();
  }

  @Post('reports/verify')
  @Roles(...ANY_ROLE)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'verifyReport',
    summary: "Check that a PDF is exactly a signed report of the caller's organization",
    description:
      'valid is true only when the SHA-256 of the bytes matches a stored report of your organization and its ' +
      "Ed25519 signature verifies over the bytes; a single changed byte makes it false. Recorded as 'report.verified'.",
    requestBody: VERIFY_REQUEST_BODY,
  })
  @ApiOkResponse({ type: VerifyResultDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Empty body, not a PDF, or no `file` part' })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'Over 50 MB' })
  @ApiUnsupportedMediaTypeResponse({
    type: ProblemDto,
    description: 'Not application/pdf or multipart/form-data',
  })
  async verifyReport(@Req() req: Request): Promise<VerifyResultDto> {
    const { bytes, kind } = await readSignedArtifact(req);
    if (kind !== 'pdf') return this.exportsService.verify(bytes);
    return { ...(await this.reports.verify(bytes)), kind: 'report' };
  }

  @Get('reports/:reportId')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getReport',
    summary: 'A report: its metadata and JSON form, or with Accept: application/pdf its PDF',
    description:
      'Accept: application/json (the default) → the metadata with `content`, the view model the PDF was rendered ' +
      `from (same numbers). Accept: application/pdf → the PDF, as GET /v1/reports/{reportId}/pdf (roles: ${PDF_ROLES.join(', ')}).`,
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({
    description: 'The report',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportWithContentDto) } },
      'application/pdf': { schema: PDF_SCHEMA },
    },
  })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getReport(
    @Param('reportId', uuidPipe('reportId')) reportId: string,
    @Req() req: Request,
  ): Promise<ReportWithContentDto | StreamableFile> {
    return req.accepts(['application/json', 'application/pdf']) === 'application/pdf'
      ? toPdfFile(await this.reports.download(reportId))
      : toReportWithContentDto(await this.reports.get(reportId));
  }

  @Get('reports/:reportId/pdf')
  @Roles(...PDF_ROLES)
  @ApiOperation({
    operationId: 'downloadReportPdf',
    summary: "Download a report's signed PDF (recorded as 'report.downloaded')",
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF, as an attachment', schema: PDF_SCHEMA })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async downloadReportPdf(
    @Param('reportId', uuidPipe('reportId')) reportId: string,
  ): Promise<StreamableFile> {
    return toPdfFile(await this.reports.download(reportId));
  }
}
