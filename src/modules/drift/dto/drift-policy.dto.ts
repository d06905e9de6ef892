import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNumber,
  IsOptional,
  IsPositive,
  Max,
  Min,
} from 'class-validator';

const finite = { allowNaN: false, allowInfinity: false };

/**
 * A model's drift thresholds. Every field is optional: a field left out takes the default. PUT replaces
 * the model's whole override set (send {} to go back to the defaults).
 */
export class DriftPolicyDto {
  @ApiPropertyOptional({
    description: 'PSI from which a shift warns (must be below psiAlert)',
    default: 0.1,
    minimum: 0,
    exclusiveMinimum: true,
    example: 0.1,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  psiWarning?: number;

  @ApiPropertyOptional({
    description: 'PSI from which a shift alerts',
    default: 0.25,
    minimum: 0,
    exclusiveMinimum: true,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  psiAlert?: number;

  @ApiPropertyOptional({
    description: 'Smallest KS distance D that warns (and only when p < alpha)',
    default: 0.1,
    minimum: 0,
    maximum: 1,
  })
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(1)
  ksMinD?: number;

  @ApiPropertyOptional({
    description:
      'Jensen-Shannon distance of a group mix from which it warns (the distance is at most √ln 2 ≈ 0.83)',
    default: 0.1,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1)
  jsWarning?: number;

  @ApiPropertyOptional({
    description: 'Significance level of the tests (Holm-adjusted p-values are compared with it)',
    default: 0.05,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 0.5,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(0.5)
  alpha?: number;

  @ApiPropertyOptional({
    description: 'Fairness band [low, high] for ratio summaries, low < 1 < high; leaving it alerts',
    type: [Number],
    minItems: 2,
    maxItems: 2,
    default: [0.8, 1.25],
    example: [0.8, 1.25],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsNumber(finite, { each: true })
  @IsPositive({ each: true })
  fairnessBand?: [number, number];

  @ApiPropertyOptional({
    description: 'Absolute change of a rate (significant at alpha) that warns; below rateChangeAlert',
    default: 0.05,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1)
  rateChangeWarning?: number;

  @ApiPropertyOptional({
    description: 'Absolute change of a rate (significant at alpha) that alerts',
    default: 0.1,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1)
  rateChangeAlert?: number;
}

/** The thresholds drift uses for a model: every field set. */
export class DriftThresholdsDto {
  @ApiProperty() psiWarning: number;
  @ApiProperty() psiAlert: number;
  @ApiProperty() ksMinD: number;
  @ApiProperty() jsWarning: number;
  @ApiProperty() alpha: number;
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2 }) fairnessBand: [number, number];
  @ApiProperty() rateChangeWarning: number;
  @ApiProperty() rateChangeAlert: number;
}

export class DriftPolicyResponseDto {
  @ApiProperty({ format: 'uuid' }) modelId: string;
  @ApiProperty({
    type: DriftThresholdsDto,
    description: 'The thresholds in force: the defaults with the overrides applied',
  })
  thresholds: DriftThresholdsDto;
  @ApiProperty({ type: DriftPolicyDto, description: 'What this model overrides ({} = all defaults)' })
  overrides: DriftPolicyDto;
  @ApiProperty({ type: DriftThresholdsDto, description: 'The service defaults' })
  defaults: DriftThresholdsDto;
}
