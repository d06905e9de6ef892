import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  IntersectionType,
  OmitType,
  PartialType,
  PickType,
} from '@nestjs/swagger';
import type { RequestBodyObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DocumentationDto } from '../../../common/documentation.dto';
import type { Documentation } from '../../../core/compliance';
import { AUDIT_TASKS, DATA_SOURCES, type AuditTask, type DataSource } from '../../../core/ingest';
import type {
  AuditSummary,
  FlaggedGroup,
  GroupDifference,
  GroupValue,
  OverallGlance,
  SliceGlance,
} from '../audit-headline';
import type { AuditChanges } from '../audits.types';
import { MulticlassAuditSummaryDto } from './multiclass-summary.dto';
import type {
  RegressionAuditSummary,
  RegressionOverallGlance,
  RegressionSliceGlance,
} from '../regression-headline';

const NUM = { type: Number, nullable: true } as const;

const DATA_SOURCE_PROPERTY = {
  enum: DATA_SOURCES,
  example: 'external',
  description:
    "Where the data come from, in HTI-1's terms (45 CFR 170.315(b)(11)(iv)(B)): training, internal_test " +
    '(test data from the source of the training data), external (another source) or local (the deploying site); ' +
    'default local. The HTI-1 export and the model card read it.',
} as const;

const DATA_SOURCE_DESCRIPTION_PROPERTY = {
  maxLength: 10_000,
  example: 'Discharges 2024 Q1 from a partner hospital network; validation run by its data science team',
  description: 'Free text about the data: site, system, extract, who ran the test.',
} as const;

export class ReferenceConfigDto {
  @ApiProperty({ enum: ['largest', 'most_favorable', 'overall', 'explicit'], default: 'largest' })
  strategy: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Reference group per attribute (required for every attribute with "explicit")',
    example: { race: 'White' },
  })
  groups?: Record<string, string>;
}

/** The audit config (validated by core/ingest parseAuditConfig); documented here for the OpenAPI document. */
export class AuditConfigDto {
  @ApiPropertyOptional({
    enum: AUDIT_TASKS,
    default: 'binary',
    description:
      'What the model predicts: "binary" (labels, scores), or "regression" (a number: targetColumn and predictionColumn; threshold, positiveLabel, favorableOutcome, labelColumn and scoreColumn are refused)',
  })
  task?: AuditTask;
  @ApiPropertyOptional({
    description:
      'Regression only: the numeric outcome (cost, length of stay); default "y_true" when the upload has it. Missing, non-numeric or infinite values: 400 naming row and column (or skipped with onInvalidRow "skip")',
    example: 'time_in_hospital',
  })
  targetColumn?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Ground truth column (0/1, true/false, or strings with positiveLabel); null = label-free audit',
    default: 'y_true (if present)',
  })
  labelColumn?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Predicted label column',
    default: 'y_pred (if present)',
  })
  predictionColumn?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Model score or probability column',
    default: 'score (if present)',
  })
  scoreColumn?: string | null;
  @ApiPropertyOptional({ description: 'Optional non-negative sample weights column' })
  weightColumn?: string;
  @ApiPropertyOptional({
    description:
      'Frequency column of a cell table: each row stands for that many identical people (a whole number ≥ 0); every result equals that of the expanded rows. Not combinable with weightColumn',
  })
  countColumn?: string;
  @ApiProperty({
    default: 0.5,
    description: 'score >= threshold gives predicted 1 when no prediction column',
  })
  threshold: number;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number', enum: [0, 1] }, { type: 'boolean' }],
    default: 1,
    description: 'The value that counts as 1',
  })
  positiveLabel: string | number | boolean;
  @ApiProperty({ enum: ['positive', 'negative'], default: 'positive' })
  favorableOutcome: string;
  @ApiProperty({ type: [String], example: ['race', 'sex', 'age_band'] })
  sensitiveAttributes: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    default: [],
    example: [['race', 'sex']],
  })
  intersections: string[][];
  @ApiProperty({ type: ReferenceConfigDto })
  reference: ReferenceConfigDto;
  @ApiProperty({ default: 30 })
  minGroupSize: number;
  @ApiProperty({ enum: ['group', 'drop'], default: 'group' })
  missingAttribute: string;
  @ApiProperty({ type: [String], default: [''] })
  missingTokens: string[];
  @ApiProperty({ enum: ['reject', 'skip'], default: 'reject' })
  onInvalidRow: string;
  @ApiPropertyOptional({ maxLength: 200 }) name?: string;
  @ApiPropertyOptional({ format: 'date-time' }) periodStart?: string;
  @ApiPropertyOptional({ format: 'date-time' }) periodEnd?: string;
  @ApiPropertyOptional({ maxLength: 10_000 }) notes?: string;
  @ApiPropertyOptional(DATA_SOURCE_PROPERTY) dataSource?: DataSource;
  @ApiPropertyOptional(DATA_SOURCE_DESCRIPTION_PROPERTY) dataSourceDescription?: string;
}

