import { startTestApp, type TestApp } from './support/test-app';

describe('foundation (real AppModule over HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports the database', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves a valid OpenAPI 3 document where every operation has an operationId and responses', async () => {
    const res = await t.http.get('/openapi.json').expect(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ path, m, op })),
    );
    expect(ops.length).toBeGreaterThan(5);
    const ids = ops.map(({ op }) => op.operationId);
    for (const { path, m, op } of ops) {
      expect([path, m, typeof op.operationId]).toEqual([path, m, 'string']);
      expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });

  it('answers a malformed JSON body with a 400 problem+json, not a 500', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .set('Content-Type', 'application/json')
      .send('{"name": "x",')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Invalid input' });
    expect(res.body.detail).toMatch(/JSON/);
  });

  it('answers an unknown field with a 400 naming it', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'x', role: 'viewer', evil: 1 })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'evil', message: 'property evil should not exist' }]);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/v1/nothing-here').set(t.auth()).expect(404);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('pages through rows created within the same millisecond without skipping any', async () => {
    // created_at has microseconds; a cursor holding only milliseconds would skip the rows between the two.
    for (const [name, at] of [
      ['same-ms-1', '2024-01-01T00:00:00.000100Z'],
      ['same-ms-2', '2024-01-01T00:00:00.000200Z'],
      ['same-ms-3', '2024-01-01T00:00:00.000300Z'],
    ]) {
      await t.http.post('/v1/models').set(t.auth()).send({ name, version: '1' }).expect(201);
      await t.dataSource.query('UPDATE models SET created_at = $2 WHERE name = $1', [name, at]);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await t.http.get(`/v1/models?limit=1${query}`).set(t.auth()).expect(200);
      seen.push(...(res.body.items as { name: string }[]).map((m) => m.name));
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null && seen.length < 10);
    expect(seen.filter((n) => n.startsWith('same-ms-'))).toEqual(['same-ms-3', 'same-ms-2', 'same-ms-1']);
  });

  it('answers a cursor it did not issue with a 400 problem, not a 500', async () => {
    const cursor = (s: string) => Buffer.from(s).toString('base64url');
    for (const url of [
      `/v1/models?cursor=${cursor(`2024-01-01T00:00:00.000Z|${'-'.repeat(36)}`)}`,
      `/v1/models?cursor=${cursor('2024-02-30T00:00:00.000Z|00000000-0000-4000-8000-000000000000')}`,
      `/v1/models?cursor=${cursor('March 7|00000000-0000-4000-8000-000000000000')}`,
      '/v1/audit-events?cursor=9999999999999999999',
    ]) {
      const res = await t.http.get(url).set(t.auth());
      expect([url, res.status, res.headers['content-type']]).toEqual([
        url,
        400,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(res.body.errors).toEqual([{ field: 'cursor', message: 'invalid cursor' }]);
    }
  });

  it('sets security headers and a request id', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'trace-abc-123').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
