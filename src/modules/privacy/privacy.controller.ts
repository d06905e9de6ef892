import { Body, Controller, Get, Param, Put } from '@nestjs/common';
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
import { PrivacyBudgetDto, SetPrivacyBudgetDto } from './dto/privacy-budget.dto';
import { toPrivacyBudgetDto } from './privacy.mapper';
import { PrivacyService } from './privacy.service';

@ApiTags('Privacy')
@Controller('v1')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('models/:modelId/privacy-budget')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getPrivacyBudget',
    summary: "The model's differential-privacy budget: set, spent and remaining",
  })
  @ApiOkResponse({ type: PrivacyBudgetDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Invalid UUID' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async getPrivacyBudget(@Param('modelId', uuidPipe('modelId')) modelId: string): Promise<PrivacyBudgetDto> {
    return toPrivacyBudgetDto(await this.privacy.status(modelId));
  }

  @Put('models/:modelId/privacy-budget')
  @Roles('admin')
  @ApiOperation({
    operationId: 'setPrivacyBudget',
    summary: "Set the model's differential-privacy budget",
  })
  @ApiOkResponse({ type: PrivacyBudgetDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'ε not > 0, or δ not in (0, 1)' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async setPrivacyBudget(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Body() dto: SetPrivacyBudgetDto,
  ): Promise<PrivacyBudgetDto> {
    return toPrivacyBudgetDto(await this.privacy.setBudget(modelId, dto));
  }
}
