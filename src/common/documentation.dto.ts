import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DOCUMENTATION_FIELDS } from '../core/compliance';
import type { Documentation } from '../core/compliance';

/**
 * Model-card and datasheet fields (E-DOC) that compliance controls read. The properties are declared from the
 * catalog's DOCUMENTATION_FIELDS, so the API, its validation and its OpenAPI schema follow the catalog.
 */
export class DocumentationDto implements Documentation {}

for (const [field, description] of Object.entries(DOCUMENTATION_FIELDS)) {
  const target = DocumentationDto.prototype;
  IsOptional()(target, field);
  IsString()(target, field);
  MaxLength(10_000)(target, field);
  ApiPropertyOptional({ type: String, nullable: true, description, maxLength: 10_000 })(target, field);
}
