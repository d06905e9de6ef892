import { ROLES, type Role } from '../src/common/request-context';
import { startTestApp, type TestApp } from './support/test-app';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  roles: Role[] | 'public';
}

interface Fixture {
  modelId: string;
  auditId: string;
  secondAuditId: string;
  reportId: string;
  pdf: Buffer;
}

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  raw?: { type: string; bytes: Buffer };
}

let counter = 0;
const unique = (p: string) => `${p}-${++counter}`;
const records = Array.from({ length: 80 }, (_, i) => ({
  y_true: i % 2,
  y_pred: (i >> 1) % 2,
  score: (i % 10) / 10,
  g: i % 4 === 0 ? 'a' : 'b',
}));

/**
 * How to make a valid call of each operation. A route added without an entry here fails the matrix below,
 * so every new route is checked for 401 / 403 / 404 / 2xx as soon as it exists.
 */
const CALLS: Record<string, (f: Fixture, t: TestApp) => Promise<Call> | Call> = {
  getHealth: () => ({}),
  createApiKey: () => ({ body: { name: unique('k'), role: 'viewer' } }),
  listApiKeys: () => ({}),
  revokeApiKey: async (_f, t) => ({ params: { keyId: (await t.createKey('viewer', unique('victim'))).id } }),
  createOrganization: () => ({ body: { name: unique('org') } }),
  listAuditEvents: () => ({}),
  verifyAuditTrail: () => ({}),
  getAuditTrailHead: () => ({}),
  verifyAuditTrailWithHead: () => ({ body: {} }),
  createModel: () => ({ body: { name: unique('model'), version: '1' } }),
  listModels: () => ({}),
  getModel: (f) => ({ params: { modelId: f.modelId } }),
  updateModel: (f) => ({ params: { modelId: f.modelId }, body: { description: 'updated' } }),
  submitAudit: (f) => ({
    params: { modelId: f.modelId },
    body: { config: { sensitiveAttributes: ['g'] }, records },
  }),
  listModelAudits: (f) => ({ params: { modelId: f.modelId } }),
  getAudit: (f) => ({ params: { auditId: f.auditId } }),
  updateAudit: (f) => ({ params: { auditId: f.auditId }, body: { notes: 'checked' } }),
  getAuditMetrics: (f) => ({ params: { auditId: f.auditId } }),
  setBaseline: (f) => ({ params: { modelId: f.modelId }, body: { auditId: f.auditId } }),
  clearBaseline: (f) => ({ params: { modelId: f.modelId } }),
  getDriftPolicy: (f) => ({ params: { modelId: f.modelId } }),
  setDriftPolicy: (f) => ({ params: { modelId: f.modelId }, body: { psiWarning: 0.1, psiAlert: 0.3 } }),
  getPrivacyBudget: (f) => ({ params: { modelId: f.modelId } }),
  setPrivacyBudget: (f) => ({ params: { modelId: f.modelId }, body: { epsilon: 1000 } }),
  getDrift: (f) => ({ params: { auditId: f.secondAuditId } }),
  getTimeline: (f) => ({
    params: { modelId: f.modelId },
    query: { metric: 'selection_rate', attribute: 'g' },
  }),
  listFrameworks: () => ({}),
  listFrameworkControls: () => ({ params: { frameworkId: 'nyc-ll144' } }),
  evaluateAuditControls: (f) => ({ params: { auditId: f.auditId } }),
  getCalibration: (f) => ({ params: { auditId: f.auditId } }),
  getThresholds: (f) => ({ params: { auditId: f.auditId }, query: { thresholds: '0.3,0.6' } }),
  getPolicy: () => ({}),
  updatePolicy: () => ({ body: { thresholds: { irMin: 0.8 } } }),
  listPolicyVersions: () => ({}),
  getPolicyVersion: () => ({ params: { version: '1' } }),
  createReport: (f) => ({ params: { auditId: f.auditId }, body: {} }),
  listAuditReports: (f) => ({ params: { auditId: f.auditId } }),
  getSigningKey: () => ({}),
  verifyReport: (f) => ({ raw: { type: 'application/pdf', bytes: f.pdf } }),
  getReport: (f) => ({ params: { reportId: f.reportId } }),
  downloadReportPdf: (f) => ({ params: { reportId: f.reportId } }),
  exportHti1: (f) => ({ params: { modelId: f.modelId } }),
  exportChaiModelCard: (f) => ({ params: { modelId: f.modelId } }),
  getMe: () => ({}),
};

/** Path parameters that name an object of an organization: another organization's key must get 404. */
const OWNED_PARAMS = new Set(['modelId', 'auditId', 'reportId', 'keyId']);

