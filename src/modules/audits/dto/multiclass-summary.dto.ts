import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClassGap, MulticlassAuditSummary, MulticlassSliceGlance } from '../multiclass-headline';
// Lazy types (() => X): audit.dto.ts imports this file for AuditDto.summary, so these classes are read later.
import { FlaggedGroupDto, GroupValueDto } from './audit.dto';

const NUM = { type: Number, nullable: true } as const;
const KEY = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class ClassGapDto implements ClassGap {
  @ApiProperty({ example: 'Facility' }) class: string;
  @ApiProperty({ description: 'max − min of the rate over the groups' }) difference: number;
  @ApiProperty({ ...NUM, description: 'min / max of the rate over the groups' }) ratio: number | null;
}

export class MulticlassSliceGlanceDto implements MulticlassSliceGlance {
  @ApiProperty({ type: [String] }) attributes: string[];
  @ApiProperty({ ...KEY, example: { race: 'White' } }) reference: Record<string, string>;
  @ApiProperty() groupCount: number;
  @ApiProperty({ type: [String], enum: ['single_group', 'no_comparable_groups'] }) warnings: string[];
  @ApiPropertyOptional({ ...NUM, description: 'max − min accuracy over the groups (absent without labels)' })
  accuracy_difference?: number | null;
  @ApiPropertyOptional({ ...NUM, description: 'min / max accuracy over the groups' })
  accuracy_ratio?: number | null;
  @ApiPropertyOptional({
    type: () => GroupValueDto,
    nullable: true,
    description: 'The group with the lowest accuracy',
  })
  lowestAccuracy?: GroupValueDto | null;
  @ApiProperty({
    type: ClassGapDto,
    nullable: true,
    description:
      'The class whose selection rate differs most between groups (its demographic_parity_difference)',
  })
  largestSelectionRateGap: ClassGapDto | null;
  @ApiPropertyOptional({
    type: ClassGapDto,
    nullable: true,
    description:
      'The class whose TPR differs most between groups (its equal_opportunity_difference; absent without labels)',
  })
  largestTruePositiveRateGap?: ClassGapDto | null;
  @ApiProperty({ type: () => [FlaggedGroupDto] }) flagged: FlaggedGroupDto[];
}

export class MulticlassOverallGlanceDto {
  @ApiProperty() count: number;
  @ApiPropertyOptional({ ...NUM, description: 'Absent without labels' }) accuracy?: number | null;
}

/** The headline of a multiclass audit. The full results are at /metrics. */
export class MulticlassAuditSummaryDto implements MulticlassAuditSummary {
  @ApiProperty({ enum: ['multiclass'] }) task: 'multiclass';
  @ApiProperty({ type: MulticlassOverallGlanceDto }) overall: MulticlassOverallGlanceDto;
  @ApiProperty({ type: [String], description: 'Class names in order' }) classes: string[];
  @ApiProperty({ description: 'No label column: selection rates only' }) labelFree: boolean;
  @ApiProperty({ description: 'Groups (over all slices) carrying a flag other than "reference"' })
  flaggedGroups: number;
  @ApiProperty({ type: [MulticlassSliceGlanceDto] }) slices: MulticlassSliceGlanceDto[];
  @ApiPropertyOptional({
    description:
      'With config.countColumn only: rows of the uploaded cell table kept (0-count rows included); rowCount and counts are then people, the sum of the counts',
  })
  cellCount?: number;
}
