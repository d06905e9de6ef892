import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';

const HASH_EXAMPLE = '9f2b6c1d0e4a7b3c5d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e';
const SIGNATURE_EXAMPLE =
  'x1Yw3V9l0cE2mK8pQ4rT6uW8yA0cE2gI4kM6oQ8sU0wY2aC4eG6iK8mO0qS2uW4yA6cE8gI0kM2oQ4sU6wY8aA==';

export class AuditEventDto {
  @ApiProperty({
    description: "Position in the organization's own hash chain: 1-based, no gaps",
    example: '42',
  })
  seq: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 'audit.submitted' }) action: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) actorKeyId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorRole: string | null;
  @ApiProperty({ type: String, nullable: true }) objectType: string | null;
  @ApiProperty({ type: String, nullable: true }) objectId: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({
    description:
      "SHA-256 (hex) of the canonical JSON of the event's fields and prevHash (docs/audit-trail.md)",
    example: HASH_EXAMPLE,
  })
  hash: string;
  @ApiProperty({ description: 'The hash of the previous event of the organization (64 zeros for the first)' })
  prevHash: string;
}

export class AuditEventListDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AuditTrailHeadDto {
  @ApiProperty({
    description: 'Seq of the organization\'s newest event ("0" while its trail is empty)',
    example: '42',
  })
  seq: string;
  @ApiProperty({
    description: "That event's hash (64 zeros while the trail is empty)",
    example: HASH_EXAMPLE,
  })
  hash: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: "That event's time, UTC with microseconds; null while the trail is empty",
    example: '2026-12-05T23:56:17.123000Z',
  })
  createdAt: string | null;
  @ApiProperty({
    description:
      'Ed25519 signature (base64) of the UTF-8 bytes of the canonical JSON {"hash","organizationId","purpose":"fairwatch.audit-trail.head.v1","seq"}; public key at GET /v1/reports/signing-key',
    example: SIGNATURE_EXAMPLE,
  })
  signature: string;
  @ApiProperty({
    description: 'The signing key (as GET /v1/reports/signing-key names it)',
    example: '3f9a0c2b7d4e1f68',
  })
  keyId: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The organization the head belongs to (covered by the signature)',
  })
  organizationId: string;
}

/** A head kept earlier, sent back as GET /v1/audit-events/head gave it. */
export class PresentedHeadDto {
  @ApiProperty({ example: '42', description: 'Decimal, no leading zeros' })
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,18})$/, { message: 'seq must be a decimal event number (no leading zeros)' })
  seq: string;

  @ApiProperty({ example: HASH_EXAMPLE, pattern: '^[0-9a-f]{64}$' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lowercase hex digits' })
  hash: string;

  @ApiProperty({ example: SIGNATURE_EXAMPLE, description: 'Base64 Ed25519 signature (64 bytes)' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{86}==$/, {
    message: 'signature must be a base64 Ed25519 signature (88 characters)',
  })
  signature: string;

  @ApiProperty({ example: '3f9a0c2b7d4e1f68', pattern: '^[0-9a-f]{16}$' })
  @IsString()
  @Matches(/^[0-9a-f]{16}$/, { message: 'keyId must be 16 lowercase hex digits' })
  keyId: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Informative; not checked',
  })
  @IsOptional()
  @IsISO8601()
  createdAt?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Informative: the signature is always checked against the caller's organization",
  })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}

export class VerifyAuditTrailDto {
  @ApiPropertyOptional({
    type: PresentedHeadDto,
    description:
      'A head kept earlier (GET /v1/audit-events/head, or the one printed in a report): its signature is checked and the event it names must still be in the chain, unchanged',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PresentedHeadDto)
  head?: PresentedHeadDto;
}

export class ChainBreakDto {
  @ApiProperty({ example: '17' }) seq: string;
  @ApiProperty({ example: 'event content was altered' }) reason: string;
}

export class ChainVerificationDto {
  @ApiProperty({ description: 'No break found (and, with a head, the head verified and matched)' })
  valid: boolean;
  @ApiProperty({ description: 'Events of the organization read and recomputed' }) eventsChecked: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The first break's seq" })
  brokenAtSeq: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The first break's reason" })
  reason: string | null;
  @ApiProperty({
    type: [ChainBreakDto],
    description: 'Every break found, in chain order (up to 1,000)',
    example: [
      { seq: '17', reason: 'event content was altered' },
      { seq: '23', reason: 'event 23 is missing' },
    ],
  })
  breaks: ChainBreakDto[];
  @ApiProperty({ description: 'More breaks were found than listed' }) breaksTruncated: boolean;
  @ApiPropertyOptional({
    description: "With a head: whether its signature verifies for the caller's organization",
  })
  headSignatureValid?: boolean;
}
