import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CALIBRATION_DISPARITY_KEYS, METRIC_KEYS, RATE_KEYS } from '../../../core/fairness';
import { CALIBRATION_FLAGS } from '../../../core/score-quality/calibration';

const NUM = { type: Number, nullable: true } as const;

export class MetricValueDto {
  @ApiProperty({ ...NUM, description: 'null when undefined for the group (0/0, a single class, no scores)' })
  value: number | null;
  @ApiPropertyOptional({
    ...NUM,
    description:
      "Lower bound (Wilson for rates; for AUC DeLong on the logit scale, or Newcombe's score-type Hanley-McNeil interval where DeLong's variance is 0 or undefined: perfect separation, a class under 2 rows). Every interval contains its value",
  })
  ciLow?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Upper bound of the interval' })
  ciHigh?: number | null;
  @ApiPropertyOptional({ description: 'Numerator of a rate (weighted when weights are given)' })
  numerator?: number;
  @ApiPropertyOptional({ description: 'Denominator of a rate (weighted when weights are given)' })
  denominator?: number;
  @ApiPropertyOptional({
    enum: CALIBRATION_FLAGS,
    example: 'scores_outside_unit_interval',
    description:
      'Calibration keys only: why the value (or only its interval) is null: no scores, scores outside [0, 1], a single class, a constant score, a fit that did not converge (separation), no expected or no observed events',
  })
  flag?: string;
}

export class DisparityDto {
  @ApiProperty({ ...NUM, description: 'm_group − m_reference' })
  difference: number | null;
  @ApiProperty({ ...NUM, description: 'm_group / m_reference; null when the reference is 0' })
  ratio: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Newcombe hybrid score interval of the difference' })
  differenceCiLow?: number | null;
  @ApiPropertyOptional(NUM)
  differenceCiHigh?: number | null;
  @ApiPropertyOptional({
    ...NUM,
    description:
      'Koopman asymptotic score interval of the ratio (defined when either group has no events; Katz log interval in audits computed before conventions.intervals.ratio said "koopman")',
  })
  ratioCiLow?: number | null;
  @ApiPropertyOptional({
    ...NUM,
    description:
      'Upper limit of the ratio interval; null when it is unbounded (the reference has no events) or undefined',
  })
  ratioCiHigh?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'Two-sided p-value against the reference' })
  pValue?: number | null;
  @ApiPropertyOptional({
    ...NUM,
    description:
      'Holm-adjusted within the family conventions.multipleTesting.family names: "metric" (the groups of the slice for this rate) or "slice" (every test of the slice)',
  })
  pValueAdjusted?: number | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: ['z', 'fisher', 'welch'],
    description:
      'z or fisher: two proportions (binary audits); welch: Welch t-test of two means (regression audits)',
  })
  test?: 'z' | 'fisher' | 'welch' | null;
  @ApiPropertyOptional({
    ...NUM,
    description:
      'Only on selection_rate: favorable selection rate / highest favorable selection rate in the slice (NYC LL144, 29 CFR 1607.4(D))',
  })
  impactRatio?: number | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'ratio within the fairness band' })
  withinBand?: boolean | null;
  @ApiPropertyOptional({
    ...NUM,
    example: 0.72,
    description:
      "Only on selection_rate, true_positive_rate and false_positive_rate: the largest ratio below 1 that a two-sided two-proportion z-test at conventions.evidence.alpha would detect with 80% power, given both groups' sizes (Kish effective sizes under weights) and the reference rate (normal approximation, unpooled variance). A true ratio between this and minDetectableRatioAbove would likely go unnoticed. null for the reference itself, when the reference rate is 0 or undefined, or when no ratio below 1 is detectable",
  })
  minDetectableRatio?: number | null;
  @ApiPropertyOptional({
    ...NUM,
    example: 1.3,
    description:
      'The smallest ratio above 1 the same test would detect with 80% power; null when none is (the group rate would have to exceed 1)',
  })
  minDetectableRatioAbove?: number | null;
}

const metricMap = (description: string) =>
  ({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(MetricValueDto) },
    description: `${description} Keys: ${METRIC_KEYS.join(', ')}.`,
    example: { selection_rate: { value: 0.41, ciLow: 0.38, ciHigh: 0.44 }, roc_auc: { value: null } },
  }) as const;

const disparityMap = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DisparityDto) },
  description: `Disparity against the slice's reference, per rate. Keys: ${[...RATE_KEYS, ...CALIBRATION_DISPARITY_KEYS].join(', ')} (observed_expected_ratio: ratio of the groups' O/E with a log-scale interval and Wald test; calibration_slope: difference of slopes with a Wald interval and test).`,
} as const;

const keyMap = (description: string) =>
  ({
    type: 'object',
    additionalProperties: { type: 'string' },
    description,
    example: { race: 'Black' },
  }) as const;