/** The reference as sent: `strategy` may be left out (largest). */
export class ReferenceConfigInputDto extends PartialType(ReferenceConfigDto) {}

/**
 * The audit config as a client sends it: only `sensitiveAttributes` is required; every other field has a
 * default the server fills in (the returned audit's `config` is the applied AuditConfigDto).
 */
export class AuditConfigInputDto extends IntersectionType(
  PartialType(OmitType(AuditConfigDto, ['sensitiveAttributes', 'reference'] as const)),
  PickType(AuditConfigDto, ['sensitiveAttributes'] as const),
) {
  @ApiPropertyOptional({ type: ReferenceConfigInputDto, description: 'Default: {"strategy":"largest"}' })
  reference?: ReferenceConfigInputDto;
}

export class ColumnsUsedDto {
  @ApiPropertyOptional({ description: 'Regression: the target column' }) target?: string;
  @ApiPropertyOptional() label?: string;
  @ApiPropertyOptional() prediction?: string;
  @ApiPropertyOptional() score?: string;
  @ApiPropertyOptional() weight?: string;
  @ApiPropertyOptional({ description: 'The count column (config.countColumn)' }) count?: string;
  @ApiProperty({ type: [String] }) attributes: string[];
}

export class OverallGlanceDto implements OverallGlance {
  @ApiProperty() count: number;
  @ApiProperty(NUM) selection_rate: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Share of label 1 (absent without labels)' })
  base_rate?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Absent without labels or scores' })
  roc_auc?: number | null;
}

const KEY = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { race: 'Black' },
} as const;

export class GroupValueDto implements GroupValue {
  @ApiProperty(KEY) key: Record<string, string>;
  @ApiProperty(NUM) value: number | null;
}

export class GroupDifferenceDto implements GroupDifference {
  @ApiProperty(KEY) key: Record<string, string>;
  @ApiProperty({ ...NUM, description: 'rate of the group − rate of the reference' }) difference:
    number | null;
  @ApiProperty({ ...NUM, description: 'rate of the group / rate of the reference' }) ratio: number | null;
}

export class FlaggedGroupDto implements FlaggedGroup {
  @ApiProperty(KEY) key: Record<string, string>;
  @ApiProperty() count: number;
  @ApiProperty({ type: [String], enum: ['insufficient_sample', 'single_class', 'outside_band'] })
  flags: string[];
}

export class SliceGlanceDto implements SliceGlance {
  @ApiProperty({ type: [String] }) attributes: string[];
  @ApiProperty({ ...KEY, example: { race: 'White' } }) reference: Record<string, string>;
  @ApiProperty() groupCount: number;
  @ApiProperty({
    type: [String],
    enum: ['single_group', 'no_comparable_groups'],
    description:
      'single_group: the attribute has one group only, so nothing can be compared; no_comparable_groups: fewer than two groups have a defined selection rate',
  })
  warnings: string[];
  @ApiProperty(NUM) demographic_parity_ratio: number | null;
  @ApiProperty(NUM) demographic_parity_difference: number | null;
  @ApiPropertyOptional(NUM) equalized_odds_difference?: number | null;
  @ApiProperty({ ...NUM, description: 'Lowest impact ratio (LL144)' }) impact_ratio: number | null;
  @ApiProperty({
    type: GroupValueDto,
    nullable: true,
    description: 'The group with the lowest impact ratio',
  })
  lowestImpactRatio: GroupValueDto | null;
  @ApiPropertyOptional({
    type: GroupDifferenceDto,
    nullable: true,
    description:
      'The group whose false positive rate differs most from the reference (absent without labels)',
  })
  largestFalsePositiveRateGap?: GroupDifferenceDto | null;
  @ApiPropertyOptional({
    type: GroupDifferenceDto,
    nullable: true,
    description: 'The group whose true positive rate differs most from the reference (absent without labels)',
  })
  largestTruePositiveRateGap?: GroupDifferenceDto | null;
  @ApiProperty({ type: [FlaggedGroupDto], description: 'Groups carrying a flag other than "reference"' })
  flagged: FlaggedGroupDto[];
}

