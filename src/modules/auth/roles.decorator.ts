import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDto } from '../../common/problem';
import { ROLES, type Role } from '../../common/request-context';

export const ROLES_KEY = 'fairwatch:roles';
export const PUBLIC_KEY = 'fairwatch:public';

/**
 * Declares who may call a route. Every route must carry @Roles or @Public: the AuthGuard refuses a route
 * that declares neither (fail closed). The roles also appear in the OpenAPI document.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiExtension('x-roles', roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key', type: ProblemDto }),
    ApiForbiddenResponse({ description: `Allowed roles: ${roles.join(', ')}`, type: ProblemDto }),
    ApiTooManyRequestsResponse({ description: 'Rate limit exceeded', type: ProblemDto }),
  );
}

/** Open to everyone (health, documentation). */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

/** Every role. */
export const ANY_ROLE: [Role, ...Role[]] = [...ROLES];
