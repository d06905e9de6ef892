import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiBadRequestResponse,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { Roles } from '../auth/roles.decorator';
import { Hti1ExportDto } from './dto/export.dto';
import { EXPORT_ROLES } from './export-roles';
import { ExportsService, type SignedExport } from './exports.service';

const SIGNATURE_HEADERS = {
  'X-Fairwatch-Export-Id': { description: 'The recorded export', schema: { type: 'string', format: 'uuid' } },
  'X-Fairwatch-Signature': {
    description: 'Ed25519 signature (base64) of the exact response bytes, with the report signing key',
    schema: { type: 'string' },
  },
  'X-Fairwatch-Signing-Key': {
    description: 'Id of the signing key (GET /v1/reports/signing-key gives its public key)',
    schema: { type: 'string' },
  },
  'X-Content-SHA256': { description: 'SHA-256 (hex) of the response bytes', schema: { type: 'string' } },
};

function send(res: Response, file: SignedExport, name: string): StreamableFile {
  res.setHeader('X-Fairwatch-Export-Id', file.id);
  res.setHeader('X-Fairwatch-Signature', file.signature);
  res.setHeader('X-Fairwatch-Signing-Key', file.signingKeyId);
  res.setHeader('X-Content-SHA256', file.sha256);
  return new StreamableFile(file.bytes, {
    type: `${file.mediaType}; charset=utf-8`,
    disposition: `attachment; filename="${name}"`,
    length: file.bytes.length,
  });
}

/** Health-IT transparency exports of a model: HTI-1 source attributes (JSON) and the CHAI model card (XML). */
@ApiTags('Exports')
@ApiExtraModels(Hti1ExportDto)
@Controller('v1')
export class ExportsController {
  constructor(private readonly exportsService: ExportsService) {}

  @Get('models/:modelId/exports/hti-1')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({
    operationId: 'exportHti1',
    summary: "The model's 31 ONC HTI-1 source attributes, measured ones from its audits, signed",
  })
  @ApiProduces('application/json')
  @ApiOkResponse({
    description: 'The HTI-1 source attributes, signed (detached signature in the headers)',
    headers: SIGNATURE_HEADERS,
    content: { 'application/json': { schema: { $ref: getSchemaPath(Hti1ExportDto) } } },
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'modelId is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async exportHti1(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.exportsService.hti1(modelId);
    return send(res, file, `fairwatch-hti-1-${modelId}.json`);
  }

  @Get('models/:modelId/exports/chai-model-card')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({
    operationId: 'exportChaiModelCard',
    summary:
      "The model's CHAI Applied Model Card (schema v0.2) with fairness results from its audits, signed",
  })
  @ApiProduces('application/xml')
  @ApiOkResponse({
    description:
      'The model card as XML, valid against the CHAI v0.2 schema, signed (detached signature in the headers)',
    headers: SIGNATURE_HEADERS,
    content: {
      'application/xml': {
        schema: {
          type: 'string',
          example:
            '<?xml version="1.0" encoding="UTF-8"?>\n<AppliedModelCard xmlns="https://mc.chai.org/v0.2/schema.xsd">…</AppliedModelCard>',
        },
      },
    },
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'modelId is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown model' })
  async exportChaiModelCard(
    @Param('modelId', uuidPipe('modelId')) modelId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.exportsService.chaiModelCard(modelId);
    return send(res, file, `fairwatch-model-card-${modelId}.xml`);
  }
}
