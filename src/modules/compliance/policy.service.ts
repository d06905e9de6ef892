import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, Repository } from 'typeorm';
import {
  DEFAULT_POLICY,
  DEFAULT_THRESHOLDS,
  resolvePolicy,
  type CompliancePolicy,
  type ComplianceThresholds,
  type PolicyOverrides,
} from '../../core/compliance';
import { DomainError } from '../../core/errors';
import { OrgRepository } from '../../common/org-repository';
import { invalidCursor, type Page } from '../../common/pagination';
import { currentPrincipal } from '../../common/request-context';
import { AuditTrailService } from '../auth/audit-trail.service';
import { PolicyEntity } from './entities/policy.entity';

/** A policy version as served: the resolved policy and when (and by which key) it was stored. */
export interface PolicyVersion {
  policy: CompliancePolicy;
  /** When the version was stored; for version 0 (the shipped default), when its thresholds were fixed. */
  createdAt: string;
  createdByKeyId: string | null;
}

/** Serialises policy writes per organization (pg_advisory_xact_lock's second key space). */
const POLICY_LOCK = 0x66777063; // "fwpc"

/** Versions are PostgreSQL integers: none is larger. */
const MAX_VERSION = 2 ** 31 - 1;

function hasKey<T extends object>(o: T, key: PropertyKey): key is keyof T {
  return Object.hasOwn(o, key);
}

/** A stored row back into a policy. Thresholds a later release dropped are ignored; new ones take their default. */
function toVersion(row: PolicyEntity): PolicyVersion {
  const thresholds = Object.fromEntries(
    Object.entries(row.thresholds).filter(([k]) => hasKey(DEFAULT_THRESHOLDS, k)),
  ) as Partial<ComplianceThresholds>;
  const createdAt = row.createdAt.toISOString();
  return {
    policy: resolvePolicy({
      version: row.version,
      frameworks: row.frameworks,
      thresholds,
      adoptedAt: createdAt,
    }),
    createdAt,
    createdByKeyId: row.createdByKeyId,
  };
}

const DEFAULT_VERSION: PolicyVersion = {
  policy: DEFAULT_POLICY,
  createdAt: DEFAULT_POLICY.adoptedAt ?? new Date(0).toISOString(),
  createdByKeyId: null,
};

/**
 * The organization's compliance policy: immutable versions, newest in force. Version 0 is the shipped default
 * and is never stored; the first change stores version 1.
 */
@Injectable()
export class PolicyService {
  private readonly policies: OrgRepository<PolicyEntity>;

  constructor(
    @InjectRepository(PolicyEntity) repo: Repository<PolicyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trail: AuditTrailService,
  ) {
    this.policies = new OrgRepository(repo, 'Policy version');
  }

  /** The policy in force for the caller's organization. */
  async current(): Promise<PolicyVersion> {
    const row = await this.policies.query('p').orderBy('p.version', 'DESC').limit(1).getOne();
    return row ? toVersion(row) : DEFAULT_VERSION;
  }

  /** One version (0 = the shipped default); 404 when it does not exist. */
  async version(version: number): Promise<PolicyVersion> {
    if (version === 0) return DEFAULT_VERSION;
    // Stored versions run from 1 to the integer column's maximum; PostgreSQL would reject a query beyond it.
    if (version < 1 || version > MAX_VERSION) throw new DomainError('not_found', 'Policy version not found.');
    return toVersion(await this.policies.get({ version }));
  }

  /** Every version, newest first; the cursor is the last version of the previous page. */
  async history(limit = 50, cursor?: string): Promise<Page<PolicyVersion>> {
    let before = MAX_VERSION;
    if (cursor !== undefined) {
      before = Number(cursor);
      if (!/^\d{1,9}$/.test(cursor) || before < 1) throw invalidCursor();
    }
    // `limit` stored versions at most: with the shipped defaults after them, one more than a page shows.
    const rows = await this.policies.find({ version: LessThan(before) }, { version: 'DESC' }, limit);
    const versions = [...rows.map(toVersion), DEFAULT_VERSION].filter((v) => v.policy.version < before);
    const items = versions.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: versions.length > limit && last ? String(last.policy.version) : null,
    };
  }

  /**
   * Stores the next version: the shipped defaults with these overrides (PUT replaces the whole policy).
   * Invalid overrides → 400 naming every bad field, and nothing is stored.
   */
  async update(overrides: Pick<PolicyOverrides, 'frameworks' | 'thresholds'>): Promise<PolicyVersion> {
    const resolved = resolvePolicy({ frameworks: overrides.frameworks, thresholds: overrides.thresholds });
    const principal = currentPrincipal();
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        POLICY_LOCK,
        principal.organizationId,
      ]);
      const policies = this.policies.with(m);
      const latest = await policies.query('p').orderBy('p.version', 'DESC').limit(1).getOne();
      const version = (latest?.version ?? 0) + 1;
      const row = await policies.save(
        policies.create({
          version,
          frameworks: resolved.frameworks,
          thresholds: resolved.thresholds,
          createdByKeyId: principal.keyId,
        }),
      );
      await this.trail.record(
        {
          action: 'policy.updated',
          objectType: 'policy',
          objectId: String(version),
          details: {
            version,
            previousVersion: latest?.version ?? 0,
            frameworks: resolved.frameworks,
            thresholds: overrides.thresholds ?? {},
          },
        },
        m,
      );
      // Re-read so createdAt is the database's timestamp, which is also the version's adoption time.
      return toVersion(await policies.get({ version: row.version }));
    });
  }
}
