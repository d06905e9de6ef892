import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../../common/request-context';

/** Who the calling key is: what the console needs to decide what to show. */
export class MeDto {
  @ApiProperty({ enum: ROLES, description: 'Role of the API key' })
  role: Role;
  @ApiProperty({ format: 'uuid', description: 'Organization the key belongs to' })
  organizationId: string;
  @ApiProperty({ description: 'Visible prefix of the key (safe to show)', example: 'fw_3f9a' })
  keyPrefix: string;
}
