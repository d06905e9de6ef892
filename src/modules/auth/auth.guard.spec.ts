import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../core/errors';
import { requestContext } from '../../common/request-context';
import type { ApiKeysService } from './api-keys.service';
import type { AuditTrailService } from './audit-trail.service';
import { AuthGuard } from './auth.guard';
import { Public, Roles } from './roles.decorator';

class Routes {
  @Roles('admin')
  adminOnly(): void {}

  @Public()
  open(): void {}

  /** A route someone forgot to annotate. */
  forgotten(): void {}
}

function contextFor(handler: keyof Routes, authorization?: string): ExecutionContext {
  const req = { method: 'GET', path: `/x/${handler}`, headers: authorization ? { authorization } : {} };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const recorded: string[] = [];
  const trail = {
    record: (e: { action: string }) => Promise.resolve(void recorded.push(e.action)),
  } as unknown as AuditTrailService;
  const keys = {
    authenticate: (k: string) =>
      Promise.resolve(
        k === 'good-viewer'
          ? { principal: { keyId: 'k1', organizationId: 'o1', role: 'viewer', keyPrefix: 'fw_x' } }
          : k === 'good-admin'
            ? { principal: { keyId: 'k2', organizationId: 'o1', role: 'admin', keyPrefix: 'fw_y' } }
            : { principal: null },
      ),
  } as unknown as ApiKeysService;
  const guard = new AuthGuard(new Reflector(), keys, trail);
  const run = (handler: keyof Routes, auth?: string) =>
    requestContext.run({}, () => guard.canActivate(contextFor(handler, auth)));
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

  it('answers 401 without a key and with an unknown key, and records the failures', async () => {
    recorded.length = 0;
    await expect(code(run('adminOnly'))).resolves.toBe('unauthorized');
    await expect(code(run('adminOnly', 'Bearer nope'))).resolves.toBe('unauthorized');
    expect(recorded).toEqual(['auth.failed', 'auth.failed']);
  });

  it('answers 403 to a role the route does not name, and allows one it does', async () => {
    await expect(code(run('adminOnly', 'Bearer good-viewer'))).resolves.toBe('forbidden');
    await expect(code(run('adminOnly', 'Bearer good-admin'))).resolves.toBe('allowed');
  });
});
