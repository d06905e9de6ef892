import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { toAuditDto } from '../audits/audits.mapper';
import { AuditDto } from '../audits/dto/audit.dto';
import { ANY_ROLE, Roles, SiteKeys } from '../auth/roles.decorator';
import {
  AuditRoundDto,
  CloseAuditRoundDto,
  CreateAuditRoundDto,
  RoundPartDto,
  SUBMIT_PART_REQUEST_BODY,
} from './dto/round.dto';
import { toAuditRoundDto, toRoundPartDto } from './rounds.mapper';
import { RoundsService } from './rounds.service';

@ApiTags('Federated rounds')
@Controller('v1')
export class RoundsController {
  constructor(private readonly rounds: RoundsService) {}

  @Post('models/:modelId/audit-rounds')
  @Roles('admin', 'data_scientist')
  @ApiOperation({
    operationId: 'createAuditRound',
    summary: 'Open a federated audit round: each site submits its part, closing pools them into one audit',
  })
  @ApiCreatedResponse({ type: AuditRoundDto })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'Invalid name, sites or config; errors name the field',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async createAuditRound(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Body() dto: CreateAuditRoundDto,
  ): Promise<AuditRoundDto> {
    const round = await this.rounds.open(modelId, dto);
    return toAuditRoundDto({ round, parts: [] });
  }

  @Get('audit-rounds/:roundId')
  @Roles(...ANY_ROLE)
  @SiteKeys()
  @ApiOperation({
    operationId: 'getAuditRound',
    summary: 'A round: its status, the sites expected and those that have submitted',
  })
  @ApiOkResponse({ type: AuditRoundDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: "Unknown round, or another round than a site key's" })
  async getAuditRound(@Param('roundId', uuidPipe('roundId')) roundId: string): Promise<AuditRoundDto> {
    return toAuditRoundDto(await this.rounds.status(roundId));
  }

  @Post('audit-rounds/:roundId/parts')
  @Roles('admin', 'data_scientist')
  @SiteKeys()
  @ApiOperation({
    operationId: 'submitRoundPart',
    summary: "Submit one site's part of a round (CSV or Parquet, read with the round's config)",
    requestBody: SUBMIT_PART_REQUEST_BODY,
  })
  @ApiCreatedResponse({ type: RoundPartDto })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description:
      'Invalid file (errors name the row and column), no site, or a site the round does not expect',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: "Unknown round, or another round than a site key's" })
  @ApiConflictResponse({
    type: ProblemDto,
    description:
      'The round is closed, the site already submitted, or the part lacks a column the others have',
  })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'File, rows or a field over the limit' })
  @ApiUnsupportedMediaTypeResponse({
    type: ProblemDto,
    description: 'Not multipart/form-data, or a file part that is neither CSV nor Parquet',
  })
  async submitRoundPart(
    @Param('roundId', uuidPipe('roundId')) roundId: string,
    @Req() req: Request,
  ): Promise<RoundPartDto> {
    return toRoundPartDto(await this.rounds.submitPart(roundId, req));
  }

  @Post('audit-rounds/:roundId/close')
  @Roles('admin', 'data_scientist')
  @ApiOperation({
    operationId: 'closeAuditRound',
    summary: 'Close a round: pool its parts into one audit, equal to one upload of every part',
  })
  @ApiBody({ type: CloseAuditRoundDto, required: false })
  @ApiCreatedResponse({ type: AuditDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown round' })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'Already closed, no part yet, or sites missing without allowMissing',
  })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'The parts together exceed MAX_ROWS' })
  async closeAuditRound(
    @Param('roundId', uuidPipe('roundId')) roundId: string,
    @Body() dto: CloseAuditRoundDto,
  ): Promise<AuditDto> {
    return toAuditDto(await this.rounds.close(roundId, dto));
  }
}
