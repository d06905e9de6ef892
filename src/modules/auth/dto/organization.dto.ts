import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateOrganizationDto {
  @ApiProperty({ example: 'St. Elsewhere Health', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;
}

export class CreatedOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: "The new organization's first admin key. Shown once." }) adminKey: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
