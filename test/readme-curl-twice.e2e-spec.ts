/**
 * README.md's curl example must run twice in a row (get-or-create: a second POST /v1/models of the same name and
 * version answers 409, so the example looks the model up first). The block is taken from the README as written
 * and run with bash against a real listening server, on a small CSV written here whose false positive rates are
 * known by construction (so the test needs no outside data file).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const README = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
const CURL = /<!-- example: curl -->\n```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? '';

/** race → [negatives, false positives, positives (all predicted 1)]: FPR = false positives / negatives. */
const GROUPS: Record<string, [number, number, number]> = {
  'African-American': [30, 6, 20], // 6/30 = 0.2
  Caucasian: [20, 5, 10], // 5/20 = 0.25
  Hispanic: [14, 1, 5], // 1/14 = 0.071428… → 0.0714
};

function csv(): string {
  const lines = ['entity_id,score,label_value,race,sex,age_cat'];
  let id = 0;
  for (const [race, [negatives, falsePositives, positives]] of Object.entries(GROUPS)) {
    for (let i = 0; i < negatives; i++)
      lines.push(`${++id},${i < falsePositives ? 1 : 0},0,${race},${i % 2 ? 'Male' : 'Female'},25 - 45`);
    for (let i = 0; i < positives; i++)
      lines.push(`${++id},1,1,${race},${i % 2 ? 'Male' : 'Female'},25 - 45`);
  }
  return `${lines.join('\n')}\n`;
}

describe("README's curl example, twice in a row", () => {
  let t: TestApp;
  let dir: string;
  let env: Record<string, string>;

  const bash = (code: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((done, reject) => {
      const child = spawn('bash', ['-eo', 'pipefail', '-c', code], { cwd: dir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exit) => done({ code: exit, stdout, stderr }));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-curl-'));
    writeFileSync(join(dir, 'compas_for_aequitas.csv'), csv());
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      FAIRWATCH_URL: `http://127.0.0.1:${port}`,
      FAIRWATCH_API_KEY: ADMIN_KEY,
    };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the example, which creates the model only when it is missing', () => {
    expect(CURL).toContain('select(.name == "compas" and .version == "1.0.0")');
    expect(CURL).toContain('if [ -z "$model_id" ]; then');
  });

  it('prints the same false positive rates both times and leaves one model with two audits', async () => {
    const expected = Object.entries(GROUPS)
      .map(
        ([race, [negatives, fp]]) =>
          `${race}\t${negatives + GROUPS[race]![2]}\t${Math.round((fp / negatives) * 1e4) / 1e4}`,
      )
      .sort();
    expect(expected).toEqual(['African-American\t50\t0.2', 'Caucasian\t30\t0.25', 'Hispanic\t19\t0.0714']);
    for (const round of [1, 2]) {
      const r = await bash(CURL);
      if (r.code !== 0) throw new Error(`run ${round}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      expect(r.stdout.trim().split('\n').sort()).toEqual(expected);
    }
    const models = (await t.http.get('/v1/models').set(t.auth()).expect(200)).body as {
      items: Array<{ id: string; name: string; version: string }>;
    };
    const compas = models.items.filter((m) => m.name === 'compas' && m.version === '1.0.0');
    expect(compas).toHaveLength(1);
    const audits = (await t.http.get(`/v1/models/${compas[0]!.id}/audits`).set(t.auth()).expect(200))
      .body as {
      items: unknown[];
    };
    expect(audits.items).toHaveLength(2);
  });

  it('the create step alone would fail the second time: the API answers 409', async () => {
    const again = await t.http.post('/v1/models').set(t.auth()).send({ name: 'compas', version: '1.0.0' });
    expect(again.status).toBe(409);
  });
});