/** The headline numbers of an audit, readable at a glance. The full results are at /metrics. */
export class AuditSummaryDto implements AuditSummary {
  @ApiProperty({ type: OverallGlanceDto }) overall: OverallGlanceDto;
  @ApiProperty({ description: 'No label column: only label-free metrics were computed' }) labelFree: boolean;
  @ApiProperty({ description: 'Groups (over all slices) carrying a flag other than "reference"' })
  flaggedGroups: number;
  @ApiProperty({ type: [SliceGlanceDto] }) slices: SliceGlanceDto[];
  @ApiPropertyOptional({
    description:
      'With config.countColumn only: rows of the uploaded cell table kept (0-count rows included); rowCount and counts are then people, the sum of the counts',
  })
  cellCount?: number;
}

export class RegressionOverallGlanceDto implements RegressionOverallGlance {
  @ApiProperty() count: number;
  @ApiProperty(NUM) mean_target: number | null;
  @ApiProperty(NUM) mean_prediction: number | null;
  @ApiProperty(NUM) mean_error: number | null;
  @ApiProperty(NUM) mean_absolute_error: number | null;
  @ApiProperty(NUM) root_mean_squared_error: number | null;
  @ApiProperty(NUM) r2: number | null;
}

export class RegressionSliceGlanceDto implements RegressionSliceGlance {
  @ApiProperty({ type: [String] }) attributes: string[];
  @ApiProperty(KEY) reference: Record<string, string>;
  @ApiProperty() groupCount: number;
  @ApiProperty({ type: [String], enum: ['single_group', 'no_comparable_groups'] }) warnings: string[];
  @ApiProperty(NUM) mean_error_difference: number | null;
  @ApiProperty(NUM) mean_absolute_error_difference: number | null;
  @ApiProperty(NUM) root_mean_squared_error_difference: number | null;
  @ApiProperty(NUM) worst_group_mean_absolute_error: number | null;
  @ApiProperty(NUM) worst_group_root_mean_squared_error: number | null;
  @ApiProperty({ type: GroupDifferenceDto, nullable: true })
  largestMeanAbsoluteErrorGap: GroupDifferenceDto | null;
  @ApiProperty({ type: [FlaggedGroupDto] }) flagged: FlaggedGroupDto[];
}

/** The summary of a regression audit. */
export class RegressionAuditSummaryDto implements RegressionAuditSummary {
  @ApiProperty({ enum: ['regression'] }) task: 'regression';
  @ApiProperty({ type: RegressionOverallGlanceDto }) overall: RegressionOverallGlanceDto;
  @ApiProperty() flaggedGroups: number;
  @ApiProperty({ type: [RegressionSliceGlanceDto] }) slices: RegressionSliceGlanceDto[];
  @ApiPropertyOptional({
    description:
      'With config.countColumn only: rows of the uploaded cell table kept (0-count rows included); rowCount and counts are then people, the sum of the counts',
  })
  cellCount?: number;
}

@ApiExtraModels(AuditConfigDto, AuditSummaryDto, RegressionAuditSummaryDto, MulticlassAuditSummaryDto)
export class AuditDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) modelId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    description:
      'Rows audited (skipped rows excluded); with config.countColumn the people audited, the sum of the counts (summary.cellCount gives the rows)',
  })
  rowCount: number;
  @ApiProperty({
    description:
      'SHA-256 (hex) of the uploaded data as received: the CSV file bytes, or the raw JSON body bytes',
  })
  dataSha256: string;
  @ApiProperty({ type: AuditConfigDto, description: 'The config as applied, defaults filled in' })
  config: AuditConfigDto;
  @ApiProperty({
    description:
      'The headline of the audit\'s task: binary (no `task` field), regression (`task: "regression"`) or multiclass (`task: "multiclass"`)',
    oneOf: [
      { $ref: getSchemaPath(AuditSummaryDto) },
      { $ref: getSchemaPath(RegressionAuditSummaryDto) },
      { $ref: getSchemaPath(MulticlassAuditSummaryDto) },
    ],
  })
  summary: AuditSummaryDto | RegressionAuditSummaryDto | MulticlassAuditSummaryDto;
  @ApiProperty({ description: 'Rows left out under onInvalidRow "skip"' }) skippedRows: number;
  @ApiProperty({ type: [Number], description: 'Row numbers (1-based, header = 0) of the first skipped rows' })
  firstSkippedRows: number[];
  @ApiProperty({ type: ColumnsUsedDto }) columnsUsed: ColumnsUsedDto;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) periodStart: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) periodEnd: string | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({
    ...DATA_SOURCE_PROPERTY,
    description: "HTI-1's setting of the audited data ('local' unless config.dataSource said otherwise)",
  })
  dataSource: DataSource;
  @ApiProperty({ ...DATA_SOURCE_DESCRIPTION_PROPERTY, type: String, nullable: true })
  dataSourceDescription: string | null;
  @ApiProperty({ type: DocumentationDto, description: 'Datasheet fields of the audited data' })
  documentation: Documentation;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditDto] }) items: AuditDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

