/**
 * Integrations: the committed OpenAPI document is the served one, it is complete enough to generate a client
 * from, and that generated client (src/client: openapi-typescript types + openapi-fetch) runs a whole flow
 * against a real listening server on PostgreSQL: model → audit → metrics → drift → controls → report → verify.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  createFairwatchClient,
  downloadReportPdf,
  FairwatchApiError,
  findOrCreateModel,
  submitAuditCsv,
  submitAuditRecords,
  unwrap,
  verifyReportPdf,
  binaryMetrics,
  type Audit,
  type AuditConfigInput,
  type FairwatchClient,
  type GroupResult,
  type Metrics,
  type Model,
  type Report,
} from '../src/client';
import { serializeOpenApiDocument } from '../src/openapi/openapi-document';
import { version as packageVersion } from '../package.json';
import { COMPAS_CSV } from './support/datasets';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const COMPAS = COMPAS_CSV;

/** compas-reference.md's mapping and reference groups. */
const COMPAS_CONFIG: AuditConfigInput = {
  sensitiveAttributes: ['race', 'sex', 'age_cat'],
  labelColumn: 'label_value',
  predictionColumn: 'score',
  reference: { strategy: 'explicit', groups: { race: 'Caucasian', sex: 'Male', age_cat: '25 - 45' } },
};

function group(metrics: Metrics, attribute: string, value: string): GroupResult {
  const slice = metrics.slices.find((s) => s.attributes.length === 1 && s.attributes[0] === attribute);
  const found = slice?.groups.find((g) => g.key[attribute] === value);
  if (!found) throw new Error(`no group ${attribute}=${value}`);
  return found;
}