describe('authorization matrix (every route in the OpenAPI document)', () => {
  let t: TestApp;
  let ops: Operation[];
  let f: Fixture;
  const keys: Partial<Record<Role | 'otherOrg' | 'revoked', string>> = {};

  async function send(op: Operation, key: string | null, call: Call) {
    const url = op.path.replace(
      /\{(\w+)\}/g,
      (_, name: string) => call.params?.[name] ?? '00000000-0000-4000-8000-000000000000',
    );
    let req = t.http[op.method](url);
    if (key !== null) req = req.set(t.auth(key));
    if (call.query) req = req.query(call.query);
    if (call.raw) return req.set('Content-Type', call.raw.type).send(call.raw.bytes);
    return call.body === undefined ? req : req.send(call.body as object);
  }

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http.get('/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { operationId: string; 'x-roles'?: Role[]; 'x-public'?: boolean }>
      >;
    };
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method as Operation['method'],
        path,
        operationId: op.operationId,
        roles: op['x-public'] ? ('public' as const) : (op['x-roles'] ?? []),
      })),
    );
    for (const role of ROLES) keys[role] = (await t.createKey(role)).key;
    const revoked = await t.createKey('admin', 'gone');
    await t.http.delete(`/v1/api-keys/${revoked.id}`).set(t.auth()).expect(204);
    keys.revoked = revoked.key;
    keys.otherOrg = (
      await t.http.post('/v1/organizations').set(t.auth()).send({ name: 'Elsewhere' }).expect(201)
    ).body.adminKey;

    const model = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'matrix', version: '1' }).expect(201)
    ).body;
    const submit = () =>
      t.http
        .post(`/v1/models/${model.id}/audits`)
        .set(t.auth())
        .send({ config: { sensitiveAttributes: ['g'] }, records })
        .expect(201);
    const first = (await submit()).body;
    const second = (await submit()).body;
    await t.http
      .put('/v1/policy')
      .set(t.auth())
      .send({ thresholds: { irMin: 0.8 } })
      .expect(200);
    const report = (await t.http.post(`/v1/audits/${first.id}/reports`).set(t.auth()).send({}).expect(201))
      .body;
    const pdf = await t.http
      .get(`/v1/reports/${report.id}/pdf`)
      .set(t.auth())
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    f = {
      modelId: model.id,
      auditId: first.id,
      secondAuditId: second.id,
      reportId: report.id,
      pdf: pdf.body as Buffer,
    };
  });
  afterAll(() => t.close());

  it('declares roles (or public) on every route and has a call for each', () => {
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) {
      expect([op.operationId, op.roles === 'public' || op.roles.length > 0]).toEqual([op.operationId, true]);
      expect([op.operationId, op.operationId in CALLS]).toEqual([op.operationId, true]);
    }
  });

  it('answers 401 without a key, with an unknown key and with a revoked key', async () => {
    for (const op of ops.filter((o) => o.roles !== 'public')) {
      const call = await CALLS[op.operationId]!(f, t);
      for (const key of [null, 'fw_unknown0_' + 'A'.repeat(43), keys.revoked!]) {
        const res = await send(op, key, call);
        expect([op.operationId, res.status, res.headers['content-type']]).toEqual([
          op.operationId,
          401,
          expect.stringMatching(/problem\+json/),
        ]);
      }
    }
  });

  it('answers 403 to each role a route does not allow and 2xx to each role it does', async () => {
    for (const op of ops.filter((o) => o.roles !== 'public')) {
      for (const role of ROLES) {
        const res = await send(op, keys[role]!, await CALLS[op.operationId]!(f, t));
        const allowed = (op.roles as Role[]).includes(role);
        const outcome = allowed
          ? res.status >= 200 && res.status < 300
            ? '2xx'
            : `${res.status} ${JSON.stringify(res.body)}`
          : res.status;
        expect([op.operationId, role, outcome]).toEqual([op.operationId, role, allowed ? '2xx' : 403]);
      }
    }
  });

  it("answers 404 to another organization's key for every object of this one", async () => {
    const owned = ops.filter(
      (o) => o.roles !== 'public' && [...o.path.matchAll(/\{(\w+)\}/g)].some((m) => OWNED_PARAMS.has(m[1]!)),
    );
    expect(owned.length).toBeGreaterThan(15);
    for (const op of owned) {
      const res = await send(op, keys.otherOrg!, await CALLS[op.operationId]!(f, t));
      expect([op.operationId, res.status]).toEqual([op.operationId, 404]);
    }
  });
});
