import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '../../common/pagination';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { CreateModelDto, ModelDto, ModelPageDto, UpdateModelDto } from './dto/model.dto';
import { toModelDto } from './models.mapper';
import { ModelsService } from './models.service';

@ApiTags('Models')
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Post()
  @Roles('admin', 'data_scientist')
  @ApiOperation({
    operationId: 'createModel',
    summary: 'Register a model (name + version unique in the organization)',
  })
  @ApiCreatedResponse({ type: ModelDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  @ApiConflictResponse({ description: 'name@version already exists', type: ProblemDto })
  async createModel(@Body() dto: CreateModelDto): Promise<ModelDto> {
    return toModelDto(await this.models.create(dto));
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'listModels', summary: 'List models, newest first' })
  @ApiOkResponse({ type: ModelPageDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async listModels(@Query() page: PageQueryDto): Promise<ModelPageDto> {
    const { items, nextCursor } = await this.models.list(page);
    return { items: items.map(toModelDto), nextCursor };
  }

  @Get(':modelId')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'getModel', summary: 'Get a model' })
  @ApiOkResponse({ type: ModelDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async getModel(@Param('modelId', uuidPipe('modelId')) modelId: string): Promise<ModelDto> {
    return toModelDto(await this.models.get(modelId));
  }

  @Patch(':modelId')
  @Roles('admin', 'data_scientist', 'compliance_officer')
  @ApiOperation({
    operationId: 'updateModel',
    summary: "Update a model's description and documentation fields",
  })
  @ApiOkResponse({ type: ModelDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiBadRequestResponse({ type: ProblemDto })
  async updateModel(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Body() dto: UpdateModelDto,
  ): Promise<ModelDto> {
    return toModelDto(await this.models.update(modelId, dto));
  }
}