describe('integrations: OpenAPI document and the generated client', () => {
  let t: TestApp;
  let baseUrl: string;
  let fw: FairwatchClient;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    fw = createFairwatchClient(baseUrl, ADMIN_KEY);
  });
  afterAll(() => t.close());

  describe('the OpenAPI document', () => {
    let served: OpenAPIObject;

    beforeAll(async () => {
      const res = await fetch(`${baseUrl}/openapi.json`);
      expect(res.status).toBe(200);
      served = (await res.json()) as OpenAPIObject;
    });

    it('is committed as openapi.json exactly as served (run `npm run openapi:generate` after changing a route)', () => {
      expect(t.database).toBe(process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite');
      // The test app reports version "test"; the committed document carries package.json's version.
      expect(served.info.version).toBe('test');
      const normalized = serializeOpenApiDocument({
        ...served,
        info: { ...served.info, version: packageVersion },
      });
      const committed = readFileSync(resolve(ROOT, 'openapi.json'), 'utf8');
      expect(normalized).toBe(committed);
    });

    it('gives every operation a unique operationId, a summary, a description, an example, a typed success response and described problem errors', () => {
      const problems: string[] = [];
      const ids = new Set<string>();
      let operations = 0;
      for (const [path, item] of Object.entries(served.paths)) {
        for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
          operations++;
          const where = `${method.toUpperCase()} ${path}`;
          const id = op.operationId as string | undefined;
          if (!id) problems.push(`${where}: no operationId`);
          else if (ids.has(id)) problems.push(`${where}: duplicate operationId ${id}`);
          else ids.add(id);
          if (!op.summary) problems.push(`${where}: no summary`);
          if (!op.description) problems.push(`${where}: no description`);
          const params = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean }>;
          for (const p of params)
            if (p.in === 'header' && p.required)
              problems.push(`${where}: required header parameter ${p.name}`);
          const responses = op.responses as Record<
            string,
            { content?: Record<string, { schema?: unknown }> }
          >;
          const success = Object.keys(responses).filter((code) => code.startsWith('2'));
          if (success.length === 0) problems.push(`${where}: no success response`);
          for (const code of success)
            if (code !== '204' && !responses[code]?.content)
              problems.push(`${where}: ${code} has no content`);
          const bodies = [
            ...Object.entries(
              (op.requestBody as { content?: Record<string, object> } | undefined)?.content ?? {},
            ),
            ...success.flatMap((code) => Object.entries(responses[code]?.content ?? {})),
          ].filter(([mediaType]) => mediaType === 'application/json');
          if (bodies.length > 0 && !bodies.some(([, media]) => 'example' in media || 'examples' in media))
            problems.push(`${where}: no example of its JSON request or response`);
          for (const [code, response] of Object.entries(responses)) {
            if (!(response as { description?: string }).description)
              problems.push(`${where}: ${code} has an empty description`);
            if (code.startsWith('2')) continue;
            for (const [mediaType, media] of Object.entries(response.content ?? {})) {
              const ref = (media.schema as { $ref?: string } | undefined)?.$ref;
              if (
                !/^application\/(problem\+)?json$/.test(mediaType) ||
                ref !== '#/components/schemas/ProblemDto'
              )
                problems.push(`${where}: ${code} is ${mediaType} ${ref ?? 'inline'}, not a JSON ProblemDto`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
      // The contract's routes are all there (api-contract.md), by operation.
      expect(operations).toBeGreaterThanOrEqual(30);
      for (const id of [
        'createModel',
        'listModels',
        'getModel',
        'setBaseline',
        'submitAudit',
        'getAudit',
        'listModelAudits',
        'getAuditMetrics',
        'getDrift',
        'getTimeline',
        'listFrameworks',
        'listFrameworkControls',
        'evaluateAuditControls',
        'createReport',
        'getReport',
        'downloadReportPdf',
        'verifyReport',
        'createApiKey',
        'listApiKeys',
        'revokeApiKey',
        'createOrganization',
        'listAuditEvents',
      ])
        expect(ids).toContain(id);
    });
  });

  describe('a complete flow through the typed client (COMPAS)', () => {
    let model: Model;
    let audit: Audit;
    let metrics: Metrics;
    const progress: Array<[number, number]> = [];

    beforeAll(async () => {
      ({ model } = await findOrCreateModel(fw, 'compas-recidivism', '1.0.0'));
      audit = await submitAuditCsv(fw, {
        modelId: model.id,
        file: COMPAS,
        config: COMPAS_CONFIG,
        onProgress: (read, total) => progress.push([read, total]),
      });
      const taskMetrics = binaryMetrics(
        unwrap(await fw.GET('/v1/audits/{auditId}/metrics', { params: { path: { auditId: audit.id } } })),
      );
      if (taskMetrics === null) throw new Error('COMPAS is a binary audit');
      metrics = taskMetrics;
    });

    it('creates the model once and finds it the second time', async () => {
      expect(model).toMatchObject({ name: 'compas-recidivism', version: '1.0.0', baselineAuditId: null });
      const again = await findOrCreateModel(fw, 'compas-recidivism', '1.0.0');
      expect(again).toEqual({ model, created: false });
    });

    it('streams the CSV, reporting bytes read up to the file size', () => {
      const size = statSync(COMPAS).size;
      expect(progress[0]).toEqual([0, size]);
      expect(progress[progress.length - 1]).toEqual([size, size]);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
      expect(audit.rowCount).toBe(7214);
      expect(audit.config.sensitiveAttributes).toEqual(['race', 'sex', 'age_cat']);
      expect(audit.columnsUsed).toMatchObject({ label: 'label_value', prediction: 'score' });
    });

    it("reads Aequitas's published COMPAS numbers back through the typed metrics", () => {
      // datasets/compas-reference.md
      expect(metrics.overall.count).toBe(7214);
      expect(metrics.overall.metrics.false_positive_rate?.value).toBeCloseTo(0.3235, 4);
      const aa = group(metrics, 'race', 'African-American');
      expect(aa.count).toBe(3696);
      expect(aa.metrics.false_positive_rate?.value).toBeCloseTo(0.4485, 4);
      expect(aa.metrics.selection_rate?.value).toBeCloseTo(0.5882, 4);
      expect(aa.disparities.false_positive_rate?.ratio).toBeCloseTo(1.912, 3);
      expect(aa.disparities.selection_rate?.ratio).toBeCloseTo(1.69, 3);
      expect(group(metrics, 'race', 'Caucasian').flags).toContain('reference');
      expect(group(metrics, 'age_cat', 'Less than 25').disparities.false_positive_rate?.ratio).toBeCloseTo(
        1.622,
        3,
      );
      const race = metrics.slices.find((s) => s.attributes.join() === 'race');
      expect(race?.summary.demographic_parity_difference).toBeCloseTo(0.4571, 4);
      expect(race?.summary.equalized_odds_difference).toBeCloseTo(0.5767, 4);
    });

    it('compares a second audit (JSON records) with the pinned baseline', async () => {
      unwrap(
        await fw.PUT('/v1/models/{modelId}/baseline', {
          params: { path: { modelId: model.id } },
          body: { auditId: audit.id },
        }),
      );
      // The same people, sent as JSON records: nothing drifts.
      const [header, ...lines] = readFileSync(COMPAS, 'utf8').trimEnd().split(/\r?\n/);
      const names = (header ?? '').split(',');
      const records = lines.map((line) => {
        const cells = line.split(',');
        return {
          score: Number(cells[names.indexOf('score')]),
          label_value: Number(cells[names.indexOf('label_value')]),
          race: cells[names.indexOf('race')] ?? '',
          sex: cells[names.indexOf('sex')] ?? '',
          age_cat: cells[names.indexOf('age_cat')] ?? '',
        };
      });
      const second = await submitAuditRecords(fw, model.id, COMPAS_CONFIG, records);
      expect(second.rowCount).toBe(7214);
      const drift = unwrap(
        await fw.GET('/v1/audits/{auditId}/drift', { params: { path: { auditId: second.id } } }),
      );
      expect(drift).toMatchObject({
        auditId: second.id,
        baselineAuditId: audit.id,
        baselineSource: 'pinned',
      });
      expect(drift.status).toBe('ok');
      expect(drift.checks.length).toBeGreaterThan(0);
      const population = drift.checks.filter((c) => c.kind === 'population' && c.statistic === 'psi');
      expect(population.length).toBeGreaterThan(0);
      for (const c of population) expect(c.value).toBeCloseTo(0, 12);

      const audits = unwrap(
        await fw.GET('/v1/models/{modelId}/audits', { params: { path: { modelId: model.id } } }),
      );
      expect(audits.items.map((a) => a.id)).toEqual([second.id, audit.id]);
    });

    describe('controls, report and verification', () => {
      let report: Report;
      let pdf: Uint8Array;

      beforeAll(async () => {
        report = unwrap(
          await fw.POST('/v1/audits/{auditId}/reports', {
            params: { path: { auditId: audit.id } },
            body: { frameworks: ['eeoc-ugesp', 'nyc-ll144'], title: 'COMPAS through the typed client' },
          }),
        );
        pdf = await downloadReportPdf(fw, report.id);
      });

      it('evaluates the chosen frameworks: the four-fifths rule fails for positive = high risk', async () => {
        const outcomes = unwrap(
          await fw.GET('/v1/audits/{auditId}/controls', {
            params: { path: { auditId: audit.id }, query: { frameworks: 'eeoc-ugesp' } },
          }),
        );
        expect(new Set(outcomes.map((o) => o.framework))).toEqual(new Set(['eeoc-ugesp']));
        const fourFifths = outcomes.find((o) => o.controlId === '29 CFR 1607.4(D)');
        expect(fourFifths?.status).toBe('fail');
        // Favourable = predicted 1 here: Other's .2095 over the highest rate, Native American's .6667
        // (compas-reference.md, pprev).
        const other = fourFifths?.evidence.find((e) => e.group?.race === 'Other');
        expect(other?.value).toBeCloseTo(0.2095 / 0.6667, 3);
      });

      it('makes a signed report whose downloaded PDF verifies, and a changed byte does not', async () => {
        expect(report).toMatchObject({
          auditId: audit.id,
          title: 'COMPAS through the typed client',
          frameworks: ['eeoc-ugesp', 'nyc-ll144'],
          verdict: 'fail',
        });
        expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
        expect(createHash('sha256').update(pdf).digest('hex')).toBe(report.sha256);
        const valid = await verifyReportPdf(fw, pdf);
        expect(valid).toMatchObject({ valid: true, reportId: report.id, sha256: report.sha256 });

        const tampered = Uint8Array.from(pdf);
        const at = Math.floor(tampered.length / 2);
        tampered[at] = tampered[at]! ^ 0x01;
        const invalid = await verifyReportPdf(fw, tampered);
        expect(invalid.valid).toBe(false);
        expect(invalid.reportId).toBeUndefined();
        expect(invalid.sha256).not.toBe(report.sha256);
      });
    });

    it('turns a problem document into a FairwatchApiError with status and detail', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const result = await fw.GET('/v1/models/{modelId}', { params: { path: { modelId: missing } } });
      expect(result.response.status).toBe(404);
      expect(() => unwrap(result)).toThrow(FairwatchApiError);
      try {
        unwrap(result);
      } catch (e) {
        expect((e as FairwatchApiError).status).toBe(404);
        expect((e as FairwatchApiError).problem?.title).toBe('Not found');
      }
      const bad = await submitAuditCsv(fw, {
        modelId: model.id,
        file: COMPAS,
        config: {
          sensitiveAttributes: ['no_such_column'],
          labelColumn: 'label_value',
          predictionColumn: 'score',
        },
      }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(FairwatchApiError);
      expect((bad as FairwatchApiError).status).toBe(400);
      expect((bad as FairwatchApiError).message).toContain('no_such_column');
    });
  });
});
