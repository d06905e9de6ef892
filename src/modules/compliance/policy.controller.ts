import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DomainError } from '../../core/errors';
import { PageQueryDto } from '../../common/pagination';
import { ProblemDto } from '../../common/problem';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { toPolicyDto } from './compliance.mapper';
import { PolicyDto, PolicyPageDto, UpdatePolicyDto } from './dto/policy.dto';
import { PolicyService } from './policy.service';

const versionPipe = new ParseIntPipe({
  exceptionFactory: () =>
    new DomainError('invalid_input', 'version must be an integer.', [
      { field: 'version', message: 'must be an integer' },
    ]),
});

@ApiTags('Compliance')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getPolicy',
    summary: "The organization's compliance policy in force (version 0 = the shipped default)",
  })
  @ApiOkResponse({ type: PolicyDto })
  async getPolicy(): Promise<PolicyDto> {
    return toPolicyDto(await this.policies.current());
  }

  @Put()
  @Roles('admin', 'compliance_officer')
  @ApiOperation({
    operationId: 'updatePolicy',
    summary: 'Replace the policy: stores a new immutable version (fields left out take the shipped defaults)',
  })
  @ApiOkResponse({ type: PolicyDto })
  @ApiBadRequestResponse({ description: 'Invalid frameworks or thresholds, each named', type: ProblemDto })
  async updatePolicy(@Body() dto: UpdatePolicyDto): Promise<PolicyDto> {
    return toPolicyDto(await this.policies.update(dto));
  }

  @Get('versions')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'listPolicyVersions', summary: 'Every policy version, newest first' })
  @ApiOkResponse({ type: PolicyPageDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async listPolicyVersions(@Query() page: PageQueryDto): Promise<PolicyPageDto> {
    const { items, nextCursor } = await this.policies.history(page.limit, page.cursor);
    return { items: items.map(toPolicyDto), nextCursor };
  }

  @Get('versions/:version')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'getPolicyVersion', summary: 'One policy version' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getPolicyVersion(@Param('version', versionPipe) version: number): Promise<PolicyDto> {
    return toPolicyDto(await this.policies.version(version));
  }
}
