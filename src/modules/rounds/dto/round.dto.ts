import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RequestBodyObject } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import type { CloseOptions, NewRound } from '../rounds.types';

const ROUND_CONFIG_EXAMPLE = {
  sensitiveAttributes: ['race', 'sex'],
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
};

export class CreateAuditRoundDto implements NewRound {
  @ApiProperty({ example: 'Q3 2026 multi-site audit', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    type: [String],
    example: ['north', 'south', 'east'],
    description:
      'The sites expected to submit a part, in the order their rows are pooled: 1 to 64 letters, digits, spaces, ' +
      '".", "_" or "-" each, at most MAX_GROUPS_PER_ATTRIBUTE sites',
  })
  @IsArray()
  sites: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: ROUND_CONFIG_EXAMPLE,
    description:
      'The audit config every part is read with (AuditConfigInputDto), plus `siteAsAttribute` (default true): the ' +
      "pooled audit also audits `site`, each part's site as its group; the parts' files need no site column. " +
      '`intersections` and `reference.groups` may name `site`.',
  })
  @IsObject()
  config: Record<string, unknown>;
}

export class CloseAuditRoundDto implements CloseOptions {
  @ApiPropertyOptional({
    description:
      "Pool the parts although some sites have not submitted (they are listed in the round's `missingSites`). " +
      'Without it, closing a round with a missing site is a 409.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  allowMissing?: boolean;
}

export class RoundSiteDto {
  @ApiProperty({ example: 'north' }) site: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1200,
    description:
      'Rows of the part; null when withheld under the disclosure rules (no count from 1 to 10 is shown, nor one ' +
      'that would give such a count back from the total)',
  })
  rowCount: number | null;
  @ApiProperty({
    enum: ['1-10', 'partner'],
    nullable: true,
    description: 'Why rowCount is withheld: a count of 1 to 10, or the partner of such a count',
  })
  suppressed: '1-10' | 'partner' | null;
  @ApiProperty({ description: "SHA-256 (hex) of the part's file as received" }) dataSha256: string;
}

export class AuditRoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) modelId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ type: [String], description: 'The sites expected, in pooling order' }) sites: string[];
  @ApiProperty({ type: [RoundSiteDto], description: 'The sites that have submitted, in pooling order' })
  submitted: RoundSiteDto[];
  @ApiProperty({ type: [String], description: 'The sites that have not submitted (yet)' })
  pending: string[];
  @ApiProperty({ description: 'Whether the pooled audit audits `site` too' }) siteAsAttribute: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The pooled audit's config (with `site` among its attributes when siteAsAttribute)",
  })
  config: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'The pooled audit, once closed' })
  auditId: string | null;
  @ApiProperty({ type: [String], description: 'Sites that had not submitted when the round was closed' })
  missingSites: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) closedAt: string | null;
}

export class RoundPartDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ example: 'north' }) site: string;
  @ApiProperty({ enum: ['csv', 'parquet'] }) format: string;
  @ApiProperty({ description: "Rows kept (the submitting site's own count)", example: 1200 })
  rowCount: number;
  @ApiProperty({ description: 'Rows left out under onInvalidRow "skip"' }) skippedRows: number;
  @ApiProperty({ description: 'SHA-256 (hex) of the file as received' }) dataSha256: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
}

/** OpenAPI schema of POST /v1/audit-rounds/{roundId}/parts. */
export const SUBMIT_PART_REQUEST_BODY: RequestBodyObject = {
  required: true,
  description:
    'multipart/form-data with a `file` part (CSV or Parquet, the same columns and rules as an audit upload: rows, ' +
    "or a cell table with the config's `countColumn`) and a `site` field. No config part: the file is read with " +
    "the round's config. Only the mapped columns are kept.",
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          site: {
            type: 'string',
            description: "The site this part comes from (optional with a site key: the key's site)",
            example: 'north',
          },
          file: {
            type: 'string',
            format: 'binary',
            description: "The site's data: a CSV file or a Parquet file",
          },
        },
      },
      encoding: { file: { contentType: 'text/csv, application/vnd.apache.parquet' } },
    },
  },
};
