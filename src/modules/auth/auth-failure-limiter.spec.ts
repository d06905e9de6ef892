import { FailureWindows } from './auth-failure-limiter';

/** The wait `admit` answers for `address` at `now`; an admitted probe is released again. */
function probe(w: FailureWindows, address: string, now: number): number {
  const wait = w.admit(address, now);
  if (wait === 0) w.release(address);
  return wait;
}

describe('FailureWindows', () => {
  const t0 = 1_700_000_000_000;

  it('blocks an address at its limit until its one-minute window ends, with the seconds left', () => {
    const w = new FailureWindows(2);
    w.failed('a', 'unknown key', 'GET /v1/models', null, t0);
    expect(probe(w, 'a', t0 + 1)).toBe(0); // 1 of 2
    w.failed('a', 'missing key', 'GET /v1/models', null, t0 + 10_000);
    expect(probe(w, 'a', t0 + 10_000)).toBe(50);
    expect(probe(w, 'a', t0 + 59_001)).toBe(1);
    expect(probe(w, 'b', t0 + 10_000)).toBe(0); // another address
    expect(probe(w, 'a', t0 + 60_000)).toBe(0); // the window is over
    w.failed('a', 'unknown key', 'GET /v1/models', null, t0 + 60_000); // a new window: 1 of 2
    expect(probe(w, 'a', t0 + 60_001)).toBe(0);
  });

  it('does not extend a block with the requests it refuses', () => {
    const w = new FailureWindows(1);
    w.failed('a', 'unknown key', 'GET /x', null, t0);
    for (let s = 1; s < 60; s++) w.failed('a', 'rate limited', 'GET /x', null, t0 + s * 1000);
    expect(probe(w, 'a', t0 + 59_999)).toBe(1);
    expect(probe(w, 'a', t0 + 60_000)).toBe(0);
  });

  it('admits at most `limit` lookups at once, counting failures and lookups in flight', () => {
    const w = new FailureWindows(3);
    expect([w.admit('a', t0), w.admit('a', t0), w.admit('a', t0)]).toEqual([0, 0, 0]);
    expect(w.admit('a', t0)).toBe(1); // three in flight: wait a second
    expect(w.admit('b', t0)).toBe(0); // another address has its own budget
    w.release('a'); // a lookup that succeeded
    expect(w.admit('a', t0)).toBe(0);
    w.failed('a', 'unknown key', 'GET /x', null, t0 + 1000);
    w.release('a');
    w.release('a');
    w.release('a');
    expect(probe(w, 'a', t0 + 1000)).toBe(0); // 1 failure, nothing in flight
    w.failed('a', 'unknown key', 'GET /x', null, t0 + 1000);
    w.failed('a', 'unknown key', 'GET /x', null, t0 + 1000);
    expect(w.admit('a', t0 + 1000)).toBe(59); // 3 failures: blocked until the window ends
  });

  it('remembers a good key for ten minutes', () => {
    const w = new FailureWindows(1);
    w.succeeded('hash1', t0);
    expect(w.isKnownGood('hash1', t0 + 599_999)).toBe(true);
    expect(w.isKnownGood('hash1', t0 + 600_000)).toBe(false);
    expect(w.isKnownGood('hash2', t0)).toBe(false);
  });

  it('summarises per address and organization, and drains once', () => {
    const w = new FailureWindows(100);
    for (let i = 0; i < 1000; i++) w.failed('a', 'unknown key', `GET /r${i % 20}`, null, t0 + i);
    w.failed('a', 'revoked key', 'GET /r0', 'org-1', t0 + 2000);
    w.failed('b', 'missing key', 'GET /r0', null, t0 + 3000);
    const out = w.drain();
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({
      clientAddress: 'a',
      organizationId: null,
      count: 1000,
      reasons: { 'unknown key': 1000 },
      routes: [
        'GET /r0',
        'GET /r1',
        'GET /r2',
        'GET /r3',
        'GET /r4',
        'GET /r5',
        'GET /r6',
        'GET /r7',
        'GET /r8',
        'GET /r9',
      ],
      firstAt: t0,
      lastAt: t0 + 999,
    });
    expect(out[1]).toMatchObject({ clientAddress: 'a', organizationId: 'org-1', count: 1 });
    expect(out[2]).toMatchObject({ clientAddress: 'b', count: 1, reasons: { 'missing key': 1 } });
    expect(w.drain()).toEqual([]);
  });

  it('holds at most 100,000 addresses in memory, dropping the oldest', () => {
    const w = new FailureWindows(1);
    for (let i = 0; i <= 100_000; i++) w.failed(`addr-${i}`, 'unknown key', 'GET /x', null, t0);
    expect(probe(w, 'addr-1', t0)).toBe(60);
    expect(probe(w, 'addr-100000', t0)).toBe(60);
    expect(probe(w, 'addr-0', t0)).toBe(0); // evicted
  });
});
