import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNumber,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import {
  DEFAULT_THRESHOLDS,
  FRAMEWORK_IDS,
  type ComplianceThresholds,
  type FrameworkId,
} from '../../../core/compliance';

const THRESHOLD_DESCRIPTIONS: Record<keyof ComplianceThresholds, string> = {
  irMin: 'Lowest acceptable impact ratio (29 CFR 1607.4(D) four-fifths rule), in (0, 1]',
  gapMax: 'Largest acceptable absolute error-rate gap; above twice this and significant fails, in (0, 1)',
  alpha: 'Significance level for (Holm-adjusted) p-values, in (0, 1)',
  nMin: 'Groups smaller than this can only be reviewed, never passed or failed on their own (integer >= 1)',
  minEvents: 'Fewest events (numerator of the rate) a group needs (integer >= 0)',
  psiReview: 'PSI from which drift needs review (below psiFail)',
  psiFail: 'PSI from which drift fails',
  maxAgeDays: 'Largest age in days of the last audit or of a dated review (integer >= 1)',
  aucMin: 'Lowest acceptable ROC AUC, in [0.5, 1]',
  representationMin: 'Lowest acceptable share in data / share in the reference population, in (0, 1]',
  missingShareMax: 'Largest acceptable share of rows with a missing attribute, in [0, 1)',
  smallCategoryShare:
    'Categories below this share may be left out of impact ratios (6 RCNY 5-301(d)), in [0, 1)',
};

/** Every threshold of a policy version. */
export class PolicyThresholdsDto implements ComplianceThresholds {
  declare irMin: number;
  declare gapMax: number;
  declare alpha: number;
  declare nMin: number;
  declare minEvents: number;
  declare psiReview: number;
  declare psiFail: number;
  declare maxAgeDays: number;
  declare aucMin: number;
  declare representationMin: number;
  declare missingShareMax: number;
  declare smallCategoryShare: number;
}

/** Thresholds to change; the ones left out take the shipped default. Ranges are checked by the policy rules. */
export class PolicyThresholdsOverridesDto implements Partial<ComplianceThresholds> {}

for (const [key, description] of Object.entries(THRESHOLD_DESCRIPTIONS)) {
  const example = DEFAULT_THRESHOLDS[key as keyof ComplianceThresholds];
  ApiProperty({ type: Number, description, example })(PolicyThresholdsDto.prototype, key);
  const target = PolicyThresholdsOverridesDto.prototype;
  ApiPropertyOptional({ type: Number, description: `${description}; default ${example}`, example })(
    target,
    key,
  );
  IsOptional()(target, key);
  IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
}

export class UpdatePolicyDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...FRAMEWORK_IDS] },
    description: 'Frameworks evaluated by default; left out = all eight',
    example: ['nyc-ll144', 'eeoc-ugesp'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(FRAMEWORK_IDS.length * 4)
  @IsString({ each: true })
  frameworks?: string[];

  @ApiPropertyOptional({ type: PolicyThresholdsOverridesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PolicyThresholdsOverridesDto)
  thresholds?: Partial<ComplianceThresholds>;
}

export class PolicyDto {
  @ApiProperty({
    description: 'Policy version; 0 is the shipped default, each change stores the next',
    example: 1,
  })
  version: number;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...FRAMEWORK_IDS] } })
  frameworks: FrameworkId[];

  @ApiProperty({ type: PolicyThresholdsDto })
  thresholds: PolicyThresholdsDto;

  @ApiProperty({
    format: 'date-time',
    description:
      'When this version was stored (its thresholds were fixed then); for version 0, when the defaults were fixed',
  })
  createdAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'API key that stored this version',
  })
  createdByKeyId: string | null;

  @ApiProperty({ description: 'Counts 1–10 are hidden in reports (CMS cell-size suppression)' })
  suppressSmallCells: boolean;

  @ApiProperty({
    description: 'Categories under thresholds.smallCategoryShare are left out of impact ratios',
  })
  excludeSmallCategoriesFromImpactRatio: boolean;

  @ApiProperty({
    enum: ['metric', 'slice'],
    description:
      'Holm\'s family for the p-values the fairness controls judge: "metric" (each rate of a slice on its own, as the metrics response adjusts them) or "slice" (every test of a slice together)',
  })
  multipleTesting: 'metric' | 'slice';
}

export class PolicyPageDto {
  @ApiProperty({ type: [PolicyDto], description: 'Newest version first, down to version 0' })
  items: PolicyDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
