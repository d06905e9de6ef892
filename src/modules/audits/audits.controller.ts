import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PageQueryDto } from '../../common/pagination';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { AuditUploadReader } from '../uploads/audit-upload-reader';
import { AuditSubmissionService } from './audit-submission.service';
import { toAuditDto, toMetricsDto } from './audits.mapper';
import { AuditsService } from './audits.service';
import {
  AuditConfigDto,
  AuditConfigInputDto,
  AuditDto,
  AuditPageDto,
  SUBMIT_AUDIT_REQUEST_BODY,
  UpdateAuditDto,
} from './dto/audit.dto';
import { MetricsDto, MetricsQueryDto } from './dto/metrics.dto';
import { RegressionMetricsDto } from './dto/regression-metrics.dto';
import { toRegressionMetricsDto } from './regression-metrics.mapper';
import { isBinaryResult, requireRegression } from '../../core/tasks';

@ApiTags('Audits')
@ApiExtraModels(AuditConfigDto, AuditConfigInputDto)
@Controller('v1')
export class AuditsController {
  constructor(
    private readonly audits: AuditsService,
    private readonly submissions: AuditSubmissionService,
    private readonly uploads: AuditUploadReader,
  ) {}

  @Post('models/:modelId/audits')
  @Roles('admin', 'data_scientist')
  @ApiOperation({
    operationId: 'submitAudit',
    summary: 'Submit predictions for a fairness audit (CSV or Parquet upload, or JSON)',
    description:
      'multipart/form-data: a `config` part (JSON string) and a `file` part (CSV or Parquet); the config may come ' +
      'before or after the file (a CSV after the config is streamed straight into the parser; a CSV before it, ' +
      'and any Parquet file, is spooled to a file encrypted under a key held only in memory). Parquet is ' +
      'recognized by `application/vnd.apache.parquet`, a `.parquet` name or its PAR1 magic bytes; another binary ' +
      'format is a 415. application/json: `{config, records}` or `{config, columns}`. All give identical ' +
      'results for the same data. Limits: MAX_UPLOAD_SIZE for the file, FAIRWATCH_MAX_JSON_UPLOAD_BYTES (64 MiB) ' +
      'for a JSON body (413), MAX_ROWS, ' +
      'MAX_FIELD_SIZE, MAX_GROUPS_PER_ATTRIBUTE. A rejected upload stores nothing. With `Idempotency-Key`, a retry ' +
      'with the same request returns the first audit (header `Idempotent-Replayed: true`); the same key with a ' +
      'different request is a 409.',
    requestBody: SUBMIT_AUDIT_REQUEST_BODY,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Up to 200 printable ASCII characters; a retry with the same key and request returns the first audit',
  })
  @ApiCreatedResponse({ type: AuditDto, description: 'The audit (also for an idempotent retry)' })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'Invalid config, CSV, Parquet or JSON; errors name the field, or the row and column',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  @ApiConflictResponse({ type: ProblemDto, description: 'Idempotency-Key reused with a different request' })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'Upload, rows or a field over the limit' })
  @ApiUnsupportedMediaTypeResponse({
    type: ProblemDto,
    description:
      'Not multipart/form-data or application/json, or a file part that is neither CSV nor Parquet',
  })
  async submitAudit(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditDto> {
    // The header is read from the request (not @Headers) so that OpenAPI shows it once, as optional.
    const target = await this.submissions.open(modelId, req.header('idempotency-key'));
    const upload = await this.uploads.read(req);
    const { audit, replayed } = await this.submissions.submit(target, upload);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return toAuditDto(audit);
  }

  @Get('models/:modelId/audits')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'listModelAudits', summary: 'Audits of a model, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async listModelAudits(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Query() page: PageQueryDto,
  ): Promise<AuditPageDto> {
    const { items, nextCursor } = await this.audits.listForModel(modelId, page);
    return { items: items.map(toAuditDto), nextCursor };
  }

  @Get('audits/:auditId')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'getAudit', summary: 'Get an audit with its summary' })
  @ApiOkResponse({ type: AuditDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getAudit(@Param('auditId', uuidPipe('auditId')) auditId: string): Promise<AuditDto> {
    return toAuditDto(await this.audits.get(auditId));
  }

  @Get('audits/:auditId/metrics')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getAuditMetrics',
    summary: 'All fairness metrics of an audit: overall, per group, disparities and slice summaries',
    description:
      'Undefined metrics are null. `attribute=race` keeps the slices that include race; `attribute=race,sex` keeps ' +
      'exactly that intersection.',
  })
  @ApiExtraModels(MetricsDto, RegressionMetricsDto)
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(MetricsDto) }, { $ref: getSchemaPath(RegressionMetricsDto) }] },
    description:
      'The metrics of the audit\'s task: binary (no `task` field) or regression (`task: "regression"`)',
  })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'Invalid id, or an attribute that was not audited',
  })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getAuditMetrics(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Query() query: MetricsQueryDto,
  ): Promise<MetricsDto | RegressionMetricsDto> {
    const metrics = await this.audits.metrics(auditId, query.attribute);
    if (isBinaryResult(metrics)) return toMetricsDto(auditId, metrics);
    return toRegressionMetricsDto(auditId, requireRegression(metrics));
  }

  @Patch('audits/:auditId')
  @Roles('admin', 'data_scientist', 'compliance_officer')
  @ApiOperation({
    operationId: 'updateAudit',
    summary: 'Update the name, notes, period and documentation of an audit (never its data or results)',
  })
  @ApiOkResponse({ type: AuditDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async updateAudit(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Body() dto: UpdateAuditDto,
  ): Promise<AuditDto> {
    return toAuditDto(await this.audits.update(auditId, dto));
  }
}
