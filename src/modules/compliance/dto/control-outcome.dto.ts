import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FRAMEWORK_IDS, type ControlStatus, type FrameworkId } from '../../../core/compliance';

export const CONTROL_STATUSES: readonly ControlStatus[] = [
  'pass',
  'fail',
  'review',
  'inconclusive',
  'not_applicable',
];

/** One observation behind a verdict. */
export class ControlEvidenceDto {
  @ApiProperty({
    description:
      'What was measured, e.g. "impact_ratio", "false_negative_rate.difference", "drift.score.psi", "documentation.intendedUse"',
    example: 'impact_ratio',
  })
  metric: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'The slice: one attribute, or several for an intersection',
  })
  attributes?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The group, attribute → value',
    example: { race: 'African-American' },
  })
  group?: Record<string, string>;

  @ApiPropertyOptional({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    nullable: true,
    description:
      'The measured value (null when undefined for the group), or "present"/"missing" for documentation',
  })
  value?: number | string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Lower 95% confidence limit of the rate',
  })
  ciLow?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Upper 95% confidence limit of the rate',
  })
  ciHigh?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'p-value (Holm-adjusted where several tests)',
  })
  pValue?: number | null;

  @ApiPropertyOptional({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    description: 'The limit the value was compared with (from the policy or the rule)',
  })
  threshold?: number | string;

  @ApiPropertyOptional({ description: 'Number of people in the group' })
  count?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Impact-ratio evidence: the largest ratio below 1 the audit could detect for this group against the most-favoured group (two-sided two-proportion z-test at the policy alpha, 80% power, unpooled variance); null when none is',
  })
  minDetectableRatio?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'With an inconclusive impact ratio: how many more people in this group would make it conclusive (the rates unchanged); null when no number would, because the most-favoured group is too small itself',
  })
  additionalPeopleNeeded?: number | null;
}

/** The verdict of one control for one audit. */
export class ControlOutcomeDto {
  @ApiProperty({ enum: FRAMEWORK_IDS, enumName: 'FrameworkId' })
  framework: FrameworkId;

  @ApiProperty({ example: '29 CFR 1607.4(D)' })
  controlId: string;

  @ApiProperty({ example: 'Four-fifths rule for adverse impact' })
  title: string;

  @ApiProperty({ enum: CONTROL_STATUSES, enumName: 'ControlStatus' })
  status: ControlStatus;

  @ApiProperty({ type: [ControlEvidenceDto], description: 'The worst observations first (at most 10)' })
  evidence: ControlEvidenceDto[];

  @ApiProperty({ description: 'One plain sentence explaining the verdict' })
  rationale: string;

  @ApiProperty({
    description: 'The organization policy version that decided the verdict (0 = shipped default)',
  })
  policyVersion: number;

  @ApiProperty({ description: 'The catalog version whose rule decided the verdict', example: '2026.11.1' })
  catalogVersion: string;
}
