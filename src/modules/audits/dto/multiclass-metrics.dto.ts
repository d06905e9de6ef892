import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CLASS_RATE_KEYS } from '../../../core/tasks';
import { DisparityDto, EvidenceConventionsDto, MetricValueDto, MultipleTestingDto } from './metrics.dto';

const NUM = { type: Number, nullable: true } as const;
const RATES = CLASS_RATE_KEYS.join(', ');

const byClass = (description: string, inner: object) =>
  ({
    type: 'object',
    additionalProperties: inner,
    description: `${description} Keyed by class name; read the order from \`classes\` (JSON objects need not keep it).`,
  }) as const;

const rateMap = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(MetricValueDto) },
  description: `One-vs-rest rates of the class with Wilson intervals. Keys: ${RATES} (selection_rate only without labels).`,
} as const;

const classRates = byClass('Per class, one-vs-rest.', rateMap);

const classDisparities = byClass("Per class, disparities against the slice's reference.", {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DisparityDto) },
  description: `Keys: ${RATES}`,
});

export class MulticlassMetricsDto {
  @ApiPropertyOptional({
    type: MetricValueDto,
    description: 'Rows in the group (the sum of frequencies with countColumn), as {value}',
  })
  count?: MetricValueDto;
  @ApiPropertyOptional({
    type: MetricValueDto,
    description:
      'Share of rows whose prediction is their label, with its Wilson interval; absent without labels',
  })
  accuracy?: MetricValueDto;
}

export class MulticlassDisparitiesDto {
  @ApiPropertyOptional({ type: DisparityDto, description: "Accuracy against the slice's reference" })
  accuracy?: DisparityDto;
  @ApiPropertyOptional(classDisparities)
  classes?: Record<string, Record<string, DisparityDto>>;
}

@ApiExtraModels(MetricValueDto, DisparityDto)
export class MulticlassGroupDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { race: 'Black' },
    description: 'Attribute → group',
  })
  key: Record<string, string>;
  @ApiProperty({ description: 'Rows in the group' }) count: number;
  @ApiProperty({ description: "Share of the slice's analysed rows" }) share: number;
  @ApiProperty({ type: MulticlassMetricsDto }) metrics: MulticlassMetricsDto;
  @ApiProperty(classRates) classes: Record<string, Record<string, MetricValueDto>>;
  @ApiProperty({ type: MulticlassDisparitiesDto }) disparities: MulticlassDisparitiesDto;
  @ApiProperty({
    type: [String],
    enum: ['insufficient_sample', 'reference', 'single_class', 'outside_band'],
    description:
      'As binary audits: insufficient_sample (fewer rows than minGroupSize, or a reported rate on fewer than 5), single_class (every label one class), outside_band (a class selection rate, TPR or FPR ratio outside the fairness band), reference',
  })
  flags: string[];
}

export class MulticlassClassSummaryDto {
  @ApiProperty({ ...NUM, description: 'max − min selection rate of the class over the groups' })
  demographic_parity_difference: number | null;
  @ApiProperty({ ...NUM, description: 'min / max selection rate of the class over the groups' })
  demographic_parity_ratio: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'max(TPR max − min, FPR max − min)' })
  equalized_odds_difference?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'min(TPR min / max, FPR min / max)' })
  equalized_odds_ratio?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'TPR max − min' })
  equal_opportunity_difference?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'TPR min / max' })
  equal_opportunity_ratio?: number | null;
}

@ApiExtraModels(MulticlassClassSummaryDto)
export class MulticlassSliceSummaryDto {
  @ApiProperty({ ...NUM, description: 'max − min accuracy over the groups (null without labels)' })
  accuracy_difference: number | null;
  @ApiProperty({ ...NUM, description: 'min / max accuracy over the groups' })
  accuracy_ratio: number | null;
  @ApiProperty(
    byClass("Fairlearn's between-groups summaries of each class (one-vs-rest).", {
      $ref: getSchemaPath(MulticlassClassSummaryDto),
    }),
  )
  classes: Record<string, MulticlassClassSummaryDto>;
}

export class MulticlassSliceDto {
  @ApiProperty({ type: [String], example: ['race'] }) attributes: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The reference group',
  })
  reference: Record<string, string>;
  @ApiProperty({ type: [MulticlassGroupDto] }) groups: MulticlassGroupDto[];
  @ApiProperty({ type: MulticlassSliceSummaryDto }) summary: MulticlassSliceSummaryDto;
  @ApiPropertyOptional({
    description: 'Rows left out because an attribute was missing (missingAttribute "drop")',
  })
  droppedRows?: number;
}

export class MulticlassOverallDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: MulticlassMetricsDto }) metrics: MulticlassMetricsDto;
  @ApiProperty(classRates) classes: Record<string, Record<string, MetricValueDto>>;
}

export class MulticlassConventionsDto {
  @ApiProperty({ enum: ['largest', 'overall', 'explicit'] }) referenceStrategy: string;
  @ApiProperty({ example: 0.95 }) confidenceLevel: number;
  @ApiProperty({ type: [Number], example: [0.8, 1.25] }) fairnessBand: number[];
  @ApiProperty() minGroupSize: number;
  @ApiProperty({ enum: ['group', 'drop'] }) missingAttribute: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) intervals: Record<
    string,
    string
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) tests: Record<string, string>;
  @ApiPropertyOptional({
    type: MultipleTestingDto,
    description: 'Family "metric": the groups of one slice, for one class and one rate (or accuracy)',
  })
  multipleTesting?: MultipleTestingDto;
  @ApiPropertyOptional({ type: EvidenceConventionsDto }) evidence?: EvidenceConventionsDto;
}

/** GET /v1/audits/{id}/metrics of an audit with config.task "multiclass". */
export class MulticlassMetricsResultDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ enum: ['multiclass'] }) task: 'multiclass';
  @ApiProperty({
    type: [String],
    example: ['Home', 'Home health', 'SNF', 'Other'],
    description:
      'Class names in order: config.classes, else the labels and predictions seen, in natural order ("2" before "10")',
  })
  classes: string[];
  @ApiProperty({ description: 'True when no label column was used: selection rates only' })
  labelFree: boolean;
  @ApiProperty({ type: MulticlassOverallDto }) overall: MulticlassOverallDto;
  @ApiProperty({ type: [MulticlassSliceDto] }) slices: MulticlassSliceDto[];
  @ApiProperty({ type: MulticlassConventionsDto }) conventions: MulticlassConventionsDto;
}
