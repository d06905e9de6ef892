import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  ChainChecker,
  EVENT_HASH_VERSION,
  eventHash,
  GENESIS_HASH,
  headMessage,
  storableJson,
  type ChainVerification,
  type JsonObject,
  type TrailEvent,
} from '../../core/audit-trail';
import {
  currentPrincipal,
  currentRequestId,
  requestContext,
  type Principal,
} from '../../common/request-context';
import { SigningKeyService } from '../signing/signing-key.service';

export type AuditAction =
  | 'audit.submitted'
  | 'audit.updated'
  | 'model.created'
  | 'model.updated'
  | 'model.baseline_set'
  | 'model.privacy_budget_set'
  | 'report.created'
  | 'report.downloaded'
  | 'report.verified'
  | 'export.created'
  | 'export.verified'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'organization.created'
  | 'policy.updated'
  | 'auth.failed'
  | 'auth.forbidden'
  | 'audit_trail.cutover';

export interface AuditEventInput {
  action: AuditAction;
  objectType?: string;
  objectId?: string;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
  /** Defaults to the request's principal. */
  principal?: Pick<Principal, 'keyId' | 'organizationId' | 'role'> | null;
  /**
   * For events without a principal (failed authentication): the organization, if known; otherwise the event
   * goes to the default organization's chain.
   */
  organizationId?: string | null;
}

/** The newest event of an organization's chain, signed (Ed25519 over core/audit-trail headMessage). */
export interface SignedHead {
  organizationId: string;
  /** "0" for an empty chain. */
  seq: string;
  /** GENESIS_HASH for an empty chain. */
  hash: string;
  /** The event's time, UTC with microseconds; null for an empty chain. */
  createdAt: string | null;
  signature: string;
  keyId: string;
}

/** A head presented back for verification (as GET /v1/audit-events/head gave it). */
export interface PresentedHead {
  seq: string;
  hash: string;
  signature: string;
  keyId: string;
}

export interface TrailVerification extends ChainVerification {
  /** With a head: whether its signature verifies for the caller's organization. */
  headSignatureValid?: boolean;
}

/** Namespace of the per-organization advisory locks (the two-key form: this, hashtext(organization id)). */
const CHAIN_LOCK = 0x66776174; // "fwat"
/** Events read per query while verifying or re-chaining. */
const BATCH = 5000;

// Every ORDER BY names "audit_events"."seq": a bare "seq" would sort by the seq::text output column, so "9" > "10".

/** created_at as the hash covers it: UTC, microseconds, as timestamptz keeps it. */
const CREATED_AT_US = `to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const EVENT_COLUMNS = `"organization_id" AS "organizationId", "seq"::text AS "seq", "id", "actor_key_id" AS "actorKeyId",
  "actor_role" AS "actorRole", "action", "object_type" AS "objectType", "object_id" AS "objectId",
  "request_id" AS "requestId", "outcome", "details", ${CREATED_AT_US} AS "createdAt", "prev_hash" AS "prevHash",
  "hash"`;

/** A JavaScript Date (milliseconds) in the form the hash covers; timestamptz stores it exactly. */
function microsecondIso(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000Z`;
}

interface StoredEvent extends TrailEvent {
  legacySeq: string | null;
}

/**
 * The audit trail (HIPAA 164.312(b)): who did what, when, append-only. Each organization has its own chain:
 * its own gap-free seq, each event hashed over the canonical JSON of all its fields and the previous event's
 * hash, so a deleted, inserted or edited row is detectable by `verify()`; a signed head kept by anyone (and
 * printed in every report) also catches deleted or rewritten newest events. See docs/audit-trail.md.
 */
