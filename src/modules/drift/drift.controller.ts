import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { ModelDto } from '../models/dto/model.dto';
import { toModelDto } from '../models/models.mapper';
import { toDriftPolicyDto, toDriftReportDto, toTimelineDto } from './drift.mapper';
import { DriftService } from './drift.service';
import { SetBaselineDto } from './dto/baseline.dto';
import { DriftQueryDto, DriftReportDto } from './dto/drift.dto';
import { DriftPolicyDto, DriftPolicyResponseDto } from './dto/drift-policy.dto';
import { TimelineDto, TimelineQueryDto } from './dto/timeline.dto';

@ApiTags('Drift')
@Controller('v1')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @Put('models/:modelId/baseline')
  @Roles('admin', 'data_scientist', 'compliance_officer')
  @ApiOperation({
    operationId: 'setBaseline',
    summary: 'Pin the audit that drift compares against by default',
    description:
      'The audit must be an audit of this model (else 400 naming auditId). Recorded in the audit trail.',
  })
  @ApiOkResponse({ type: ModelDto, description: 'The model, with its new baselineAuditId' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Invalid UUID, or an audit of another model' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model or audit' })
  async setBaseline(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Body() dto: SetBaselineDto,
  ): Promise<ModelDto> {
    return toModelDto(await this.drift.setBaseline(modelId, dto.auditId));
  }

  @Delete('models/:modelId/baseline')
  @Roles('admin', 'data_scientist', 'compliance_officer')
  @ApiOperation({
    operationId: 'clearBaseline',
    summary: 'Unpin the baseline: drift then compares each audit with the previous one',
  })
  @ApiOkResponse({ type: ModelDto, description: 'The model, with baselineAuditId null' })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async clearBaseline(@Param('modelId', uuidPipe('modelId')) modelId: string): Promise<ModelDto> {
    return toModelDto(await this.drift.clearBaseline(modelId));
  }

  @Get('models/:modelId/drift-policy')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getDriftPolicy',
    summary: "The model's drift thresholds (defaults and overrides)",
  })
  @ApiOkResponse({ type: DriftPolicyResponseDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async getDriftPolicy(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
  ): Promise<DriftPolicyResponseDto> {
    return toDriftPolicyDto(await this.drift.getPolicy(modelId));
  }

  @Put('models/:modelId/drift-policy')
  @Roles('admin', 'data_scientist', 'compliance_officer')
  @ApiOperation({
    operationId: 'setDriftPolicy',
    summary: "Replace the model's drift threshold overrides",
    description:
      'Fields left out take the defaults ({} restores them all). The thresholds in force must satisfy ' +
      'psiWarning < psiAlert, rateChangeWarning < rateChangeAlert and fairnessBand low < 1 < high.',
  })
  @ApiOkResponse({ type: DriftPolicyResponseDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A threshold out of range or inconsistent' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async setDriftPolicy(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Body() dto: DriftPolicyDto,
  ): Promise<DriftPolicyResponseDto> {
    return toDriftPolicyDto(await this.drift.setPolicy(modelId, dto));
  }

  @Get('audits/:auditId/drift')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getDrift',
    summary: 'Drift of an audit against a baseline audit of the same model',
    description:
      "Baseline: ?baseline= (an audit of the same model, else 400), else the model's pinned baseline when it is " +
      'not this audit, else the previous audit of the model (baselineSource tells which). When there is nothing ' +
      'to compare with (the first audit, no baseline pinned) the answer is still 200, with baselineAuditId null, ' +
      'baselineSource "none", status "ok", no checks and a message saying so, so a dashboard can show the audit ' +
      'without special-casing an error. Checks come worst first; status is the worst check status. Thresholds ' +
      "are the model's drift policy (GET /v1/models/{modelId}/drift-policy).",
  })
  @ApiOkResponse({ type: DriftReportDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Invalid UUID, or a baseline of another model' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown audit or baseline audit' })
  async getDrift(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Query() query: DriftQueryDto,
  ): Promise<DriftReportDto> {
    return toDriftReportDto(await this.drift.drift(auditId, query.baseline));
  }

  @Get('models/:modelId/timeline')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getTimeline',
    summary: "A metric's per-group values over the model's audits, oldest first",
    description:
      "One point per audit in time order (the audit's periodEnd, else its creation time; ties by audit id), " +
      "each group's stored value with its interval and count, and the slice summary. Read from the stored " +
      'results, never recomputed. An audit without the slice is a point with no groups and a null summary. ' +
      'Unknown metric or attribute → 400 listing the valid ones.',
  })
  @ApiOkResponse({ type: TimelineDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Unknown metric or attribute' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async getTimeline(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Query() query: TimelineQueryDto,
  ): Promise<TimelineDto> {
    return toTimelineDto(await this.drift.timeline(modelId, query));
  }
}
