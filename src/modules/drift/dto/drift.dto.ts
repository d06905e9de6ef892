import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import {
  DRIFT_KINDS,
  DRIFT_STATISTICS,
  DRIFT_STATUSES,
  type DriftKind,
  type DriftStatistic,
  type DriftStatus,
} from '../../../core/drift';
import { BASELINE_SOURCES, type BaselineSource } from '../drift.types';
import { DriftThresholdsDto } from './drift-policy.dto';

export class DriftQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Audit to compare with (an audit of the same model). Default: the model's pinned baseline when it is " +
      'not this audit, else the previous audit of the model.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'baseline must be a UUID' })
  baseline?: string;
}

export class PoisoningEvidenceDto {
  @ApiProperty({
    description: "The group's change: rate difference (current − baseline) for labels, PSI for scores",
  })
  groupChange: number;
  @ApiProperty({
    description: "Largest change among the attribute's other groups, same unit (absolute for rates)",
  })
  othersLargestChange: number;
}

const KEY_SCHEMA = { type: 'object' as const, additionalProperties: { type: 'string' as const } };

export class DriftCheckDto {
  @ApiProperty({
    enum: DRIFT_KINDS,
    description:
      '"poisoning": one group moved sharply (label rate or scores) while the other groups of its attribute stayed put',
  })
  kind: DriftKind;

  @ApiPropertyOptional({
    type: [String],
    description: 'The attribute(s) checked; absent on a whole-sample check',
    example: ['race'],
  })
  attributes?: string[];

  @ApiPropertyOptional({
    ...KEY_SCHEMA,
    description: 'The group; present on a per-group check, absent on whole-sample and whole-attribute checks',
    example: { race: 'B' },
  })
  key?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'Metric key (snake_case) for label, performance, fairness and poisoning checks',
    example: 'base_rate',
  })
  metric?: string;

  @ApiPropertyOptional({
    description:
      'Multiclass per-class checks: the class whose one-vs-rest rate (selection_rate, true_positive_rate) or parity ratio is checked',
    example: 'high',
  })
  class?: string;

  @ApiProperty({
    enum: DRIFT_STATISTICS,
    description:
      'psi (bins at the baseline deciles, or group shares for a population mix), psi_equal_width (10 bins on [0, 1]), ' +
      'ks (two-sample D), js_distance, chi_square, z_test (two-proportion z; for a regression error metric the ' +
      "change of a mean: Welch's statistic on the normal), band_crossing (current − baseline of a summary)",
  })
  statistic: DriftStatistic;

  @ApiProperty({ type: Number, nullable: true, description: 'The statistic' })
  value: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Two-sided p-value, when the statistic has one',
  })
  pValue?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Holm-adjusted p-value (several groups tested together); the status uses it',
  })
  pValueAdjusted?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Baseline value: a rate or share, a summary metric, or the median score for score checks',
  })
  baseline?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Current value, same unit as baseline' })
  current?: number | null;

  @ApiProperty({ enum: DRIFT_STATUSES })
  status: DriftStatus;

  @ApiProperty({ description: 'One plain sentence for a non-statistician' })
  message: string;

  @ApiPropertyOptional({ type: PoisoningEvidenceDto, description: 'Only on poisoning checks' })
  evidence?: PoisoningEvidenceDto;
}

export class DriftCountsDto {
  @ApiProperty() alert: number;
  @ApiProperty() warning: number;
  @ApiProperty() ok: number;
}

export class DriftReportDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The audit compared with; null when the model has no other audit to compare with',
  })
  baselineAuditId: string | null;

  @ApiProperty({
    enum: BASELINE_SOURCES,
    description:
      'Where the baseline came from: the ?baseline parameter, the pinned baseline, the previous audit, or none',
  })
  baselineSource: BaselineSource;

  @ApiProperty({ enum: DRIFT_STATUSES, description: 'The worst check status ("ok" when there is no check)' })
  status: DriftStatus;

  @ApiProperty({ type: DriftCountsDto, description: 'Number of checks per status' })
  counts: DriftCountsDto;

  @ApiProperty({ type: [DriftCheckDto], description: 'Worst first, then by |value| descending' })
  checks: DriftCheckDto[];

  @ApiProperty({ type: DriftThresholdsDto, description: "The model's drift thresholds used" })
  thresholds: DriftThresholdsDto;

  @ApiProperty({ description: 'One plain sentence summing up the comparison' })
  message: string;
}
