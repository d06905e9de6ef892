import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { requestContext } from './request-context';

/** Rate limit per API key (per client address for unauthenticated routes). */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const keyId = requestContext.getStore()?.principal?.keyId;
    return Promise.resolve(keyId ? `key:${keyId}` : `ip:${String(req.ip)}`);
  }
}
