import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsPositive, Max } from 'class-validator';
import type { PrivacyBudget } from '../../models/models.types';

const finite = { allowNaN: false, allowInfinity: false };

/** PUT /v1/models/{modelId}/privacy-budget */
export class SetPrivacyBudgetDto implements PrivacyBudget {
  @ApiProperty({
    description: 'Total ε the noised uploads of this model may spend (basic composition: their ε add up)',
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1000,
    example: 3,
  })
  @IsNumber(finite)
  @IsPositive()
  @Max(1000)
  epsilon: number;

  @ApiPropertyOptional({
    description: 'Total δ they may spend (the Gaussian mechanisms); absent = 0, so only ε-DP uploads fit',
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
    exclusiveMaximum: true,
    example: 1e-5,
  })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  delta?: number;
}

export class PrivacyBudgetDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The budget ε; null when none is set',
    example: 3,
  })
  epsilon: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The budget δ (0 when set without δ); null without a budget',
    example: 1e-5,
  })
  delta: number | null;

  @ApiProperty({ description: 'Sum of the ε of the model’s noised audits', example: 1 })
  spentEpsilon: number;

  @ApiProperty({ description: 'Sum of their δ', example: 0 })
  spentDelta: number;

  @ApiProperty({ type: Number, nullable: true, description: 'ε left; null without a budget', example: 2 })
  remainingEpsilon: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'δ left; null without a budget', example: 1e-5 })
  remainingDelta: number | null;

  @ApiProperty({ description: 'How many noised audits the model has', example: 1 })
  noisedAudits: number;

  @ApiProperty({
    enum: ['basic'],
    description: 'How spending adds up: basic composition (ε and δ are summed)',
  })
  composition: 'basic';
}
