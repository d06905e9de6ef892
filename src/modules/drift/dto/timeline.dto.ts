import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { TIMELINE_METRIC_KEYS } from '../../../core/drift';

export class TimelineQueryDto {
  @ApiPropertyOptional({
    enum: TIMELINE_METRIC_KEYS,
    default: 'selection_rate',
    description:
      'Per-group metric key of any task (binary rates, regression keys such as mean_absolute_error, accuracy)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  metric?: string;

  @ApiProperty({
    description:
      'The slice: a sensitive attribute ("race"), or an intersection as a comma list ("race,sex", any order)',
    example: 'race',
  })
  @IsString()
  @Length(1, 500)
  attribute: string;
}

export class TimelineGroupDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { race: 'B' } })
  key: Record<string, string>;
  @ApiProperty({ type: Number, nullable: true, description: 'null when undefined for the group (0/0)' })
  value: number | null;
  @ApiProperty({ type: Number, nullable: true }) ciLow: number | null;
  @ApiProperty({ type: Number, nullable: true }) ciHigh: number | null;
  @ApiProperty({ description: 'Rows of the group in this audit' }) count: number;
}

/** A slice summary: the binary task's keys, or a regression slice's largest gaps (max − min, min / max). */
export class TimelineSummaryDto {
  @ApiPropertyOptional({ type: Number, nullable: true }) demographic_parity_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) demographic_parity_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) equalized_odds_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) equalized_odds_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) equal_opportunity_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) equal_opportunity_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) average_odds_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) impact_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) generalized_entropy_index?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) theil_index?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_target_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_target_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_prediction_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_prediction_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_error_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_error_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_absolute_error_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean_absolute_error_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) root_mean_squared_error_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) root_mean_squared_error_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) r2_difference?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) r2_ratio?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) worst_group_mean_absolute_error?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) worst_group_root_mean_squared_error?: number | null;
}

export class TimelinePointDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({
    format: 'date-time',
    description: "The point's time: the audit's periodEnd, else its createdAt",
  })
  at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodEnd: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    type: [TimelineGroupDto],
    description:
      "Each group's stored value with its interval and count; empty when this audit lacks the slice",
  })
  groups: TimelineGroupDto[];
  @ApiProperty({
    type: TimelineSummaryDto,
    nullable: true,
    description: "The slice's stored summary; null when this audit lacks the slice",
  })
  summary: TimelineSummaryDto | null;
}

export class TimelineDto {
  @ApiProperty({ format: 'uuid' }) modelId: string;
  @ApiProperty({ example: 'selection_rate' }) metric: string;
  @ApiProperty({ type: [String], example: ['race'], description: 'The slice, as given' })
  attributes: string[];
  @ApiProperty({ type: [TimelinePointDto], description: 'One point per audit, oldest first' })
  points: TimelinePointDto[];
}
