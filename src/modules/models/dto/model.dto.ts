import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { DocumentationDto } from '../../../common/documentation.dto';
import type { Documentation } from '../../../core/compliance';
import type { ModelChanges, NewModel } from '../models.types';

export class CreateModelDto implements NewModel {
  @ApiProperty({ example: 'readmission-risk', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: '2.1.0', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  version: string;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({
    description: 'What the model is for (also documentation.intendedUse)',
    maxLength: 10_000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  intendedUse?: string;

  @ApiPropertyOptional({
    description: 'Accountable person or team (also documentation.owner)',
    maxLength: 10_000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  owner?: string;

  @ApiPropertyOptional({ type: DocumentationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentationDto)
  documentation?: Documentation;
}

export class UpdateModelDto implements ModelChanges {
  @ApiPropertyOptional({ maxLength: 10_000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({
    type: DocumentationDto,
    description: 'Fields given here replace the stored ones; null clears a field',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentationDto)
  documentation?: Documentation;
}

export class ModelDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) intendedUse: string | null;
  @ApiProperty({ type: String, nullable: true }) owner: string | null;
  @ApiProperty({ type: DocumentationDto }) documentation: Documentation;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) baselineAuditId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ModelPageDto {
  @ApiProperty({ type: [ModelDto] }) items: ModelDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
