import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './canonical-json';

/** The hash format of events chained since migration 1764400003000 (format 1 hashed JSON.stringify of a tuple). */
export const EVENT_HASH_VERSION = 2;
/** `prevHash` of an organization's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every stored field of an event that its hash covers (all of them but the hash itself). */
export interface TrailEventFields {
  organizationId: string;
  /** Position in the organization's chain, 1-based, decimal. */
  seq: string;
  id: string;
  actorKeyId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  requestId: string | null;
  outcome: string;
  details: JsonObject;
  /** UTC, microseconds (the precision of timestamptz): `2026-12-05T23:56:17.123000Z`. */
  createdAt: string;
  prevHash: string;
}

export interface TrailEvent extends TrailEventFields {
  hash: string;
}

/** The exact text an event's hash is computed over: canonical JSON of its fields plus the format version. */
export function eventHashInput(e: TrailEventFields): string {
  return canonicalJson({
    v: EVENT_HASH_VERSION,
    organizationId: e.organizationId,
    seq: e.seq,
    id: e.id,
    actorKeyId: e.actorKeyId,
    actorRole: e.actorRole,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    requestId: e.requestId,
    outcome: e.outcome,
    details: e.details,
    createdAt: e.createdAt,
    prevHash: e.prevHash,
  });
}

/** SHA-256 (hex) of the UTF-8 bytes of eventHashInput. */
export function eventHash(e: TrailEventFields): string {
  return createHash('sha256').update(eventHashInput(e), 'utf8').digest('hex');
}

/** Names what a head signature is for, so it can never be mistaken for a signature of other bytes. */
export const HEAD_PURPOSE = 'fairwatch.audit-trail.head.v1';

export interface TrailHeadFields {
  organizationId: string;
  seq: string;
  hash: string;
}

/** The bytes an Ed25519 head signature covers: canonical JSON of {hash, organizationId, purpose, seq}. */
export function headMessage(h: TrailHeadFields): string {
  return canonicalJson({ purpose: HEAD_PURPOSE, organizationId: h.organizationId, seq: h.seq, hash: h.hash });
}

/** False also when the stored content cannot be hashed at all (a number beyond a double, edited in SQL). */
function hashMatches(e: TrailEvent): boolean {
  try {
    return eventHash(e) === e.hash;
  } catch {
    return false;
  }
}

export interface ChainBreak {
  seq: string;
  reason: string;
}

export interface ChainVerification {
  valid: boolean;
  eventsChecked: number;
  /** The first break's position, or null. */
  brokenAtSeq: string | null;
  reason: string | null;
  /** Every break found, in chain order (at most `maxBreaks`). */
  breaks: ChainBreak[];
  /** More breaks were found than listed. */
  breaksTruncated: boolean;
}

/**
 * Walks one organization's chain in seq order and collects every break, not only the first: a gap in the
 * sequence (deleted events), an event whose prevHash is not its predecessor's hash (inserted, reordered or
 * re-hashed events), an event whose content no longer gives its hash (edited), and, with a head kept
 * earlier, the event the head names missing or different from the head (deleted or rewritten newest events,
 * even when every later hash was recomputed).
 */
export class ChainChecker {
  private expected = 1n;
  /** Hash of the event just before `expected`; null after a gap, where the predecessor is unknown. */
  private prevHash: string | null = GENESIS_HASH;
  private checked = 0;
  private readonly found: ChainBreak[] = [];
  private total = 0;
  private headSeen = false;

  constructor(
    private readonly head: { seq: string; hash: string } | null = null,
    private readonly maxBreaks = 1000,
  ) {
    // The head of an empty chain names seq 0 and the genesis hash; nothing in the chain has to match it.
    if (head?.seq === '0') {
      this.headSeen = true;
      if (head.hash !== GENESIS_HASH) this.flag(0n, 'a head at seq 0 must carry the genesis hash');
    }
  }

  add(e: TrailEvent): void {
    const seq = BigInt(e.seq);
    if (seq > this.expected) {
      const last = seq - 1n;
      this.flag(
        this.expected,
        last === this.expected
          ? `event ${last} is missing`
          : `events ${this.expected} to ${last} are missing`,
      );
      this.prevHash = null;
    } else if (seq < this.expected) {
      this.flag(seq, 'event is out of order');
    }
    if (this.prevHash !== null && e.prevHash !== this.prevHash) {
      this.flag(seq, `event does not follow event ${seq - 1n}: its prevHash is not that event's hash`);
    }
    if (!hashMatches(e)) this.flag(seq, 'event content was altered');
    if (this.head && e.seq === this.head.seq) {
      this.headSeen = true;
      if (e.hash !== this.head.hash) {
        this.flag(seq, 'event differs from the signed head: it was rewritten after the head was taken');
      }
    }
    this.prevHash = e.hash;
    this.expected = seq + 1n;
    this.checked += 1;
  }

  finish(): ChainVerification {
    if (this.head && !this.headSeen) {
      this.flag(
        BigInt(this.head.seq),
        BigInt(this.head.seq) >= this.expected
          ? `the chain ends at event ${this.expected - 1n} but the signed head names event ${this.head.seq}: newer events were deleted`
          : 'the event named by the signed head is missing',
      );
    }
    const first = this.found[0];
    return {
      valid: this.total === 0,
      eventsChecked: this.checked,
      brokenAtSeq: first?.seq ?? null,
      reason: first?.reason ?? null,
      breaks: [...this.found],
      breaksTruncated: this.total > this.found.length,
    };
  }

  /** Records a break found outside the chain itself (a head whose signature does not verify). */
  flag(seq: bigint, reason: string): void {
    this.total += 1;
    if (this.found.length < this.maxBreaks) this.found.push({ seq: seq.toString(), reason });
  }
}
