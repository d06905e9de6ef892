import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../../core/errors';
import { currentPrincipal, type Role } from '../../common/request-context';
import { AuditTrailService } from './audit-trail.service';
import { PUBLIC_KEY, ROLES_KEY, SITE_KEYS_KEY } from './roles.decorator';

/**
 * Global guard, after the AuthGuard and the per-key rate limit: authorization. Fails closed: a route must
 * declare @Public() or @Roles(...), else it is refused with 403 (and logged as a programming error). A role
 * the route does not name is refused and recorded as `auth.forbidden`.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditTrailService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${req.route ? (req.route as { path: string }).path : req.path}`;
    const principal = currentPrincipal(); // set by the AuthGuard; 401 if it is missing
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
    const scope = principal.siteScope;
    if (scope && !this.reflector.getAllAndOverride<boolean>(SITE_KEYS_KEY, targets)) {
      await this.trail.record({
        action: 'auth.forbidden',
        outcome: 'failure',
        details: { route, role: principal.role, roundId: scope.roundId, site: scope.site },
      });
      throw new DomainError(
        'forbidden',
        `This key is limited to site "${scope.site}" of round ${scope.roundId}: it may only submit that part and read the round.`,
      );
    }
    return true;
  }
}
