import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { REGRESSION_METRIC_KEYS } from '../../../core/tasks';
import { DisparityDto, MetricValueDto, MultipleTestingDto } from './metrics.dto';

const NUM = { type: Number, nullable: true } as const;
const KEY = { type: 'object', additionalProperties: { type: 'string' }, example: { race: 'Black' } } as const;

const metricMap = (description: string) =>
  ({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(MetricValueDto) },
    description: `${description} Keys: ${REGRESSION_METRIC_KEYS.join(', ')}. Intervals: t for the means, the square root of the MSE's t-interval for root_mean_squared_error, delta method for r2 (null when the group's target is constant).`,
    example: { mean_absolute_error: { value: 1.42, ciLow: 1.31, ciHigh: 1.53 }, r2: { value: null } },
  }) as const;

const disparityMap = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DisparityDto) },
  description:
    'Against the slice\'s reference, per metric except count: difference with a Welch interval and Welch t-test (test "welch"), ratio with a delta-method log-scale interval (only when both values are positive), Holm-adjusted p-values per metric.',
} as const;

export class PredictionDecileDto {
  @ApiProperty({ minimum: 1, maximum: 10 }) decile: number;
  @ApiProperty({ description: 'Rows of the group in this decile of the prediction' }) count: number;
  @ApiProperty(NUM) meanPrediction: number | null;
  @ApiProperty({ type: MetricValueDto, description: 'Mean target with its t-interval' })
  meanTarget: MetricValueDto;
}

@ApiExtraModels(MetricValueDto, DisparityDto)
export class RegressionGroupResultDto {
  @ApiProperty(KEY) key: Record<string, string>;
  @ApiProperty({ description: 'Rows in the group (the sum of the counts with countColumn)' }) count: number;
  @ApiProperty({ description: "Share of the slice's analysed rows" }) share: number;
  @ApiProperty(metricMap('Per-group metrics.')) metrics: Record<string, MetricValueDto>;
  @ApiProperty(disparityMap) disparities: Record<string, DisparityDto>;
  @ApiPropertyOptional({
    type: [PredictionDecileDto],
    description:
      'The Obermeyer check: mean target per decile of the prediction (cut points of the whole sample, decileCutPoints)',
  })
  predictionDeciles?: PredictionDecileDto[];
  @ApiProperty({ type: [String], enum: ['insufficient_sample', 'reference'] }) flags: string[];
}

export class RegressionSliceSummaryDto {
  @ApiPropertyOptional({
    ...NUM,
    description: 'max − min over the groups (and likewise for every metric key)',
  })
  mean_absolute_error_difference?: number | null;
  @ApiPropertyOptional({
    ...NUM,
    description: 'min / max over the groups; null unless every value is positive',
  })
  mean_absolute_error_ratio?: number | null;
  @ApiPropertyOptional(NUM) mean_target_difference?: number | null;
  @ApiPropertyOptional(NUM) mean_target_ratio?: number | null;
  @ApiPropertyOptional(NUM) mean_prediction_difference?: number | null;
  @ApiPropertyOptional(NUM) mean_prediction_ratio?: number | null;
  @ApiPropertyOptional(NUM) mean_error_difference?: number | null;
  @ApiPropertyOptional(NUM) mean_error_ratio?: number | null;
  @ApiPropertyOptional(NUM) root_mean_squared_error_difference?: number | null;
  @ApiPropertyOptional(NUM) root_mean_squared_error_ratio?: number | null;
  @ApiPropertyOptional(NUM) r2_difference?: number | null;
  @ApiPropertyOptional(NUM) r2_ratio?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Bounded group loss: the largest group MAE' })
  worst_group_mean_absolute_error?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Bounded group loss: the largest group RMSE' })
  worst_group_root_mean_squared_error?: number | null;
}

export class RegressionSliceResultDto {
  @ApiProperty({ type: [String], example: ['race'] }) attributes: string[];
  @ApiProperty(KEY) reference: Record<string, string>;
  @ApiProperty({ type: [RegressionGroupResultDto] }) groups: RegressionGroupResultDto[];
  @ApiProperty({ type: RegressionSliceSummaryDto }) summary: RegressionSliceSummaryDto;
  @ApiPropertyOptional() droppedRows?: number;
}

@ApiExtraModels(MetricValueDto)
export class RegressionOverallDto {
  @ApiProperty() count: number;
  @ApiProperty(metricMap('Metrics of the whole sample.')) metrics: Record<string, MetricValueDto>;
  @ApiPropertyOptional({ type: [PredictionDecileDto] }) predictionDeciles?: PredictionDecileDto[];
}

export class RegressionConventionsDto {
  @ApiProperty({
    enum: ['largest', 'most_favorable', 'overall', 'explicit'],
    description: 'most_favorable: the group with the lowest mean absolute error',
  })
  referenceStrategy: string;
  @ApiProperty({ example: 0.95 }) confidenceLevel: number;
  @ApiProperty({ type: [Number], example: [0.8, 1.25] }) fairnessBand: number[];
  @ApiProperty() minGroupSize: number;
  @ApiProperty({ enum: ['group', 'drop'] }) missingAttribute: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: {
      mean: 't',
      rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
      r2: 'delta-method-t',
      difference: 'welch',
      ratio: 'delta-method-log',
    },
  })
  intervals: Record<string, string>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { means: 'welch-t', adjustment: 'holm' },
  })
  tests: Record<string, string>;
  @ApiProperty({ type: MultipleTestingDto }) multipleTesting: MultipleTestingDto;
}

/** GET /v1/audits/{id}/metrics of a regression audit (config.task "regression"). */
export class RegressionMetricsDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ enum: ['regression'] }) task: 'regression';
  @ApiProperty({ type: RegressionOverallDto }) overall: RegressionOverallDto;
  @ApiPropertyOptional({
    type: [Number],
    description: 'Upper cut points of deciles 1..9 of the prediction over the whole sample (inverted CDF)',
  })
  decileCutPoints?: number[];
  @ApiProperty({ type: [RegressionSliceResultDto] }) slices: RegressionSliceResultDto[];
  @ApiProperty({ type: RegressionConventionsDto }) conventions: RegressionConventionsDto;
}
