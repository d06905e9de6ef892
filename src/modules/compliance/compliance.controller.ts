import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { FRAMEWORK_IDS, type FrameworkId } from '../../core/compliance';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { CatalogService } from './catalog.service';
import { toCatalogControlDto, toControlOutcomeDto, toFrameworkDto } from './compliance.mapper';
import { ComplianceService } from './compliance.service';
import { CatalogControlDto, FrameworkDto } from './dto/catalog.dto';
import { ControlOutcomeDto } from './dto/control-outcome.dto';
import { FrameworkListPipe } from './framework-list.pipe';

@ApiTags('Compliance')
@Controller('v1')
export class ComplianceController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly compliance: ComplianceService,
  ) {}

  @Get('frameworks')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listFrameworks',
    summary: 'The compliance frameworks with their control counts in the current catalog version',
  })
  @ApiOkResponse({ type: [FrameworkDto] })
  listFrameworks(): FrameworkDto[] {
    return this.catalog.frameworks().map(toFrameworkDto);
  }

  @Get('frameworks/:frameworkId/controls')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listFrameworkControls',
    summary: "A framework's controls, each with its evidence and its automatic rule as data",
  })
  @ApiParam({ name: 'frameworkId', enum: FRAMEWORK_IDS, enumName: 'FrameworkId' })
  @ApiOkResponse({ type: [CatalogControlDto] })
  @ApiNotFoundResponse({ description: 'Unknown framework', type: ProblemDto })
  listFrameworkControls(@Param('frameworkId') frameworkId: string): CatalogControlDto[] {
    return this.catalog.controls(frameworkId).map(toCatalogControlDto);
  }

  @Get('audits/:auditId/controls')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'evaluateAuditControls',
    summary:
      "Evaluate an audit against the controls of the chosen frameworks under the organization's policy in force",
    description:
      'Inputs: the audit results, the model documentation merged with the audit documentation (audit fields win), ' +
      'drift against the pinned baseline or the previous audit (none on the first audit), the audit metadata and the ' +
      'current time. Each outcome records the policy and catalog versions that decided it.',
  })
  @ApiQuery({
    name: 'frameworks',
    required: false,
    type: String,
    description: `Comma-separated framework IDs (${FRAMEWORK_IDS.join(', ')}); default: the policy's frameworks`,
    example: 'nyc-ll144,eeoc-ugesp',
  })
  @ApiOkResponse({ type: [ControlOutcomeDto] })
  @ApiBadRequestResponse({ description: 'Unknown framework or malformed auditId', type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async evaluateAuditControls(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Query('frameworks', FrameworkListPipe) frameworks?: FrameworkId[],
  ): Promise<ControlOutcomeDto[]> {
    return (await this.compliance.evaluate(auditId, frameworks)).outcomes.map(toControlOutcomeDto);
  }
}
