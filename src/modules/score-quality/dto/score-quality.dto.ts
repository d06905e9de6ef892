import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CALIBRATION_FLAGS } from '../../../core/score-quality/calibration';

const NUM = { type: Number, nullable: true } as const;
const KEY = { type: 'object', additionalProperties: { type: 'string' }, example: { race: 'Black' } } as const;

export class EstimateDto {
  @ApiProperty({ ...NUM, example: 0.94 }) value: number | null;
  @ApiProperty({ ...NUM, example: 0.81 }) ciLow: number | null;
  @ApiProperty({ ...NUM, example: 1.09 }) ciHigh: number | null;
  @ApiPropertyOptional({
    enum: CALIBRATION_FLAGS,
    example: 'slope_not_converged',
    description: 'Why the value (or only its interval) is null',
  })
  flag?: string;
}

export class CalibrationMetricsDto {
  @ApiProperty({ ...NUM, description: 'mean (s − y)²', example: 0.092 }) brier_score: number | null;
  @ApiProperty({ ...NUM, description: '10 equal-width bins: Σ (n_b/n)·|ȳ_b − s̄_b|', example: 0.018 })
  expected_calibration_error: number | null;
  @ApiProperty({
    type: EstimateDto,
    description: 'Σy / Σs, interval exp(ln(O/E) ± z·√(d/O)) with d = Σw²/Σw (1 without weights)',
  })
  observed_expected_ratio: EstimateDto;
  @ApiProperty({
    type: EstimateDto,
    description: 'a in logit P(y=1) = a + logit(s) (maximum likelihood, Wald interval)',
  })
  calibration_intercept: EstimateDto;
  @ApiProperty({
    type: EstimateDto,
    description: 'b in logit P(y=1) = a + b·logit(s) (maximum likelihood, Wald interval)',
  })
  calibration_slope: EstimateDto;
  @ApiProperty({
    type: [String],
    enum: CALIBRATION_FLAGS,
    example: ['single_class'],
    description:
      'Why a figure is null: a single-class group has no fit; a constant score has no slope; a fit that does not converge (separation) is null',
  })
  flags: string[];
}

export class CurvePointDto {
  @ApiProperty({ example: 0.2 }) binLow: number;
  @ApiProperty({ example: 0.3 }) binHigh: number;
  @ApiProperty({ description: 'Rows in the bin (Σw with weights)', example: 1200 }) count: number;
  @ApiProperty({ ...NUM, example: 0.247 }) meanScore: number | null;
  @ApiProperty({ ...NUM, description: 'Share of label 1 in the bin', example: 0.231 }) observedRate:
    number | null;
  @ApiProperty({ ...NUM, description: 'Wilson interval of observedRate', example: 0.208 }) ciLow:
    number | null;
  @ApiProperty({ ...NUM, example: 0.256 }) ciHigh: number | null;
}

export class CalibrationOverallDto {
  @ApiProperty({ example: 101766 }) count: number;
  @ApiProperty({ type: CalibrationMetricsDto }) metrics: CalibrationMetricsDto;
  @ApiProperty({ type: [CurvePointDto], description: 'The reliability curve: 10 bins' })
  curve: CurvePointDto[];
}

export class CalibrationGroupDto extends CalibrationOverallDto {
  @ApiProperty(KEY) key: Record<string, string>;
}

export class CalibrationSliceDto {
  @ApiProperty({ type: [String], example: ['race'] }) attributes: string[];
  @ApiProperty({ type: [CalibrationGroupDto] }) groups: CalibrationGroupDto[];
}

export class CalibrationDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ example: 10 }) bins: number;
  @ApiProperty({ type: CalibrationOverallDto }) overall: CalibrationOverallDto;
  @ApiProperty({ type: [CalibrationSliceDto] }) slices: CalibrationSliceDto[];
}

export class ThresholdPointDto {
  @ApiProperty({ example: 0.25 }) threshold: number;
  @ApiProperty({ ...NUM, example: 0.135 }) selection_rate: number | null;
  @ApiProperty({ ...NUM, example: 0.31 }) true_positive_rate: number | null;
  @ApiProperty({ ...NUM, example: 0.11 }) false_positive_rate: number | null;
  @ApiProperty({ ...NUM, example: 0.26 }) positive_predictive_value: number | null;
  @ApiProperty({
    ...NUM,
    description: 'TP/n − FP/n · t/(1 − t) (Vickers & Elkin 2006); null at t = 1',
    example: 0.004,
  })
  net_benefit: number | null;
  @ApiProperty({ ...NUM, description: 'Patients flagged per 1,000 at this threshold', example: 135 })
  alerts_per_1000: number | null;
}

export class EqualOpportunityDto {
  @ApiProperty({
    ...NUM,
    description: "The group's largest threshold whose TPR reaches the target",
    example: 0.22,
  })
  threshold: number | null;
  @ApiProperty({ ...NUM, example: 0.33 }) true_positive_rate: number | null;
  @ApiProperty({ description: '|TPR − target| within the tolerance asked for' }) withinTolerance: boolean;
  @ApiProperty({ ...NUM, example: 160 }) alerts_per_1000: number | null;
  @ApiProperty({ ...NUM, example: 0.003 }) net_benefit: number | null;
}

export class ThresholdOverallDto {
  @ApiProperty({ example: 101766 }) count: number;
  @ApiProperty({ type: [ThresholdPointDto] }) points: ThresholdPointDto[];
}

export class ThresholdGroupDto extends ThresholdOverallDto {
  @ApiProperty(KEY) key: Record<string, string>;
  @ApiProperty({ type: EqualOpportunityDto }) equalOpportunity: EqualOpportunityDto;
}

export class ThresholdSliceDto {
  @ApiProperty({ type: [String], example: ['race'] }) attributes: string[];
  @ApiProperty({
    ...NUM,
    description:
      "The reference group's TPR at the audit's threshold: what equalOpportunity aims each group at",
    example: 0.31,
  })
  equalOpportunityTarget: number | null;
  @ApiProperty({ type: [ThresholdGroupDto] }) groups: ThresholdGroupDto[];
}

export class ThresholdsDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ type: [Number], example: [0.1, 0.2, 0.3] }) thresholds: number[];
  @ApiProperty({ description: "The audit's own threshold", example: 0.25 }) auditThreshold: number;
  @ApiProperty({ type: ThresholdOverallDto }) overall: ThresholdOverallDto;
  @ApiProperty({ type: [ThresholdSliceDto] }) slices: ThresholdSliceDto[];
}

export class ThresholdsQueryDto {
  @ApiPropertyOptional({
    description: 'Comma-separated thresholds in [0, 1] (at most 999); default 0.01 to 0.99 by 0.01',
    example: '0.1,0.2,0.3',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  @Matches(/^[^,]+(,[^,]+)*$/, { message: 'thresholds must be a comma-separated list of numbers' })
  thresholds?: string;

  @ApiPropertyOptional({
    description:
      'How close (absolute TPR) an equal-opportunity threshold must come to its target; default 0.02',
    example: '0.02',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  tolerance?: string;
}
