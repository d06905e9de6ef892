import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../core/errors';
import { requestContext } from '../../common/request-context';
import type { AppConfig } from '../../config';
import type { ApiKeysService } from './api-keys.service';
import type { AuditEventInput, AuditTrailService } from './audit-trail.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthGuard } from './auth.guard';
import { RolesGuard } from './roles.guard';
import { Public, Roles } from './roles.decorator';

class Routes {
  @Roles('admin')
  adminOnly(): void {}

  @Public()
  open(): void {}

  /** A route someone forgot to annotate. */
  forgotten(): void {}
}

const headers: Record<string, string> = {};
let lookups = 0;

function contextFor(handler: keyof Routes, authorization?: string, ip = '10.0.0.1'): ExecutionContext {
  const req = { method: 'GET', path: `/x/${handler}`, ip, headers: authorization ? { authorization } : {} };
  const res = { setHeader: (name: string, value: string) => void (headers[name] = value) };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const recorded: AuditEventInput[] = [];
  const trail = {
    record: (e: AuditEventInput) => Promise.resolve(void recorded.push(e)),
  } as unknown as AuditTrailService;
  const keys = {
    authenticate: (k: string) =>
      Promise.resolve(void lookups++).then(() =>
        k === 'good-viewer'
          ? { principal: { keyId: 'k1', organizationId: 'o1', role: 'viewer', keyPrefix: 'fw_x' } }
          : k === 'good-admin'
            ? { principal: { keyId: 'k2', organizationId: 'o1', role: 'admin', keyPrefix: 'fw_y' } }
            : k === 'revoked'
              ? { principal: null, revokedKeyOrg: 'o2' }
              : { principal: null },
      ),
  } as unknown as ApiKeysService;
  const config = { rateLimit: { authFailuresPerMinute: 3 } } as AppConfig;
  let limiter: AuthFailureLimiter;
  let guard: AuthGuard;
  const rolesGuard = new RolesGuard(new Reflector(), trail);
  beforeEach(() => {
    limiter = new AuthFailureLimiter(config, trail);
    guard = new AuthGuard(new Reflector(), keys, limiter);
    recorded.length = 0;
    lookups = 0;
    for (const h of Object.keys(headers)) delete headers[h];
  });
  /** The two guards in their global order (the per-key throttler between them is Nest's own). */
  const run = (handler: keyof Routes, auth?: string, ip?: string) =>
    requestContext.run({}, async () => {
      const context = contextFor(handler, auth, ip);
      return (await guard.canActivate(context)) && rolesGuard.canActivate(context);
    });
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'allowed',
      (e: DomainError) => e.code,
    );

  it('lets a public route through without a key', async () => {
    await expect(run('open')).resolves.toBe(true);
  });

  it('refuses a route that declares no roles, even for an admin (fail closed)', async () => {
    await expect(code(run('forgotten', 'Bearer good-admin'))).resolves.toBe('forbidden');
  });

  it('answers 401 without a key and with an unknown key, and records the failures as one summary', async () => {
    await expect(code(run('adminOnly'))).resolves.toBe('unauthorized');
    await expect(code(run('adminOnly', 'Bearer nope'))).resolves.toBe('unauthorized');
    expect(recorded).toEqual([]); // nothing written per request
    await limiter.flush();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      action: 'auth.failed',
      outcome: 'failure',
      principal: null,
      organizationId: null,
      details: {
        clientAddress: '10.0.0.1',
        count: 2,
        reasons: { 'missing key': 1, 'unknown key': 1 },
        routes: ['GET /x/adminOnly'],
      },
    });
    await limiter.flush();
    expect(recorded).toHaveLength(1); // drained: nothing twice
  });

  it("summarises a revoked key's failures under its organization", async () => {
    await expect(code(run('adminOnly', 'Bearer revoked'))).resolves.toBe('unauthorized');
    await limiter.flush();
    expect(recorded).toMatchObject([{ organizationId: 'o2', details: { reasons: { 'revoked key': 1 } } }]);
  });

  it('after 3 failures answers 429 with Retry-After before looking the key up, for that address only', async () => {
    for (let i = 0; i < 3; i++)
      await expect(code(run('adminOnly', `Bearer bad-${i}`))).resolves.toBe('unauthorized');
    expect(lookups).toBe(3);
    await expect(code(run('adminOnly', 'Bearer bad-3'))).resolves.toBe('rate_limited');
    await expect(code(run('adminOnly'))).resolves.toBe('rate_limited');
    expect(lookups).toBe(3); // no database work for a blocked address
    expect(Number(headers['Retry-After'])).toBeGreaterThanOrEqual(59);
    expect(Number(headers['Retry-After'])).toBeLessThanOrEqual(60);
    // A good key never seen before is blocked at that address too; another address is not affected.
    await expect(code(run('adminOnly', 'Bearer good-admin'))).resolves.toBe('rate_limited');
    await expect(code(run('adminOnly', 'Bearer good-admin', '10.0.0.2'))).resolves.toBe('allowed');
    // Having authenticated, that key passes the blocked address (a shared NAT), and is looked up as usual.
    await expect(code(run('adminOnly', 'Bearer good-admin'))).resolves.toBe('allowed');
    await expect(code(run('adminOnly', 'Bearer good-viewer'))).resolves.toBe('rate_limited');
    await limiter.flush();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.details).toMatchObject({
      clientAddress: '10.0.0.1',
      count: 7, // 3 lookups, then bad-3, no key, good-admin (unknown yet) and good-viewer refused
      reasons: { 'unknown key': 3, 'rate limited': 4 },
    });
  });

  it('answers 403 to a role the route does not name, records it, and allows one it does', async () => {
    await expect(code(run('adminOnly', 'Bearer good-viewer'))).resolves.toBe('forbidden');
    expect(recorded).toMatchObject([
      { action: 'auth.forbidden', details: { route: 'GET /x/adminOnly', role: 'viewer' } },
    ]);
    await expect(code(run('adminOnly', 'Bearer good-admin'))).resolves.toBe('allowed');
  });

  it('refuses a role check without an authenticated principal (401, never allowed)', async () => {
    const context = contextFor('adminOnly', 'Bearer good-admin');
    await expect(code(requestContext.run({}, () => rolesGuard.canActivate(context)))).resolves.toBe(
      'unauthorized',
    );
  });
});
