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

export const SITE_KEYS_KEY = 'fairwatch:site-keys';

/**
 * Also open to site keys (a key limited to one site of one federated round): the route itself checks the round
 * and site. Every route without it refuses site keys with 403, whatever their role.
 */
export const SiteKeys = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(SITE_KEYS_KEY, true), ApiExtension('x-site-keys', true));

/** Open to everyone (health, documentation). */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

/** Every role. */
export const ANY_ROLE: [Role, ...Role[]] = [...ROLES];
