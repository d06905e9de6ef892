import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { requestContext } from './request-context';

/**
 * Rate limit per API key across the whole API (per client address for unauthenticated routes). The throttler's
 * default key also includes the route, which would give each key a separate budget on every route.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const keyId = requestContext.getStore()?.principal?.keyId;
    return Promise.resolve(keyId ? `key:${keyId}` : `ip:${String(req.ip)}`);
  }
}