@ApiExtraModels(MetricValueDto, DisparityDto)
export class GroupResultDto {
  @ApiProperty(keyMap('Attribute → group of this group, e.g. {"race":"Black","sex":"Female"}'))
  key: Record<string, string>;
  @ApiProperty({ description: 'Rows in the group' })
  count: number;
  @ApiProperty({ description: "Share of the slice's analysed rows" })
  share: number;
  @ApiProperty(metricMap('Per-group metrics (snake_case keys, fairlearn names).'))
  metrics: Record<string, MetricValueDto>;
  @ApiProperty(disparityMap)
  disparities: Record<string, DisparityDto>;
  @ApiPropertyOptional({ ...NUM, description: "AIF360's average odds difference vs the reference" })
  averageOddsDifference?: number | null;
  @ApiProperty({
    type: [String],
    enum: ['insufficient_sample', 'reference', 'single_class', 'outside_band'],
  })
  flags: string[];
}

export class SliceSummaryDto {
  @ApiProperty({ ...NUM, description: 'max − min selection rate over the groups' })
  demographic_parity_difference: number | null;
  @ApiProperty({ ...NUM, description: 'min / max selection rate over the groups' })
  demographic_parity_ratio: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'max(TPR max−min, FPR max−min)' })
  equalized_odds_difference?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'min(TPR min/max, FPR min/max)' })
  equalized_odds_ratio?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'TPR max − min' })
  equal_opportunity_difference?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'TPR min / max' })
  equal_opportunity_ratio?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'AIF360: the group value of largest absolute size, sign kept' })
  average_odds_difference?: number | null;
  @ApiProperty({ ...NUM, description: 'NYC LL144: the lowest group impactRatio' })
  impact_ratio: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'AIF360 generalized entropy index GE(α=2)' })
  generalized_entropy_index?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'AIF360 Theil index (GE α=1)' })
  theil_index?: number | null;
}

export class SliceResultDto {
  @ApiProperty({
    type: [String],
    example: ['race'],
    description: 'One attribute, or several for an intersection',
  })
  attributes: string[];
  @ApiProperty(keyMap('Key of the reference group (values "overall" with strategy overall)'))
  reference: Record<string, string>;
  @ApiProperty({ type: [GroupResultDto] })
  groups: GroupResultDto[];
  @ApiProperty({ type: SliceSummaryDto })
  summary: SliceSummaryDto;
  @ApiPropertyOptional({
    description: 'Rows left out because an attribute was missing (missingAttribute "drop")',
  })
  droppedRows?: number;
}

@ApiExtraModels(MetricValueDto)
export class OverallDto {
  @ApiProperty() count: number;
  @ApiProperty(metricMap('Metrics of the whole sample.'))
  metrics: Record<string, MetricValueDto>;
}

export class MultipleTestingDto {
  @ApiProperty({ enum: ['holm'] }) method: 'holm';
  @ApiProperty({
    enum: ['metric', 'slice'],
    description:
      '"metric": the groups of one slice for one rate (each rate its own family); "slice": every test of the slice together',
  })
  family: 'metric' | 'slice';
}

export class EvidenceConventionsDto {
  @ApiProperty({ example: 0.05, description: 'Two-sided level of the test' }) alpha: number;
  @ApiProperty({ example: 0.8, description: 'Power' }) power: number;
  @ApiProperty({
    enum: ['two-proportion-z-unpooled'],
    description: '|r − p| = (z_{1−α/2} + z_{power})·√(p(1 − p)/n_group + r(1 − r)/n_reference), solved for p',
  })
  method: 'two-proportion-z-unpooled';
}

export class ConventionsDto {
  @ApiProperty({ enum: ['largest', 'most_favorable', 'overall', 'explicit'] }) referenceStrategy: string;
  @ApiProperty({ enum: ['positive', 'negative'] }) favorableOutcome: string;
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
    description:
      'The family of Holm\'s adjustment of pValueAdjusted; absent in audits computed before it was stated (family "metric")',
  })
  multipleTesting?: MultipleTestingDto;
  @ApiPropertyOptional({
    type: EvidenceConventionsDto,
    description: 'How minDetectableRatio was computed; absent in audits computed before it existed',
  })
  evidence?: EvidenceConventionsDto;
}

export class MetricsDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ type: OverallDto }) overall: OverallDto;
  @ApiProperty({
    type: [SliceResultDto],
    description: 'One entry per sensitive attribute, then one per intersection',
  })
  slices: SliceResultDto[];
  @ApiProperty({ description: 'True when no label column was used: only label-free metrics are present' })
  labelFree: boolean;
  @ApiProperty({ type: ConventionsDto }) conventions: ConventionsDto;
}

export class MetricsQueryDto {
  @ApiPropertyOptional({
    description:
      'Only the slices that include this attribute (e.g. "race"), or exactly this intersection ("race,sex")',
    example: 'race',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^[^,]+(,[^,]+)*$/, { message: 'attribute must be a name or a comma-separated list of names' })
  attribute?: string;
}
