import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SOURCES, type DataSource } from '../../../core/ingest';

const NUM = { type: Number, nullable: true } as const;
const KEY = { type: 'object', additionalProperties: { type: 'string' }, example: { race: 'Black' } } as const;

export class EvidenceMetricDto {
  @ApiProperty({
    example: 'selection_rate.ratio',
    description: 'Metric key; ".ratio" = ratio to the reference group',
  })
  metric: string;
  @ApiPropertyOptional({ type: [String], example: ['race'] }) attributes?: string[];
  @ApiPropertyOptional(KEY) group?: Record<string, string>;
  @ApiPropertyOptional({ ...KEY, example: { race: 'White' } }) reference?: Record<string, string>;
  @ApiProperty({ ...NUM, example: 0.86, description: 'At the published precision (2 decimals)' })
  value: number | null;
  @ApiPropertyOptional({ ...NUM, example: 0.78 }) ciLow?: number | null;
  @ApiPropertyOptional({ ...NUM, example: 0.95 }) ciHigh?: number | null;
  @ApiPropertyOptional({ example: 212, description: 'Group size; only 0 or 11 and more are ever shown' })
  count?: number;
}

export class Hti1EvidenceDto {
  @ApiProperty({ format: 'uuid' }) auditId: string;
  @ApiProperty({ type: String, nullable: true, example: '2024 Q2 external validation' }) auditName:
    string | null;
  @ApiProperty({ enum: DATA_SOURCES, example: 'external' }) dataSource: DataSource;
  @ApiProperty({ format: 'date-time', description: "The audit's period end, else the day it was run" })
  date: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) periodStart: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) periodEnd: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 4000,
    description: 'null when 1 to 10 (never printed)',
  })
  rowCount: number | null;
  @ApiProperty({ type: [EvidenceMetricDto] }) metrics: EvidenceMetricDto[];
  @ApiPropertyOptional({
    description: "Present when the audit's counts were noised before upload: the mechanism and (ε, δ)",
    example:
      'Differentially private: the counts were noised before upload with the discrete Gaussian mechanism (ε = 1, δ = 0.000001), so every figure here is computed from noised counts.',
  })
  privacy?: string;
}

export class Hti1AttributeDto {
  @ApiProperty({ example: '(B)(7)(ii)', description: 'Paragraph of 45 CFR 170.315(b)(11)(iv)(B)' })
  id: string;
  @ApiProperty({
    example:
      'Fairness of intervention in test data derived from the same source as the initial training data',
    description: "The regulation's words",
  })
  title: string;
  @ApiProperty({ type: String, nullable: true, description: 'What the attribute says; null when missing' })
  value: string | null;
  @ApiProperty({ enum: ['audits', 'documentation', 'missing'], example: 'audits' })
  source: 'audits' | 'documentation' | 'missing';
  @ApiProperty({
    type: [String],
    example: ['fairnessApproach'],
    description: 'Model documentation fields that fill it',
  })
  documentationFields: string[];
  @ApiPropertyOptional({ type: [Hti1EvidenceDto], description: 'The audits a measured attribute comes from' })
  evidence?: Hti1EvidenceDto[];
}

export class MissingAttributeDto {
  @ApiProperty({ example: '(B)(1)(ii)' }) id: string;
  @ApiProperty({
    example: 'Funding source of the technical implementation for the intervention(s) development',
  })
  title: string;
  @ApiProperty({ type: [String], example: ['fundingSource'] }) documentationFields: string[];
  @ApiProperty({ example: "Fill with the model's documentation.fundingSource (PATCH /v1/models/{modelId})." })
  howToFill: string;
}

export class Hti1SummaryDto {
  @ApiProperty({ example: 31 }) total: number;
  @ApiProperty({ example: 12 }) fromAudits: number;
  @ApiProperty({ example: 10 }) fromDocumentation: number;
  @ApiProperty({ example: 9 }) missing: number;
  @ApiProperty({
    type: [MissingAttributeDto],
    description: 'The empty attributes, for the compliance officer to write',
  })
  missingAttributes: MissingAttributeDto[];
}

export class ExportModelRefDto {
  @ApiProperty({ example: 'readmission-risk' }) name: string;
  @ApiProperty({ example: '2.1.0' }) version: string;
}

export class ExportSignatureNoteDto {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm: 'Ed25519';
  @ApiProperty({ enum: [true] }) detached: true;
  @ApiProperty({ example: 'POST these exact bytes to /v1/reports/verify' }) verify: string;
}

export class Hti1ExportDto {
  @ApiProperty({ format: 'uuid', description: 'The recorded export (its SHA-256 and signature)' })
  exportId: string;
  @ApiProperty({ format: 'uuid' }) modelId: string;
  @ApiProperty({ type: ExportModelRefDto }) model: ExportModelRefDto;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ example: '45 CFR 170.315(b)(11)(iv)(B) (ONC HTI-1 final rule, 89 FR 1192, January 2024)' })
  regulation: string;
  @ApiProperty({ type: Hti1SummaryDto }) summary: Hti1SummaryDto;
  @ApiProperty({
    type: [Hti1AttributeDto],
    description: "All 31 source attributes, in the regulation's order",
  })
  attributes: Hti1AttributeDto[];
  @ApiProperty({ type: ExportSignatureNoteDto }) signature: ExportSignatureNoteDto;
}
