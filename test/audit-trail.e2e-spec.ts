import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { eventHash, type TrailEvent } from '../src/core/audit-trail';
import { AuthFailureLimiter } from '../src/modules/auth/auth-failure-limiter';
import { binary, pdfLines } from './support/pdf';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The audit trail over HTTP on the real AppModule (PGlite, or PostgreSQL with TEST_DATABASE_URL): a realistic
 * session in two organizations must verify, then each kind of tampering done in SQL must be caught, with a
 * signed head where the chain alone cannot tell. Head signatures are checked here with node:crypto against the
 * published public key over a message written out by hand.
 */

interface EventDto {
  seq: string;
  id: string;
  action: string;
  hash: string;
  prevHash: string;
  details: Record<string, unknown>;
}
interface Verification {
  valid: boolean;
  eventsChecked: number;
  brokenAtSeq: string | null;
  reason: string | null;
  breaks: { seq: string; reason: string }[];
  breaksTruncated: boolean;
  headSignatureValid?: boolean;
}
interface Head {
  seq: string;
  hash: string;
  createdAt: string | null;
  signature: string;
  keyId: string;
  organizationId: string;
}

function csv(n: number, seed: number): string {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ['patient_id,y_true,y_pred,score,race,sex'];
  for (let i = 0; i < n; i++) {
    const score = Math.round(rand() * 1000) / 1000;
    lines.push(
      `P${i},${rand() < score ? 1 : 0},${score >= 0.5 ? 1 : 0},${score},${['White', 'Black', 'Asian'][i % 3]},${i % 2 ? 'F' : 'M'}`,
    );
  }
  return lines.join('\n') + '\n';
}

const CONFIG = JSON.stringify({
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex'],
  name: 'monthly check',
});

