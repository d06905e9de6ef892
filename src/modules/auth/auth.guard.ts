import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../../core/errors';
import { requestContext } from '../../common/request-context';
import { hashApiKey } from './api-key-material';
import { ApiKeysService } from './api-keys.service';
import { AuthFailureLimiter, type AuthFailureReason } from './auth-failure-limiter';
import { PUBLIC_KEY } from './roles.decorator';

/**
 * Global guard, the first of three (auth.module.ts): authentication. Resolves the bearer key of every route
 * that is not @Public() and puts the principal in the request context that the data layer scopes by. The
 * per-key rate limit (KeyThrottlerGuard) comes next, then the RolesGuard's authorization, so requests refused
 * for their role are rate-limited too.
 *
 * Failed authentications (no key, an unknown or a revoked key) are counted per client address by the
 * AuthFailureLimiter, which summarises them into `auth.failed` events. Its check comes first, before the key
 * lookup: an address over its limit (failures plus lookups in flight) gets a 429 with Retry-After and costs no
 * database work, unless the key it presents authenticated recently.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${req.route ? (req.route as { path: string }).path : req.path}`;

    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const keyHash = presented ? hashApiKey(presented) : null;
    const admitted = !(keyHash && this.limiter.isKnownGood(keyHash));
    if (admitted) {
      const retryAfter = this.limiter.admit(address);
      if (retryAfter > 0) {
        this.limiter.failed(address, 'rate limited', route);
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
        throw new DomainError(
          'rate_limited',
          `Too many failed authentications from this address; retry in ${retryAfter} s.`,
        );
      }
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
    let found: Awaited<ReturnType<ApiKeysService['authenticate']>>;
    try {
      if (!presented || !keyHash) return fail('missing key');
      found = await this.keys.authenticate(presented);
      if (!found.principal)
        return found.revokedKeyOrg ? fail('revoked key', found.revokedKeyOrg) : fail('unknown key');
    } finally {
      if (admitted) this.limiter.release(address);
    }
    const principal = found.principal;
    this.limiter.succeeded(keyHash);
    const store = requestContext.getStore();
    if (store) store.principal = principal;
    return true;
  }
}
