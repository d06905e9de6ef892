import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { FRAMEWORK_IDS, type FrameworkId } from '../../../core/compliance';
import type { ReportViewModel, Verdict } from '../../../core/reports';
import type { ReportRequest } from '../reports.service';

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'review', 'inconclusive'];

export class CreateReportDto implements ReportRequest {
  @ApiPropertyOptional({
    type: [String],
    enum: FRAMEWORK_IDS,
    description: "Frameworks whose controls the report covers; default: the organization policy's frameworks",
    example: ['nist-ai-rmf', 'hhs-1557'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  frameworks?: string[];

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Report title; default "Fairness audit: <model name> <version>"',
    example: 'Q1 2026 fairness audit: readmission risk',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;
}

/** The signed audit-trail head a report anchors (GET /v1/audit-events/head when the report was made). */
export class ReportTrailHeadDto {
  @ApiProperty({ example: '42' }) seq: string;
  @ApiProperty({ example: '9f2b6c1d0e4a7b3c5d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e' }) hash: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) createdAt: string | null;
  @ApiProperty({ description: 'Ed25519 signature (base64) over the organization, seq and hash' })
  signature: string;
  @ApiProperty({ example: '3f9c0a1b2c3d4e5f' }) keyId: string;
}

/** A stored, signed report (metadata). */
export class ReportDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  auditId: string;

  @ApiProperty({ description: 'SHA-256 (hex) of the PDF bytes', example: 'a3f1…' })
  sha256: string;

  @ApiProperty({
    description: 'Ed25519 signature (base64) of the PDF bytes; verify with GET /v1/reports/signing-key',
  })
  signature: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: 'Fairness audit: readmission-risk 2.3.1' })
  title: string;

  @ApiProperty({ type: [String], enum: FRAMEWORK_IDS, enumName: 'FrameworkId' })
  frameworks: FrameworkId[];

  @ApiProperty({ description: 'The compliance policy version that decided the controls', example: 1 })
  policyVersion: number;

  @ApiProperty({ description: 'Id of the Ed25519 key that signed the report', example: '3f9c0a1b2c3d4e5f' })
  signingKeyId: string;

  @ApiProperty({
    type: ReportTrailHeadDto,
    nullable: true,
    description:
      "The organization's signed audit-trail head when the report was made, also printed in the PDF's provenance: send it to POST /v1/audit-events/verify as `head` to prove the trail up to it is unchanged. Null for reports made before audit-trail heads existed.",
  })
  trailHead: ReportTrailHeadDto | null;

  @ApiProperty({
    enum: VERDICTS,
    enumName: 'ReportVerdict',
    description:
      'fail if any control fails, else review if any needs review, else inconclusive if the data cannot decide some control, else pass',
  })
  verdict: Verdict;
}

/** The report metadata with its JSON form (the view model the PDF was rendered from). */
export class ReportWithContentDto extends ReportDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "Everything the PDF prints, formatted and small-cell suppressed, so its numbers are the PDF's: `meta`, " +
      '`cover` (verdict, facts), `executiveSummary` (findings), `slices` (per-group tables: `rows[].count` is ' +
      '"≤10" for groups of 1 to 10, `rows[].cells[]` hold `text`/`value`/`interval`, `chart` the chart as ' +
      'drawn: axes, bands, series of points, legend), `calibration` (per slice O/E, slope and reliability ' +
      'curves; null unless the audit has scores in [0, 1] and labels), `thresholds` (per slice each ' +
      "group's rates, alerts per 1,000 and net benefit at the audit's and round thresholds, equal-opportunity " +
      'thresholds, net benefit and alert curves; null when `calibration` is), `drift`, `compliance` ' +
      '(frameworks with controls), `methodology`, `suppressionApplied`.',
  })
  content: ReportViewModel;
}

export class ReportPageDto {
  @ApiProperty({ type: [ReportDto] })
  items: ReportDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class VerifyResultDto {
  @ApiProperty({
    description:
      "true when the bytes are exactly a report of the caller's organization and its signature verifies",
  })
  valid: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The matching report, when valid' })
  reportId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The matching export (HTI-1 JSON or model card XML)' })
  exportId?: string;

  @ApiPropertyOptional({
    enum: ['report', 'hti-1', 'chai-model-card'],
    description: 'What the bytes were checked as',
  })
  kind?: 'report' | 'hti-1' | 'chai-model-card';

  @ApiProperty({ description: 'SHA-256 (hex) of the submitted bytes' })
  sha256: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the matching report was signed' })
  signedAt?: string;

  @ApiPropertyOptional({ description: 'The key that signed the matching report' })
  signingKeyId?: string;

  @ApiPropertyOptional({
    description: 'Why the bytes are not valid',
    example: 'No report has these exact bytes.',
  })
  reason?: string;
}

export class SigningKeyDto {
  @ApiProperty({
    description: 'First 16 hex digits of the SHA-256 of the SPKI DER',
    example: '3f9c0a1b2c3d4e5f',
  })
  keyId: string;

  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';

  @ApiProperty({
    description:
      'SPKI public key (PEM). Offline check: the `signature` of a report is an Ed25519 signature of the PDF bytes ' +
      "(e.g. Node: crypto.verify(null, pdf, publicKeyPem, Buffer.from(signature, 'base64'))).",
  })
  publicKeyPem: string;
}

/** OpenAPI schema of a PDF response body. */
export const PDF_SCHEMA = { type: 'string', format: 'binary' } as const;

/** Request body of POST /v1/reports/verify: the PDF bytes, raw or as a multipart `file`. */
export const VERIFY_REQUEST_BODY = {
  required: true,
  description:
    'The file exactly as downloaded (a report PDF, a model card XML or an HTI-1 export JSON): the raw body with ' +
    'Content-Type application/pdf, application/xml or application/json, or the `file` part of ' +
    'multipart/form-data. Up to 50 MB.',
  content: {
    'application/pdf': { schema: PDF_SCHEMA },
    'application/xml': {
      schema: { type: 'string' as const, description: 'A CHAI model card as downloaded' },
    },
    'application/json': { schema: { type: 'object' as const, description: 'An HTI-1 export as downloaded' } },
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        required: ['file'],
        properties: { file: { ...PDF_SCHEMA, description: 'The PDF report' } },
      },
    },
  },
};
