import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { currentRequestId, requestContext, type Principal } from '../../common/request-context';
import { AuditEventEntity } from './entities/audit-event.entity';

export type AuditAction =
  | 'audit.submitted'
  | 'audit.updated'
  | 'model.created'
  | 'model.updated'
  | 'model.baseline_set'
  | 'report.created'
  | 'report.downloaded'
  | 'report.verified'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'organization.created'
  | 'policy.updated'
  | 'auth.failed'
  | 'auth.forbidden';

export interface AuditEventInput {
  action: AuditAction;
  objectType?: string;
  objectId?: string;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
  /** Defaults to the request's principal. */
  principal?: Pick<Principal, 'keyId' | 'organizationId' | 'role'> | null;
  /** For events without a principal (failed authentication): the organization, if known. */
  organizationId?: string | null;
}

const GENESIS = '0'.repeat(64);
/** Serialises appends to the chain across connections and processes. */
const CHAIN_LOCK = 0x66776174; // "fwat"

/** The fields a hash covers, in a fixed order. */
function canonical(e: AuditEventEntity): string {
  return JSON.stringify([
    e.seq,
    e.id,
    e.organizationId,
    e.actorKeyId,
    e.actorRole,
    e.action,
    e.objectType,
    e.objectId,
    e.requestId,
    e.outcome,
    e.details,
    e.createdAt.toISOString(),
    e.prevHash,
  ]);
}

export function eventHash(e: AuditEventEntity): string {
  return createHash('sha256').update(canonical(e)).digest('hex');
}

export interface ChainVerification {
  valid: boolean;
  eventsChecked: number;
  /** First position where the chain breaks: a missing, inserted or altered event. */
  brokenAtSeq: string | null;
  reason: string | null;
}

/**
 * The audit trail (HIPAA 164.312(b)): who did what, when, append-only, each event chained to the previous one
 * by SHA-256 so that a deleted, inserted or edited row is detectable by `verify()`.
 */
@Injectable()
export class AuditTrailService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends an event; pass the transaction's manager to commit it atomically with the action it records. */
  async record(input: AuditEventInput, manager?: EntityManager): Promise<void> {
    if (manager) return this.append(input, manager);
    await this.dataSource.transaction((m) => this.append(input, m));
  }

  private async append(input: AuditEventInput, m: EntityManager): Promise<void> {
    const principal =
      input.principal === undefined ? (requestContext.getStore()?.principal ?? null) : input.principal;
    await m.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const last = await m
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .select(['e.seq', 'e.hash'])
      .orderBy('e.seq', 'DESC')
      .limit(1)
      .getOne();
    const event = m.getRepository(AuditEventEntity).create({
      seq: String(BigInt(last?.seq ?? '0') + 1n),
      id: randomUUID(),
      organizationId: principal?.organizationId ?? input.organizationId ?? null,
      actorKeyId: principal?.keyId ?? null,
      actorRole: principal?.role ?? null,
      action: input.action,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      requestId: currentRequestId() ?? null,
      outcome: input.outcome ?? 'success',
      details: input.details ?? {},
      createdAt: new Date(),
      prevHash: last?.hash ?? GENESIS,
    });
    event.hash = eventHash(event);
    await m.getRepository(AuditEventEntity).save(event);
  }

  /** Recomputes the whole chain in order. */
  async verify(): Promise<ChainVerification> {
    const repo = this.dataSource.getRepository(AuditEventEntity);
    let expectedSeq = 1n;
    let prevHash = GENESIS;
    let checked = 0;
    const batch = 5000;
    for (;;) {
      const events = await repo
        .createQueryBuilder('e')
        .where('e.seq >= :from', { from: expectedSeq.toString() })
        .orderBy('e.seq', 'ASC')
        .limit(batch)
        .getMany();
      for (const e of events) {
        const broken = (reason: string): ChainVerification => ({
          valid: false,
          eventsChecked: checked,
          brokenAtSeq: e.seq,
          reason,
        });
        if (BigInt(e.seq) !== expectedSeq) return broken(`event ${expectedSeq} is missing`);
        if (e.prevHash !== prevHash) return broken('event does not follow the previous one');
        if (eventHash(e) !== e.hash) return broken('event content was altered');
        prevHash = e.hash;
        expectedSeq += 1n;
        checked += 1;
      }
      if (events.length < batch) break;
    }
    return { valid: true, eventsChecked: checked, brokenAtSeq: null, reason: null };
  }
}
