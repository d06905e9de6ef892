import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../../core/errors';
import { requestContext, type Role } from '../../common/request-context';
import { hashApiKey } from './api-key-material';
import { ApiKeysService } from './api-keys.service';
import { AuditTrailService } from './audit-trail.service';
import { AuthFailureLimiter, type AuthFailureReason } from './auth-failure-limiter';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Global guard. Fails closed: a route must declare @Public() or @Roles(...), else it is refused with 403
 * (and logged as a programming error). Resolves the bearer key and puts the principal in the request context
 * that the data layer scopes by.
 *
 * Failed authentications (no key, an unknown or a revoked key) are counted per client address by the
 * AuthFailureLimiter, which summarises them into `auth.failed` events. Its check comes first, before the key
 * lookup: an address over its limit gets a 429 with Retry-After and costs no database work, unless the key it
 * presents authenticated recently.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly trail: AuditTrailService,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${req.route ? (req.route as { path: string }).path : req.path}`;

    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const keyHash = presented ? hashApiKey(presented) : null;
    const retryAfter = this.limiter.retryAfter(address);
    if (retryAfter > 0 && !(keyHash && this.limiter.isKnownGood(keyHash))) {
      this.limiter.failed(address, 'rate limited', route);
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
      throw new DomainError(
        'rate_limited',
        `Too many failed authentications from this address; retry in ${retryAfter} s.`,
      );
    }
    const fail = (reason: AuthFailureReason, organizationId: string | null = null): never => {
      this.limiter.failed(address, reason, route, organizationId);
      throw new DomainError(
        'unauthorized',
        reason === 'missing key'
          ? 'Send an API key as "Authorization: Bearer <key>".'
          : 'The API key is unknown or has been revoked.',
      );
    };
    if (!presented || !keyHash) return fail('missing key');
    const { principal, revokedKeyOrg } = await this.keys.authenticate(presented);
    if (!principal) return revokedKeyOrg ? fail('revoked key', revokedKeyOrg) : fail('unknown key');
    this.limiter.succeeded(keyHash);
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
