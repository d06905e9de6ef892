import { createHash } from 'node:crypto';
import {
  ChainChecker,
  eventHash,
  eventHashInput,
  GENESIS_HASH,
  headMessage,
  type TrailEvent,
  type TrailEventFields,
} from './chain';

const ORG = '6f1c1b3e-8d7a-4c55-9a43-0f2e7f4d9b10';

function fields(seq: number, prevHash: string, details: TrailEventFields['details'] = {}): TrailEventFields {
  return {
    organizationId: ORG,
    seq: String(seq),
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    actorKeyId: null,
    actorRole: 'admin',
    action: 'model.created',
    objectType: 'model',
    objectId: `m${seq}`,
    requestId: null,
    outcome: 'success',
    details,
    createdAt: `2026-12-05T10:00:0${seq % 10}.123456Z`,
    prevHash,
  };
}

/** A valid chain of n events. */
function chain(n: number): TrailEvent[] {
  const out: TrailEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const f = fields(i, prev, { i, name: `event ${i}` });
    const e = { ...f, hash: eventHash(f) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

function check(events: TrailEvent[], head: { seq: string; hash: string } | null = null) {
  const c = new ChainChecker(head);
  for (const e of events) c.add(e);
  return c.finish();
}

describe('event hash', () => {
  it('is the SHA-256 of the canonical JSON of every field, whatever the key order of details', () => {
    const f = fields(1, GENESIS_HASH, { b: [1, { y: 0.5, x: 'é' }], a: 1e21 });
    const expected =
      '{"action":"model.created","actorKeyId":null,"actorRole":"admin","createdAt":"2026-12-05T10:00:01.123456Z",' +
      '"details":{"a":1e+21,"b":[1,{"x":"é","y":0.5}]},"id":"00000000-0000-4000-8000-000000000001",' +
      '"objectId":"m1","objectType":"model","organizationId":"6f1c1b3e-8d7a-4c55-9a43-0f2e7f4d9b10",' +
      `"outcome":"success","prevHash":"${GENESIS_HASH}","requestId":null,"seq":"1","v":2}`;
    expect(eventHashInput(f)).toBe(expected);
    expect(eventHash(f)).toBe(createHash('sha256').update(Buffer.from(expected, 'utf8')).digest('hex'));
    const reordered = { ...f, details: { a: 1e21, b: [1, { x: 'é', y: 0.5 }] } };
    expect(eventHash(reordered)).toBe(eventHash(f));
  });

  it('changes with the microseconds of the timestamp and with the organization', () => {
    const f = fields(1, GENESIS_HASH);
    expect(eventHash({ ...f, createdAt: '2026-12-05T10:00:01.123457Z' })).not.toBe(eventHash(f));
    expect(eventHash({ ...f, organizationId: '6f1c1b3e-8d7a-4c55-9a43-0f2e7f4d9b11' })).not.toBe(
      eventHash(f),
    );
  });

  it('signs a head message that names its purpose, organization, seq and hash', () => {
    expect(headMessage({ organizationId: ORG, seq: '12', hash: 'ab' })).toBe(
      `{"hash":"ab","organizationId":"${ORG}","purpose":"fairwatch.audit-trail.head.v1","seq":"12"}`,
    );
  });
});

describe('ChainChecker', () => {
  it('accepts an untouched chain and an empty one', () => {
    expect(check(chain(5))).toEqual({
      valid: true,
      eventsChecked: 5,
      brokenAtSeq: null,
      reason: null,
      breaks: [],
      breaksTruncated: false,
    });
    expect(check([])).toMatchObject({ valid: true, eventsChecked: 0 });
  });

  it('lists every edited event, not only the first', () => {
    const events = chain(6);
    events[1] = { ...events[1]!, details: { i: 2, name: 'edited' } };
    events[4] = { ...events[4]!, actorRole: 'viewer' };
    const result = check(events);
    expect(result.valid).toBe(false);
    expect(result.breaks).toEqual([
      { seq: '2', reason: 'event content was altered' },
      { seq: '5', reason: 'event content was altered' },
    ]);
    expect(result).toMatchObject({ brokenAtSeq: '2', reason: 'event content was altered', eventsChecked: 6 });
  });

  it('flags content that cannot be hashed (jsonb 1e400 reads back as Infinity) instead of throwing', () => {
    const events = chain(3);
    events[1] = { ...events[1]!, details: { n: Infinity } };
    expect(check(events).breaks).toEqual([{ seq: '2', reason: 'event content was altered' }]);
  });

  it('reports a gap once and does not blame the event after it', () => {
    const events = chain(7);
    const result = check([...events.slice(0, 2), ...events.slice(4)]);
    expect(result.breaks).toEqual([{ seq: '3', reason: 'events 3 to 4 are missing' }]);
    expect(check(events.slice(1)).breaks).toEqual([{ seq: '1', reason: 'event 1 is missing' }]);
  });

  it('catches an event re-hashed after an edit at the link to its successor', () => {
    const events = chain(4);
    const edited = { ...events[1]!, objectId: 'other' };
    events[1] = { ...edited, hash: eventHash(edited) };
    expect(check(events).breaks).toEqual([
      { seq: '3', reason: "event does not follow event 2: its prevHash is not that event's hash" },
    ]);
  });

  it('needs a head to catch deleted newest events and a fully recomputed rewrite', () => {
    const events = chain(5);
    const head = { seq: '5', hash: events[4]!.hash };
    expect(check(events, head).valid).toBe(true);

    // Newest event deleted: the rest is a valid chain on its own.
    expect(check(events.slice(0, 4)).valid).toBe(true);
    expect(check(events.slice(0, 4), head).breaks).toEqual([
      {
        seq: '5',
        reason: 'the chain ends at event 4 but the signed head names event 5: newer events were deleted',
      },
    ]);

    // Event 2 rewritten and every later hash recomputed: self-consistent, but not the head's event 5.
    const rewritten: TrailEvent[] = events.slice(0, 1);
    for (const e of events.slice(1)) {
      const f = { ...e, prevHash: rewritten[rewritten.length - 1]!.hash };
      if (f.seq === '2') f.details = { i: 2, name: 'forged' };
      rewritten.push({ ...f, hash: eventHash(f) });
    }
    expect(check(rewritten).valid).toBe(true);
    expect(check(rewritten, head).breaks).toEqual([
      { seq: '5', reason: 'event differs from the signed head: it was rewritten after the head was taken' },
    ]);
  });

  it('stops listing at maxBreaks but says more were found', () => {
    const events = chain(5).map((e) => ({ ...e, outcome: 'failure' }));
    const c = new ChainChecker(null, 2);
    for (const e of events) c.add(e);
    expect(c.finish()).toMatchObject({
      valid: false,
      breaksTruncated: true,
      breaks: [{ seq: '1' }, { seq: '2' }],
    });
  });
});
