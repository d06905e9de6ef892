import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config';
import { OrgRepository } from '../../common/org-repository';
import { DomainError } from '../../core/errors';
import { currentPrincipal, type Principal, type Role, type SiteScope } from '../../common/request-context';
import { generateApiKey, hashApiKey, keyPrefix } from './api-key-material';
import { AuditTrailService } from './audit-trail.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { OrganizationEntity } from './entities/organization.entity';

export const DEFAULT_ORGANIZATION = 'default';

/**
 * Checks that a site key's round and site exist in the caller's organization (404 / 400 otherwise). The rounds
 * module provides it at start-up (auth sits below every feature module and cannot import it).
 */
export type SiteScopeCheck = (scope: SiteScope) => Promise<void>;

/** The one role a site key may have: it submits data, nothing more. */
export const SITE_KEY_ROLE: Role = 'data_scientist';

/** `lastUsedAt` is refreshed at most this often: not a database write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly keys: OrgRepository<ApiKeyEntity>;
  private siteScopeCheck?: SiteScopeCheck;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly trail: AuditTrailService,
  ) {
    this.keys = new OrgRepository(repo, 'API key');
  }

  /** Creates the default organization and, with ADMIN_API_KEY, its bootstrap admin key. Idempotent. */
  async onApplicationBootstrap(): Promise<void> {
    const org = await this.defaultOrganization();
    const key = this.config.adminApiKey;
    if (!key) return;
    const keyHash = hashApiKey(key);
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({
        organizationId: org.id,
        name: 'bootstrap admin (ADMIN_API_KEY)',
        role: 'admin',
        prefix: keyPrefix(key),
        keyHash,
      })
      .orIgnore() // on uq_api_keys_key_hash: replicas starting together insert it once
      .execute();
    const row = await this.repo.findOneByOrFail({ keyHash });
    // The key id only: nothing of the key itself (not even a prefix) is ever logged.
    if (row.revokedAt)
      this.logger.warn({ keyId: row.id }, 'ADMIN_API_KEY names a revoked key: it stays revoked');
    else this.logger.log({ keyId: row.id }, 'Bootstrap admin key ready');
  }

  private async defaultOrganization(): Promise<OrganizationEntity> {
    const orgs = this.dataSource.getRepository(OrganizationEntity);
    await orgs
      .createQueryBuilder()
      .insert()
      .values({ name: DEFAULT_ORGANIZATION, isDefault: true })
      .orIgnore()
      .execute();
    return orgs.findOneByOrFail({ isDefault: true });
  }

  /**
   * Resolves a presented key; null when unknown or revoked. The key is hashed once and looked up by its
   * SHA-256 digest through the unique index: the secret itself is never compared, and the digest of a
   * 256-bit random key gives a timing observer nothing to work towards.
   */
  async authenticate(presented: string): Promise<{ principal: Principal | null; revokedKeyOrg?: string }> {
    const found = await this.repo.findOne({ where: { keyHash: hashApiKey(presented) } });
    if (!found) return { principal: null };
    if (found.revokedAt) return { principal: null, revokedKeyOrg: found.organizationId };
    const now = new Date();
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      void this.repo.update({ id: found.id }, { lastUsedAt: now }).catch(() => undefined);
    }
    return {
      principal: {
        keyId: found.id,
        organizationId: found.organizationId,
        role: found.role,
        keyPrefix: found.prefix,
        ...(found.roundId !== null &&
          found.site !== null && { siteScope: { roundId: found.roundId, site: found.site } }),
      },
    };
  }

  /** Registers the check of site keys' rounds (called once by the rounds module). */
  useSiteScopeCheck(check: SiteScopeCheck): void {
    this.siteScopeCheck = check;
  }

  /** A new key for the caller's organization; the key is returned once and only its hash is kept. */
  async create(
    name: string,
    role: Role,
    siteScope?: SiteScope,
  ): Promise<{ entity: ApiKeyEntity; key: string }> {
    if (siteScope) await this.checkSiteScope(role, siteScope);
    const { key, prefix } = generateApiKey();
    return this.dataSource.transaction(async (m) => {
      const entity = await this.keys.with(m).save(
        this.keys.create({
          name,
          role,
          prefix,
          keyHash: hashApiKey(key),
          createdByKeyId: currentPrincipal().keyId,
          roundId: siteScope?.roundId ?? null,
          site: siteScope?.site ?? null,
        }),
      );
      const details = {
        role,
        prefix,
        ...(siteScope && { roundId: siteScope.roundId, site: siteScope.site }),
      };
      await this.trail.record(
        { action: 'api_key.created', objectType: 'api_key', objectId: entity.id, details },
        m,
      );
      return { entity, key };
    });
  }

  private async checkSiteScope(role: Role, scope: SiteScope): Promise<void> {
    if (role !== SITE_KEY_ROLE) {
      const message = `a key limited to a round's site must have the role "${SITE_KEY_ROLE}"`;
      throw new DomainError('invalid_input', `role: ${message}.`, [{ field: 'role', message }]);
    }
    if (!this.siteScopeCheck) throw new Error('site keys used before the rounds module started');
    await this.siteScopeCheck(scope);
  }

  /** The first admin key of a new organization (called by OrganizationsService inside its transaction). */
  async createFirstAdmin(organizationId: string, m: EntityManager): Promise<string> {
    const { key, prefix } = generateApiKey();
    await m.getRepository(ApiKeyEntity).insert({
      organizationId,
      name: 'first admin',
      role: 'admin',
      prefix,
      keyHash: hashApiKey(key),
      createdByKeyId: currentPrincipal().keyId,
    });
    return key;
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.find({}, { createdAt: 'DESC', id: 'DESC' });
  }

  async revoke(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const keys = this.keys.with(m);
      const key = await keys.get({ id });
      if (key.revokedAt) return;
      key.revokedAt = new Date();
      await keys.save(key);
      await this.trail.record(
        { action: 'api_key.revoked', objectType: 'api_key', objectId: id, details: { prefix: key.prefix } },
        m,
      );
    });
  }
}
