import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '../../common/pagination';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ApiKeysService } from './api-keys.service';
import { AuditEventsService } from './audit-events.service';
import { AuditTrailService } from './audit-trail.service';
import { toApiKeyDto, toAuditEventDto } from './auth.mapper';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import {
  AuditEventListDto,
  AuditTrailHeadDto,
  ChainVerificationDto,
  VerifyAuditTrailDto,
} from './dto/audit-event.dto';
import { CreatedOrganizationDto, CreateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';
import { Roles } from './roles.decorator';

@ApiTags('Keys and organizations')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly organizations: OrganizationsService,
    private readonly events: AuditEventsService,
    private readonly trail: AuditTrailService,
  ) {}

  @Post('api-keys')
  @Roles('admin')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async createApiKey(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const scope =
      dto.roundId !== undefined && dto.site !== undefined
        ? { roundId: dto.roundId, site: dto.site }
        : undefined;
    const { entity, key } = await this.keys.create(dto.name, dto.role, scope);
    return { ...toApiKeyDto(entity), key };
  }

  @Get('api-keys')
  @Roles('admin')
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: "List the organization's API keys (never the keys themselves)",
  })
  @ApiOkResponse({ type: ApiKeyListDto })
  async listApiKeys(): Promise<ApiKeyListDto> {
    return { items: (await this.keys.list()).map(toApiKeyDto), nextCursor: null };
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  revokeApiKey(@Param('keyId', uuidPipe('keyId')) keyId: string): Promise<void> {
    return this.keys.revoke(keyId);
  }

  @Post('organizations')
  @Roles('admin')
  @ApiOperation({
    operationId: 'createOrganization',
    summary: 'Create an organization and its first admin key (default organization admins only)',
  })
  @ApiCreatedResponse({ type: CreatedOrganizationDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async createOrganization(@Body() dto: CreateOrganizationDto): Promise<CreatedOrganizationDto> {
    const { org, adminKey } = await this.organizations.create(dto.name);
    return { id: org.id, name: org.name, adminKey, createdAt: org.createdAt.toISOString() };
  }

  @Get('audit-events')
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: "Who did what, when: the organization's audit trail, newest first",
  })
  @ApiOkResponse({ type: AuditEventListDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async listAuditEvents(@Query() page: PageQueryDto): Promise<AuditEventListDto> {
    const { items, nextCursor } = await this.events.list(page.limit, page.cursor);
    return { items: items.map(toAuditEventDto), nextCursor };
  }

  @Get('audit-events/head')
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'getAuditTrailHead',
    summary: "The newest event of the organization's trail, signed: keep it to check the trail later",
    description:
      'Ed25519 signature over the organization, seq and hash (docs/audit-trail.md). Whoever keeps a head can later prove, with POST /v1/audit-events/verify, that the event it names is still in the chain unchanged, which catches deleted or rewritten newest events.',
  })
  @ApiOkResponse({ type: AuditTrailHeadDto, description: "The organization's newest event, signed" })
  async getAuditTrailHead(): Promise<AuditTrailHeadDto> {
    return this.trail.head();
  }

  @Get('audit-events/verify')
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'verifyAuditTrail',
    summary: "Recompute the organization's hash chain and list every break",
    description:
      "Recomputes every event of the caller's organization from its first event (canonical JSON, SHA-256, docs/audit-trail.md) and lists every break: an edited event, a gap left by deleted events, an event that does not follow its predecessor. Without a head, deleting the newest events cannot be detected: use POST with a head kept earlier.",
  })
  @ApiOkResponse({
    type: ChainVerificationDto,
    description: 'The verification result with every break found',
  })
  verifyAuditTrail(): Promise<ChainVerificationDto> {
    return this.trail.verify();
  }

  @Post('audit-events/verify')
  @HttpCode(200)
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'verifyAuditTrailWithHead',
    summary:
      "Recompute the organization's hash chain; with a head kept earlier, also prove its event is unchanged",
    description:
      "As GET /v1/audit-events/verify, and with `head` (from GET /v1/audit-events/head or a report's trailHead) also checks the head's Ed25519 signature for the caller's organization and that the event it names is still in the chain with the same hash. That catches deleted newest events and a rewrite that recomputed every later hash.",
  })
  @ApiOkResponse({
    type: ChainVerificationDto,
    description: 'The verification result with every break found, and whether the head verified',
  })
  @ApiBadRequestResponse({ type: ProblemDto })
  verifyAuditTrailWithHead(@Body() dto: VerifyAuditTrailDto): Promise<ChainVerificationDto> {
    return this.trail.verify(dto.head ?? undefined);
  }
}
