import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '../core/errors';

export const ROLES = ['admin', 'data_scientist', 'compliance_officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key by the AuthGuard. */
export interface Principal {
  keyId: string;
  organizationId: string;
  role: Role;
  /** Visible key prefix, safe to log. */
  keyPrefix: string;
  /**
   * A site key's limit: it may only submit this site's part of this federated round and read that round's
   * status (RolesGuard refuses every other route).
   */
  siteScope?: SiteScope;
}

export interface SiteScope {
  roundId: string;
  site: string;
}

interface RequestStore {
  requestId?: string;
  principal?: Principal;
}

/**
 * Per-request context carried through async calls: the request id and, once authenticated, the principal.
 * A middleware opens the store for each request; the AuthGuard fills in the principal. The data layer reads
 * the organization from here, so no query can forget to scope itself.
 */
export const requestContext = new AsyncLocalStorage<RequestStore>();

export function currentPrincipal(): Principal {
  const principal = requestContext.getStore()?.principal;
  if (!principal) throw new DomainError('unauthorized', 'No authenticated principal in this request.');
  return principal;
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
