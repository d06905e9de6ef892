import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class SetBaselineDto {
  @ApiProperty({
    format: 'uuid',
    description: 'An audit of this model: the audit drift compares against by default',
  })
  @IsUUID('all', { message: 'auditId must be a UUID' })
  auditId: string;
}
