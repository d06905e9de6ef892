import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');

/** Type-checks one file that imports the generated client, as an integration's code would; returns tsc's messages. */
function typecheck(code: string): string[] {
  const dir = mkdtempSync(join(ROOT, 'test', '.client-types-'));
  try {
    const file = join(dir, 'integration.ts');
    writeFileSync(file, code);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PRELUDE = `
import createClient from 'openapi-fetch';
import type { paths } from '../../src/client/schema';
const fw = createClient<paths>({ baseUrl: 'http://localhost:3000' });
export async function submit(modelId: string) {
`;

describe('the generated client (src/client/schema.d.ts)', () => {
  it('accepts a JSON upload whose config has only sensitiveAttributes (the server fills in the defaults)', () => {
    const messages = typecheck(`${PRELUDE}
      return fw.POST('/v1/models/{modelId}/audits', {
        params: { path: { modelId } },
        body: { config: { sensitiveAttributes: ['race'] }, records: [{ y_true: 1, y_pred: 0, race: 'A' }] },
      });
    }`);
    expect(messages).toEqual([]);
  }, 120_000);

  it('still requires sensitiveAttributes and still checks the types of the optional fields', () => {
    const messages = typecheck(`${PRELUDE}
      await fw.POST('/v1/models/{modelId}/audits', {
        params: { path: { modelId } },
        body: { config: { threshold: 0.3 }, records: [] },
      });
      await fw.POST('/v1/models/{modelId}/audits', {
        params: { path: { modelId } },
        body: { config: { sensitiveAttributes: ['race'], missingAttribute: 'impute' }, records: [] },
      });
    }`);
    expect(messages).toHaveLength(2);
    expect(messages.join('\n')).toMatch(/sensitiveAttributes/);
    expect(messages.join('\n')).toMatch(/"impute"/);
  }, 120_000);
});
