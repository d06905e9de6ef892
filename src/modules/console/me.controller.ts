import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { currentPrincipal } from '../../common/request-context';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { MeDto } from './dto/me.dto';

@ApiTags('Keys and organizations')
@Controller('v1')
export class MeController {
  @Get('me')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getMe',
    summary: "The calling key's role and organization (the console uses it to decide what to show)",
  })
  @ApiOkResponse({ type: MeDto })
  getMe(): MeDto {
    const { role, organizationId, keyPrefix } = currentPrincipal();
    return { role, organizationId, keyPrefix };
  }
}