const NULLABLE_DATE_TIME = {
  type: String,
  nullable: true,
  format: 'date-time',
  description: 'ISO 8601; null clears',
} as const;

/** A PATCH body: absent fields are kept, null clears a field (@IsOptional lets null through unvalidated). */
export class UpdateAuditDto implements AuditChanges {
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string | null;

  @ApiPropertyOptional(DATA_SOURCE_PROPERTY)
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(DATA_SOURCES)
  dataSource?: DataSource;

  @ApiPropertyOptional({ ...DATA_SOURCE_DESCRIPTION_PROPERTY, type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  dataSourceDescription?: string | null;

  @ApiPropertyOptional(NULLABLE_DATE_TIME)
  @IsOptional()
  @IsISO8601({ strict: true })
  periodStart?: string | null;

  @ApiPropertyOptional(NULLABLE_DATE_TIME)
  @IsOptional()
  @IsISO8601({ strict: true })
  periodEnd?: string | null;

  @ApiPropertyOptional({
    type: DocumentationDto,
    description: 'Fields given here replace the stored ones; null clears a field',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentationDto)
  documentation?: Documentation;
}

/** OpenAPI schemas of the two request bodies of POST /v1/models/{modelId}/audits. */
export const SUBMIT_AUDIT_REQUEST_BODY: RequestBodyObject = {
  required: true,
  description:
    'Either multipart/form-data with a `file` part (CSV: header row, RFC 4180, UTF-8, optional BOM, LF or CRLF; ' +
    'comma, semicolon or tab detected from the header; or Parquet: `application/vnd.apache.parquet`, a `.parquet` ' +
    'name or the PAR1 magic bytes, same columns and rules as CSV) and a `config` part (a JSON string; before or ' +
    'after the file), or application/json `{config, records: [...]}` / `{config, columns: {name: [...]}}`. Only ' +
    'the mapped columns are stored; every other column is discarded unread. Prefer CSV or Parquet for large ' +
    'uploads: they are streamed (CSV) or spooled encrypted (Parquet), while a JSON body is held in memory to be ' +
    'parsed.',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file', 'config'],
        properties: {
          config: {
            type: 'string',
            description:
              'The audit config as a JSON string (schema: AuditConfigInputDto; only sensitiveAttributes is required)',
            example: '{"sensitiveAttributes":["race","sex"],"labelColumn":"y_true","scoreColumn":"score"}',
          },
          file: {
            type: 'string',
            format: 'binary',
            description: 'The data: a CSV file, or a Parquet file (another binary format is a 415)',
          },
        },
      },
      encoding: {
        config: { contentType: 'application/json' },
        file: { contentType: 'text/csv, application/vnd.apache.parquet' },
      },
    },
    'application/json': {
      schema: {
        oneOf: [
          {
            type: 'object',
            title: 'records',
            required: ['config', 'records'],
            additionalProperties: false,
            properties: {
              config: { $ref: getSchemaPath(AuditConfigInputDto) },
              records: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: {
                    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
                    nullable: true,
                  },
                },
                example: [{ y_true: 1, score: 0.83, race: 'Black', sex: 'F' }],
              },
            },
          },
          {
            type: 'object',
            title: 'columns',
            required: ['config', 'columns'],
            additionalProperties: false,
            properties: {
              config: { $ref: getSchemaPath(AuditConfigInputDto) },
              columns: {
                type: 'object',
                additionalProperties: {
                  type: 'array',
                  items: {
                    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
                    nullable: true,
                  },
                },
                example: { y_true: [1, 0], score: [0.83, 0.12], race: ['Black', 'White'] },
              },
            },
          },
        ],
      },
    },
  },
};
