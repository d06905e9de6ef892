import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../../common/request-context';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ci pipeline', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({
    required: false,
    format: 'uuid',
    description:
      "With `site`: a site key, limited to submitting that site's part of this federated round and reading the " +
      'round (role data_scientist); every other route answers 403.',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.roundId !== undefined || o.site !== undefined)
  @IsUUID('all', { message: 'roundId must be a UUID (given together with site)' })
  roundId?: string;

  @ApiProperty({
    required: false,
    example: 'north',
    description: 'The site of `roundId` the key may submit for',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.roundId !== undefined || o.site !== undefined)
  @IsString({ message: 'site must be a string (given together with roundId)' })
  @Length(1, 64)
  site?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ description: 'Visible start of the key', example: 'fw_3k9x2m7q' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "A site key's round" })
  roundId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "A site key's site" })
  site: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key. Shown once: only its hash is stored.' })
  key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: keys fit in one page' })
  nextCursor: string | null;
}
