import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

describe('organizations, keys, roles and the audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a new key once, stores only its hash, and lists keys without secrets', async () => {
    const created = await t.createKey('data_scientist', 'pipeline');
    const key = created.key;
    expect(key).toMatch(/^fw_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(created.prefix)).toBe(true);

    const list = await t.http.get('/v1/api-keys').set(t.auth()).expect(200);
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain(key);
    expect(listed).toContain(created.prefix);

    const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM api_keys'));
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(12)); // the secret part
    expect(stored).not.toContain(ADMIN_KEY);

    await t.http.get('/v1/models').set(t.auth(key)).expect(200);
  });

  it('stops a revoked key at once', async () => {
    const body = await t.createKey('viewer', 'short-lived');
    await t.http.get('/v1/models').set(t.auth(body.key)).expect(200);
    await t.http.delete(`/v1/api-keys/${body.id}`).set(t.auth()).expect(204);
    const res = await t.http.get('/v1/models').set(t.auth(body.key)).expect(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it("keeps organizations apart: another organization's model answers 404", async () => {
    const org = await t.http
      .post('/v1/organizations')
      .set(t.auth())
      .send({ name: 'Other Hospital' })
      .expect(201);
    const otherAdmin = org.body.adminKey as string;
    const model = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'sepsis-alert', version: '1' })
      .expect(201);

    await t.http.get(`/v1/models/${model.body.id}`).set(t.auth(otherAdmin)).expect(404);
    const theirs = await t.http.get('/v1/models').set(t.auth(otherAdmin)).expect(200);
    expect(theirs.body.items).toEqual([]);
    // The same name@version is free in the other organization, and taken in ours.
    await t.http
      .post('/v1/models')
      .set(t.auth(otherAdmin))
      .send({ name: 'sepsis-alert', version: '1' })
      .expect(201);
    await t.http.post('/v1/models').set(t.auth()).send({ name: 'sepsis-alert', version: '1' }).expect(409);
    // An admin of a non-default organization cannot create organizations.
    await t.http.post('/v1/organizations').set(t.auth(otherAdmin)).send({ name: 'Third' }).expect(403);
  });

  it('answers concurrent duplicate creates with one 201 and 409s, never a 500', async () => {
    const statuses = async (send: () => Promise<{ status: number }>) =>
      (await Promise.all([send(), send(), send(), send()])).map((r) => r.status).sort();
    expect(
      await statuses(() =>
        t.http
          .post('/v1/models')
          .set(t.auth())
          .send({ name: 'raced', version: '1' })
          .then((r) => r),
      ),
    ).toEqual([201, 409, 409, 409]);
    expect(
      await statuses(() =>
        t.http
          .post('/v1/organizations')
          .set(t.auth())
          .send({ name: 'Raced Org' })
          .then((r) => r),
      ),
    ).toEqual([201, 409, 409, 409]);
  });

  it('records key changes and failed authentications in a verifiable chain', async () => {
    await t.http
      .get('/v1/models')
      .set(t.auth('fw_nothing_' + 'x'.repeat(43)))
      .expect(401);
    const events = await t.http.get('/v1/audit-events?limit=200').set(t.auth()).expect(200);
    const actions = (events.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['api_key.created', 'api_key.revoked', 'organization.created', 'model.created']),
    );
    const verification = await t.http.get('/v1/audit-events/verify').set(t.auth()).expect(200);
    expect(verification.body).toMatchObject({ valid: true, brokenAtSeq: null, breaks: [] });
    // Tampering is covered in audit-trail.e2e-spec.ts.
    expect(verification.body.eventsChecked).toBeGreaterThanOrEqual(actions.length);
  });

  it('forbids the audit trail to viewers and data scientists', async () => {
    for (const role of ['viewer', 'data_scientist'] as const) {
      const { key } = await t.createKey(role);
      await t.http.get('/v1/audit-events').set(t.auth(key)).expect(403);
    }
  });
});

describe('rate limiting per key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json past the limit, counting each key separately', async () => {
    const other = (await t.createKey('viewer', 'other')).key;
    // The admin key has used 1 of its 5 requests; 4 more pass, the 6th is refused.
    for (let i = 0; i < 4; i++) await t.http.get('/v1/models').set(t.auth()).expect(200);
    const limited = await t.http.get('/v1/models').set(t.auth()).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests' });
    await t.http.get('/v1/models').set(t.auth(other)).expect(200);
  });
});
