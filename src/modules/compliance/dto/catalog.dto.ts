import { ApiProperty } from '@nestjs/swagger';
import { FRAMEWORK_IDS, type FrameworkId, type RuleSpec } from '../../../core/compliance';

export class FrameworkDto {
  @ApiProperty({ enum: FRAMEWORK_IDS, enumName: 'FrameworkId', example: 'eeoc-ugesp' })
  id: FrameworkId;

  @ApiProperty({ example: 'EEOC Uniform Guidelines on Employee Selection Procedures' })
  name: string;

  @ApiProperty({
    description: 'Edition or citation the controls refer to',
    example: '29 CFR Part 1607 (1978)',
  })
  version: string;

  @ApiProperty()
  description: string;

  @ApiProperty({
    description: 'Number of controls of this framework in the current catalog version',
    example: 2,
  })
  controlCount: number;

  @ApiProperty({ description: 'Catalog version the controls belong to', example: '2026.11.1' })
  catalogVersion: string;
}

export class CatalogControlDto {
  @ApiProperty({ enum: FRAMEWORK_IDS, enumName: 'FrameworkId' })
  framework: FrameworkId;

  @ApiProperty({ description: 'As the framework writes it', example: '29 CFR 1607.4(D)' })
  controlId: string;

  @ApiProperty({ example: 'Four-fifths rule for adverse impact' })
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({
    type: [String],
    description: 'Evidence codes (E-GRP, E-IR, E-DRIFT, E-DQ, E-DOC, E-LOG) and what exactly is used',
  })
  evidence: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The automatic rule, as data: `kind` (fairness, impact_ratio, error_rate_gap, performance, drift, documentation, ' +
      'small_cells, record_keeping, predefined_thresholds, representation, attributes_present, monitoring, audit_age, ' +
      'mitigated, all) and its parameters. Thresholds not written here come from the organization policy.',
    example: { kind: 'impact_ratio', rate: 'selection_rate', requireSignificance: true },
  })
  rule: RuleSpec;

  @ApiProperty({ example: '2026.11.1' })
  catalogVersion: string;
}