describe('audit trail: per-organization chains and signed heads', () => {
  let t: TestApp;
  let orgB: { id: string; adminKey: string };
  let orgA: string;
  let reportId: string;

  const events = async (key?: string): Promise<EventDto[]> =>
    (await t.http.get('/v1/audit-events?limit=200').set(t.auth(key)).expect(200)).body.items as EventDto[];
  const verifyGet = async (key?: string) =>
    (await t.http.get('/v1/audit-events/verify').set(t.auth(key)).expect(200)).body as Verification;
  const verifyPost = async (body: object, key?: string) =>
    (await t.http.post('/v1/audit-events/verify').set(t.auth(key)).send(body).expect(200))
      .body as Verification;
  const head = async (key?: string): Promise<Head> =>
    (await t.http.get('/v1/audit-events/head').set(t.auth(key)).expect(200)).body as Head;

  /** One organization's working day: uploads (CSV and JSON), a report made and downloaded, keys created and revoked. */
  async function session(key: string | undefined, seed: number): Promise<string> {
    const model = await t.http
      .post('/v1/models')
      .set(t.auth(key))
      .send({ name: `risk-${seed}`, version: '1.0', description: 'readmission', owner: 'ml team' })
      .expect(201);
    const audit = await t.http
      .post(`/v1/models/${model.body.id}/audits`)
      .set(t.auth(key))
      .field('config', CONFIG)
      .attach('file', Buffer.from(csv(90, seed)), { filename: 'p.csv', contentType: 'text/csv' })
      .expect(201);
    await t.http
      .post(`/v1/models/${model.body.id}/audits`)
      .set(t.auth(key))
      .send({
        config: JSON.parse(CONFIG),
        columns: {
          y_true: [1, 0, 1, 0, 1, 0],
          y_pred: [1, 0, 0, 1, 1, 0],
          score: [0.9, 0.1, 0.4, 0.6, 0.8, 0.2],
          race: ['White', 'White', 'Black', 'Black', 'Asian', 'Asian'],
          sex: ['F', 'M', 'F', 'M', 'F', 'M'],
        },
      })
      .expect(201);
    const report = await t.http
      .post(`/v1/audits/${audit.body.id}/reports`)
      .set(t.auth(key))
      .send({ title: `Report ${seed}` })
      .expect(201);
    await t.http.get(`/v1/reports/${report.body.id}/pdf`).set(t.auth(key)).expect(200);
    const viewer = await t.http
      .post('/v1/api-keys')
      .set(t.auth(key))
      .send({ name: 'temp', role: 'viewer' })
      .expect(201);
    await t.http.get('/v1/models').set(t.auth(viewer.body.key)).expect(200);
    await t.http.delete(`/v1/api-keys/${viewer.body.id}`).set(t.auth(key)).expect(204);
    await t.http.get('/v1/models').set(t.auth(viewer.body.key)).expect(401); // revoked: this org's chain
    return report.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http
      .post('/v1/organizations')
      .set(t.auth())
      .send({ name: 'Clinic B' })
      .expect(201);
    orgB = { id: created.body.id, adminKey: created.body.adminKey };
    // Interleaved, so one organization's events fall between the other's.
    reportId = await session(undefined, 1);
    await session(orgB.adminKey, 2);
    await t.http
      .get('/v1/models')
      .set(t.auth('fw_unknown_' + 'x'.repeat(43)))
      .expect(401);
    // Failed authentications are recorded as one summary event per client address and minute: write it now.
    await t.app.get(AuthFailureLimiter).flush();
    await t.http.post('/v1/models').set(t.auth()).send({ name: 'late', version: '2' }).expect(201);
    [{ organizationId: orgA }] = await t.dataSource.query(
      `SELECT organization_id AS "organizationId" FROM api_keys WHERE name = 'bootstrap admin (ADMIN_API_KEY)'`,
    );
  });
  afterAll(() => t.close());

  it('verifies both organizations after a realistic session, each with its own gap-free seq', async () => {
    for (const key of [undefined, orgB.adminKey]) {
      const list = await events(key);
      expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => String(list.length - i)));
      expect(list.map((e) => e.action)).toEqual(
        expect.arrayContaining([
          'model.created',
          'audit.submitted',
          'report.created',
          'report.downloaded',
          'api_key.created',
          'api_key.revoked',
          'auth.failed',
        ]),
      );
      // Each event follows the previous one of the same organization.
      for (let i = 0; i + 1 < list.length; i++) expect(list[i]!.prevHash).toBe(list[i + 1]!.hash);
      expect(list[list.length - 1]!.prevHash).toBe('0'.repeat(64));
      const result = await verifyGet(key);
      expect(result).toEqual({
        valid: true,
        eventsChecked: list.length,
        brokenAtSeq: null,
        reason: null,
        breaks: [],
        breaksTruncated: false,
      });
      expect(await verifyPost({ head: await head(key) }, key)).toMatchObject({
        valid: true,
        eventsChecked: list.length,
        headSignatureValid: true,
      });
    }
    const a = await events();
    const b = await events(orgB.adminKey);
    expect(a.map((e) => e.id).filter((id) => b.some((x) => x.id === id))).toEqual([]);
    // The unknown key's failure belongs to the default organization (A); organization.created too.
    // Failures are summarised per client address (and organization, when the key names one) and minute.
    const reasons = (list: typeof a) =>
      list
        .filter((e) => e.action === 'auth.failed')
        .flatMap((e) => Object.keys((e.details as { reasons: Record<string, number> }).reasons))
        .sort();
    expect(reasons(a)).toEqual(['revoked key', 'unknown key']);
    expect(reasons(b)).toEqual(['revoked key']);
    // jsonb gave details back with keys in another order than written: the canonical hash does not care.
    const [{ text }] = await t.dataSource.query(
      `SELECT details::text AS text FROM audit_events WHERE action = 'report.created' AND organization_id = $1`,
      [orgA],
    );
    expect(Object.keys(JSON.parse(text))).not.toEqual([
      'auditId',
      'sha256',
      'signingKeyId',
      'frameworks',
      'policyVersion',
      'trailHeadSeq',
    ]);
  });

  it('keeps each chain gap-free under parallel appends from two organizations', async () => {
    const creates = Array.from({ length: 12 }, (_, i) =>
      t.http
        .post('/v1/models')
        .set(t.auth(i % 2 ? orgB.adminKey : undefined))
        .send({ name: `parallel-${i}`, version: '1' })
        .then((r) => r.status),
    );
    expect(await Promise.all(creates)).toEqual(Array.from({ length: 12 }, () => 201));
    for (const key of [undefined, orgB.adminKey]) {
      const list = await events(key);
      expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => String(list.length - i)));
      expect(await verifyGet(key)).toMatchObject({ valid: true, eventsChecked: list.length });
    }
  });

  it('signs the head over organization, seq and hash with the published report key', async () => {
    const h = await head();
    const newest = (await events())[0]!;
    expect(h).toMatchObject({ seq: newest.seq, hash: newest.hash, organizationId: orgA });
    expect(h.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const key = (await t.http.get('/v1/reports/signing-key').set(t.auth()).expect(200)).body;
    expect(h.keyId).toBe(key.keyId);
    const message = `{"hash":"${h.hash}","organizationId":"${orgA}","purpose":"fairwatch.audit-trail.head.v1","seq":"${h.seq}"}`;
    const pub = createPublicKey(key.publicKeyPem as string);
    expect(verify(null, Buffer.from(message), pub, Buffer.from(h.signature, 'base64'))).toBe(true);
    const otherOrg = message.replace(orgA, orgB.id);
    expect(verify(null, Buffer.from(otherOrg), pub, Buffer.from(h.signature, 'base64'))).toBe(false);
  });

  it("writes the organization's signed head into each report's metadata and provenance", async () => {
    const report = (await t.http.get(`/v1/reports/${reportId}`).set(t.auth()).expect(200)).body;
    const list = await events();
    const created = list.find((e) => e.action === 'report.created' && e.details.auditId === report.auditId)!;
    // The head is the event just before 'report.created': the trail as it stood when the report was made.
    const before = list.find((e) => e.seq === String(BigInt(created.seq) - 1n))!;
    expect(report.trailHead).toMatchObject({ seq: before.seq, hash: before.hash });
    expect(created.details.trailHeadSeq).toBe(before.seq);
    const item = (report.content.methodology.provenance as { term: string; text: string }[]).find(
      (p) => p.term === 'Audit trail head',
    )!;
    expect(item.text).toContain(before.hash);
    expect(item.text).toContain(report.trailHead.signature);
    expect(await verifyPost({ head: report.trailHead })).toMatchObject({
      valid: true,
      headSignatureValid: true,
    });
    // The downloaded PDF prints the same head.
    const pdf = await t.http
      .get(`/v1/reports/${reportId}/pdf`)
      .set(t.auth())
      .buffer(true)
      .parse(binary)
      .expect(200);
    // All text, whitespace removed: wrapped long strings (hashes, signatures) join up.
    const text = (await pdfLines(pdf.body as Buffer)).text.replace(/\s+/g, '');
    expect(text).toContain('Audittrailhead');
    expect(text).toContain(before.hash);
    expect(text).toContain(report.trailHead.signature);
    expect(text).toContain(report.trailHead.keyId);
  });

  it('lets admins and compliance officers read head and verify, and nobody else', async () => {
    const officer = await t.createKey('compliance_officer');
    await t.http.get('/v1/audit-events/head').set(t.auth(officer.key)).expect(200);
    await t.http.get('/v1/audit-events/verify').set(t.auth(officer.key)).expect(200);
    await t.http.post('/v1/audit-events/verify').set(t.auth(officer.key)).send({}).expect(200);
    for (const role of ['viewer', 'data_scientist'] as const) {
      const { key } = await t.createKey(role);
      await t.http.get('/v1/audit-events/head').set(t.auth(key)).expect(403);
      await t.http.get('/v1/audit-events/verify').set(t.auth(key)).expect(403);
      await t.http.post('/v1/audit-events/verify').set(t.auth(key)).send({}).expect(403);
    }
    await t.http.get('/v1/audit-events/head').expect(401);
  });

  it('answers a malformed head with a 400 naming the field, and changes nothing', async () => {
    const h = await head();
    const count = async () =>
      (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n as number;
    const before = await count();
    const bad: [object, string][] = [
      [{ head: { ...h, seq: '007' } }, 'head.seq'],
      [{ head: { ...h, seq: '-1' } }, 'head.seq'],
      [{ head: { ...h, hash: 'abc' } }, 'head.hash'],
      [{ head: { ...h, signature: 'not base64!' } }, 'head.signature'],
      [{ head: { ...h, keyId: undefined } }, 'head.keyId'],
      [{ head: { ...h, extra: 1 } }, 'head.extra'],
      [{ head: 'x' }, 'head'],
    ];
    for (const [body, field] of bad) {
      const res = await t.http.post('/v1/audit-events/verify').set(t.auth()).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it("does not accept another organization's head", async () => {
    const theirs = await head(orgB.adminKey);
    const result = await verifyPost({ head: theirs });
    expect(result).toMatchObject({ valid: false, headSignatureValid: false, brokenAtSeq: theirs.seq });
    expect(result.breaks[0]?.reason).toMatch(/signature does not verify/);
  });

  it('finds an event edited in SQL, and every break when two are tampered, in that organization only', async () => {
    const [first, second] = (await events()).filter((e) => e.action === 'audit.submitted');
    const original: { details: string; created_at: string }[] = await t.dataSource.query(
      `SELECT details::text AS details, created_at::text AS created_at FROM audit_events
       WHERE organization_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq`,
      [orgA, [second!.seq, first!.seq]],
    );
    await t.dataSource.query(
      `UPDATE audit_events SET details = jsonb_set(details, '{rowCount}', '1') WHERE organization_id = $1 AND seq = $2`,
      [orgA, second!.seq],
    );
    expect(await verifyGet()).toMatchObject({
      valid: false,
      brokenAtSeq: second!.seq,
      reason: 'event content was altered',
      breaks: [{ seq: second!.seq, reason: 'event content was altered' }],
    });
    expect((await verifyGet(orgB.adminKey)).valid).toBe(true);

    // A second event moved by one microsecond: below JavaScript's millisecond, still caught.
    await t.dataSource.query(
      `UPDATE audit_events SET created_at = created_at + interval '1 microsecond' WHERE organization_id = $1 AND seq = $2`,
      [orgA, first!.seq],
    );
    expect((await verifyGet()).breaks).toEqual([
      { seq: second!.seq, reason: 'event content was altered' },
      { seq: first!.seq, reason: 'event content was altered' },
    ]);

    await t.dataSource.query(
      `UPDATE audit_events SET details = $3::jsonb, created_at = $4::timestamptz WHERE organization_id = $1 AND seq = $2`,
      [orgA, second!.seq, original[0]!.details, original[0]!.created_at],
    );
    await t.dataSource.query(
      `UPDATE audit_events SET created_at = $3::timestamptz WHERE organization_id = $1 AND seq = $2`,
      [orgA, first!.seq, original[1]!.created_at],
    );
    expect((await verifyGet()).valid).toBe(true);
  });

  it('reports details no JavaScript number can hold (1e400) as a break, not a 500', async () => {
    const target = (await events()).find((e) => e.action === 'model.created')!;
    const [{ details }] = await t.dataSource.query(
      'SELECT details::text AS details FROM audit_events WHERE organization_id = $1 AND seq = $2',
      [orgA, target.seq],
    );
    await t.dataSource.query(
      `UPDATE audit_events SET details = '{"n": 1e400}'::jsonb WHERE organization_id = $1 AND seq = $2`,
      [orgA, target.seq],
    );
    expect((await verifyGet()).breaks).toEqual([{ seq: target.seq, reason: 'event content was altered' }]);
    await t.dataSource.query(
      'UPDATE audit_events SET details = $3::jsonb WHERE organization_id = $1 AND seq = $2',
      [orgA, target.seq, details],
    );
    expect((await verifyGet()).valid).toBe(true);
  });

  it('catches deleted newest events against a head kept earlier', async () => {
    const kept = await head();
    const [row] = await t.dataSource.query(
      'SELECT * FROM audit_events WHERE organization_id = $1 AND seq = $2',
      [orgA, kept.seq],
    );
    await t.dataSource.query('DELETE FROM audit_events WHERE organization_id = $1 AND seq = $2', [
      orgA,
      kept.seq,
    ]);
    // Without the head the shorter chain is consistent: this is what heads are for.
    expect((await verifyGet()).valid).toBe(true);
    const result = await verifyPost({ head: kept });
    expect(result).toMatchObject({ valid: false, brokenAtSeq: kept.seq, headSignatureValid: true });
    expect(result.breaks).toEqual([
      {
        seq: kept.seq,
        reason: `the chain ends at event ${BigInt(kept.seq) - 1n} but the signed head names event ${kept.seq}: newer events were deleted`,
      },
    ]);
    const cols = Object.keys(row as object);
    await t.dataSource.query(
      `INSERT INTO audit_events (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(',')})`,
      cols.map((c) => {
        const v = (row as Record<string, unknown>)[c];
        return c === 'details' ? JSON.stringify(v) : v;
      }),
    );
    expect((await verifyPost({ head: kept })).valid).toBe(true);
  });

  it('catches a rewrite that recomputes every later hash against an earlier head, and a forged head', async () => {
    const kept = await head();
    const target = (await events()).find((e) => e.action === 'api_key.created')!;
    // The attacker edits one event and re-hashes it and every later one (they know the format).
    const rows: TrailEvent[] = await t.dataSource.query(
      `SELECT organization_id AS "organizationId", seq::text AS seq, id, actor_key_id AS "actorKeyId",
         actor_role AS "actorRole", action, object_type AS "objectType", object_id AS "objectId",
         request_id AS "requestId", outcome, details,
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
         prev_hash AS "prevHash", hash
       FROM audit_events WHERE organization_id = $1 AND seq >= $2 ORDER BY audit_events.seq`,
      [orgA, target.seq],
    );
    let prev = rows[0]!.prevHash;
    for (const r of rows) {
      const forged = { ...r, prevHash: prev };
      if (r.seq === target.seq) forged.details = { ...r.details, role: 'admin' };
      const hash = eventHash(forged);
      await t.dataSource.query(
        'UPDATE audit_events SET details = $3::jsonb, prev_hash = $4, hash = $5 WHERE organization_id = $1 AND seq = $2',
        [orgA, r.seq, JSON.stringify(forged.details), prev, hash],
      );
      prev = hash;
    }
    expect(await verifyGet()).toMatchObject({ valid: true }); // self-consistent
    const result = await verifyPost({ head: kept });
    expect(result).toMatchObject({ valid: false, headSignatureValid: true, brokenAtSeq: kept.seq });
    expect(result.breaks).toEqual([
      {
        seq: kept.seq,
        reason: 'event differs from the signed head: it was rewritten after the head was taken',
      },
    ]);

    // A head made up for the rewritten chain: random signature, or signed with a key of the attacker's own.
    const forged = { ...kept, hash: prev, signature: randomBytes(64).toString('base64') };
    const withForged = await verifyPost({ head: forged });
    expect(withForged).toMatchObject({ valid: false, headSignatureValid: false, brokenAtSeq: kept.seq });
    expect(withForged.breaks).toHaveLength(1);
    const own = generateKeyPairSync('ed25519');
    const message = `{"hash":"${prev}","organizationId":"${orgA}","purpose":"fairwatch.audit-trail.head.v1","seq":"${kept.seq}"}`;
    const ownKeyId = createHash('sha256')
      .update(own.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16);
    const selfSigned = {
      ...forged,
      keyId: ownKeyId,
      signature: sign(null, Buffer.from(message), own.privateKey).toString('base64'),
    };
    expect(await verifyPost({ head: selfSigned })).toMatchObject({ valid: false, headSignatureValid: false });
  });
});