@Injectable()
export class AuditTrailService implements OnModuleInit {
  private readonly logger = new Logger(AuditTrailService.name);
  private defaultOrg?: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signer: SigningKeyService,
  ) {}

  /** Re-chains events still in the old hash format (an installation from before per-organization chains). */
  async onModuleInit(): Promise<void> {
    const orgs: { organizationId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT "organization_id" AS "organizationId" FROM "audit_events" WHERE "hash_version" = 1`,
    );
    for (const { organizationId } of orgs) {
      await this.dataSource.transaction(async (m) => {
        await this.lock(m, organizationId);
        await this.cutOver(m, organizationId);
      });
    }
  }

  /** Appends an event; pass the transaction's manager to commit it atomically with the action it records. */
  async record(input: AuditEventInput, manager?: EntityManager): Promise<void> {
    if (manager) return this.append(input, manager);
    await this.dataSource.transaction((m) => this.append(input, m));
  }

  private async append(input: AuditEventInput, m: EntityManager): Promise<void> {
    const principal =
      input.principal === undefined ? (requestContext.getStore()?.principal ?? null) : input.principal;
    const organizationId =
      principal?.organizationId ?? input.organizationId ?? (await this.defaultOrganization(m));
    await this.lock(m, organizationId);
    let last = await this.last(m, organizationId);
    if (last?.hashVersion === 1) {
      await this.cutOver(m, organizationId);
      last = await this.last(m, organizationId);
    }
    await this.insert(m, {
      organizationId,
      seq: String(BigInt(last?.seq ?? '0') + 1n),
      actorKeyId: principal?.keyId ?? null,
      actorRole: principal?.role ?? null,
      action: input.action,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      requestId: currentRequestId() ?? null,
      outcome: input.outcome ?? 'success',
      details: input.details ?? {},
      prevHash: last?.hash ?? GENESIS_HASH,
    });
  }

  private async insert(
    m: EntityManager,
    e: Omit<TrailEvent, 'id' | 'createdAt' | 'hash' | 'details'> & { details: Record<string, unknown> },
  ): Promise<void> {
    const now = new Date();
    // Hash exactly what jsonb will give back (key order aside, which the canonical form ignores).
    const details = storableJson(e.details) as JsonObject;
    const event: TrailEvent = { ...e, id: randomUUID(), details, createdAt: microsecondIso(now), hash: '' };
    event.hash = eventHash(event);
    await m.query(
      `INSERT INTO "audit_events" ("organization_id", "seq", "id", "actor_key_id", "actor_role", "action",
         "object_type", "object_id", "request_id", "outcome", "details", "created_at", "prev_hash", "hash",
         "hash_version")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15)`,
      [
        event.organizationId,
        event.seq,
        event.id,
        event.actorKeyId,
        event.actorRole,
        event.action,
        event.objectType,
        event.objectId,
        event.requestId,
        event.outcome,
        JSON.stringify(details),
        now.toISOString(),
        event.prevHash,
        event.hash,
        EVENT_HASH_VERSION,
      ],
    );
  }

  /** The caller organization's newest event, signed over (organization, seq, hash). */
  async head(): Promise<SignedHead> {
    const organizationId = currentPrincipal().organizationId;
    const rows: { seq: string; hash: string; createdAt: string }[] = await this.dataSource.query(
      `SELECT "seq"::text AS "seq", "hash", ${CREATED_AT_US} AS "createdAt" FROM "audit_events"
       WHERE "organization_id" = $1 ORDER BY "audit_events"."seq" DESC LIMIT 1`,
      [organizationId],
    );
    const last = rows[0];
    const seq = last?.seq ?? '0';
    const hash = last?.hash ?? GENESIS_HASH;
    const { signature, keyId } = await this.signer.sign(
      Buffer.from(headMessage({ organizationId, seq, hash }), 'utf8'),
    );
    return { organizationId, seq, hash, createdAt: last?.createdAt ?? null, signature, keyId };
  }

  /**
   * Recomputes the caller organization's chain and lists every break. With a head kept earlier, also checks
   * the head's signature and that the event it names is still in the chain with the same hash.
   */
  async verify(head?: PresentedHead): Promise<TrailVerification> {
    const organizationId = currentPrincipal().organizationId;
    const checker = new ChainChecker(head ? { seq: head.seq, hash: head.hash } : null);
    let headSignatureValid: boolean | undefined;
    if (head) {
      headSignatureValid = await this.signer.verify(
        Buffer.from(headMessage({ organizationId, seq: head.seq, hash: head.hash }), 'utf8'),
        head.signature,
        head.keyId,
      );
      if (!headSignatureValid) {
        checker.flag(
          BigInt(head.seq),
          `the head's signature does not verify for this organization with key ${head.keyId}: the head is forged, altered or another organization's`,
        );
      }
    }
    for await (const e of this.events(this.dataSource.manager, organizationId)) checker.add(e);
    const result = checker.finish();
    return head ? { ...result, headSignatureValid } : result;
  }

  /** The organization's events in seq order, read in batches. */
  private async *events(m: EntityManager, organizationId: string, where = ''): AsyncGenerator<StoredEvent> {
    let after = '0';
    for (;;) {
      const rows: StoredEvent[] = await m.query(
        `SELECT ${EVENT_COLUMNS}, "legacy_seq"::text AS "legacySeq" FROM "audit_events"
         WHERE "organization_id" = $1 AND "seq" > $2 ${where} ORDER BY "audit_events"."seq" LIMIT ${BATCH}`,
        [organizationId, after],
      );
      yield* rows;
      const last = rows[rows.length - 1];
      if (!last || rows.length < BATCH) return;
      after = last.seq;
    }
  }

  /**
   * Re-chains the organization's format-1 events (always the start of its chain) in format 2, over their
   * content as stored now, and appends an `audit_trail.cutover` event that says so. Format-1 hashes are
   * checked first, for the record: after a jsonb round trip some fail without any tampering. The caller holds
   * the organization's lock.
   */
  private async cutOver(m: EntityManager, organizationId: string): Promise<void> {
    let prevHash = GENESIS_HASH;
    let count = 0;
    let legacyMatching = 0;
    let firstLegacySeq: string | null = null;
    let lastLegacySeq: string | null = null;
    let lastSeq = '0';
    let pending: { seq: string; prevHash: string; hash: string }[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      await m.query(
        `UPDATE "audit_events" e SET "prev_hash" = v."prev", "hash" = v."hash", "hash_version" = ${EVENT_HASH_VERSION}
         FROM (SELECT unnest($2::bigint[]) AS "seq", unnest($3::text[]) AS "prev", unnest($4::text[]) AS "hash") v
         WHERE e."organization_id" = $1 AND e."seq" = v."seq"`,
        [
          organizationId,
          pending.map((p) => p.seq),
          pending.map((p) => p.prevHash),
          pending.map((p) => p.hash),
        ],
      );
      pending = [];
    };
    for await (const e of this.events(m, organizationId, `AND "hash_version" = 1`)) {
      const legacySeq = e.legacySeq ?? e.seq;
      if (legacyHashMatches(e, legacySeq)) legacyMatching += 1;
      firstLegacySeq ??= legacySeq;
      lastLegacySeq = legacySeq;
      const rechained = { ...e, prevHash };
      const hash = eventHash(rechained);
      pending.push({ seq: e.seq, prevHash, hash });
      if (pending.length >= BATCH) await flush();
      prevHash = hash;
      lastSeq = e.seq;
      count += 1;
    }
    await flush();
    if (count === 0) return;
    await this.insert(m, {
      organizationId,
      seq: String(BigInt(lastSeq) + 1n),
      actorKeyId: null,
      actorRole: null,
      action: 'audit_trail.cutover',
      objectType: 'audit_trail',
      objectId: organizationId,
      requestId: null,
      outcome: 'success',
      details: {
        rechainedEvents: count,
        legacySeqFirst: firstLegacySeq,
        legacySeqLast: lastLegacySeq,
        legacyHashesMatching: legacyMatching,
        hashVersion: EVENT_HASH_VERSION,
        note: 'Events 1 to the one before this were hashed in format 1 and are re-chained in format 2 over their content as stored at this cutover; legacy_seq and legacy_hash keep their old position and hash.',
      },
      prevHash,
    });
    this.logger.log(
      { organizationId, rechainedEvents: count, legacyHashesMatching: legacyMatching },
      'Audit trail re-chained in hash format 2',
    );
  }

  private async last(
    m: EntityManager,
    organizationId: string,
  ): Promise<{ seq: string; hash: string; hashVersion: number } | undefined> {
    const rows: { seq: string; hash: string; hashVersion: number }[] = await m.query(
      `SELECT "seq"::text AS "seq", "hash", "hash_version" AS "hashVersion" FROM "audit_events"
       WHERE "organization_id" = $1 ORDER BY "audit_events"."seq" DESC LIMIT 1`,
      [organizationId],
    );
    return rows[0];
  }

  /** Serialises appends to one organization's chain across connections and processes, until commit. */
  private async lock(m: EntityManager, organizationId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK, organizationId]);
  }

  private async defaultOrganization(m: EntityManager): Promise<string> {
    if (this.defaultOrg) return this.defaultOrg;
    const rows: { id: string }[] = await m.query(
      'SELECT "id" FROM "organizations" WHERE "is_default" LIMIT 1',
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('No default organization to record an event without an organization');
    this.defaultOrg = id;
    return id;
  }
}

/**
 * Whether an event still gives its format-1 hash: SHA-256 of JSON.stringify of the fields in a fixed order,
 * with the global seq, millisecond time and the organization it had (null for an unknown key's failure).
 */
function legacyHashMatches(e: StoredEvent, legacySeq: string): boolean {
  const stored = e.hash; // still the format-1 hash: re-chaining has not written this row yet
  return [e.organizationId, null].some(
    (organizationId) =>
      createHash('sha256')
        .update(
          JSON.stringify([
            legacySeq,
            e.id,
            organizationId,
            e.actorKeyId,
            e.actorRole,
            e.action,
            e.objectType,
            e.objectId,
            e.requestId,
            e.outcome,
            e.details,
            `${e.createdAt.slice(0, 23)}Z`,
            e.prevHash,
          ]),
        )
        .digest('hex') === stored,
  );
}
