import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../../core/errors';
import { requestContext, type Role } from '../../common/request-context';
import { ApiKeysService } from './api-keys.service';
import { AuditTrailService } from './audit-trail.service';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Global guard. Fails closed: a route must declare @Public() or @Roles(...), else it is refused with 403
 * (and logged as a programming error). Resolves the bearer key, records failed authentications, and puts the
 * principal in the request context that the data layer scopes by.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly trail: AuditTrailService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${req.route ? (req.route as { path: string }).path : req.path}`;

    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!presented) {
      await this.trail.record({
        action: 'auth.failed',
        outcome: 'failure',
        principal: null,
        details: { route, reason: 'missing key' },
      });
      throw new DomainError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    }
    const { principal, revokedKeyOrg } = await this.keys.authenticate(presented);
    if (!principal) {
      const reason = revokedKeyOrg ? 'revoked key' : 'unknown key';
      await this.trail.record({
        action: 'auth.failed',
        outcome: 'failure',
        principal: null,
        organizationId: revokedKeyOrg ?? null,
        details: { route, reason },
      });
      throw new DomainError('unauthorized', 'The API key is unknown or has been revoked.');
    }
    const store = requestContext.getStore();
    if (store) store.principal = principal;

    if (!roles || roles.length === 0) {
      this.logger.error({ route }, 'Route declares no roles: refused (fail closed)');
      throw new DomainError('forbidden', 'This route is not open to any role.');
    }
    if (!roles.includes(principal.role)) {
      await this.trail.record({
        action: 'auth.forbidden',
        outcome: 'failure',
        details: { route, role: principal.role },
      });
      throw new DomainError('forbidden', `This action needs one of the roles: ${roles.join(', ')}.`);
    }
    return true;
  }
}
