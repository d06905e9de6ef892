import { exampleFromSchema } from './complete-document';

describe('exampleFromSchema', () => {
  const schemas = {
    Group: {
      type: 'object',
      required: ['key', 'count'],
      properties: {
        key: { type: 'object', additionalProperties: { type: 'string' }, example: { race: 'Black' } },
        count: { type: 'number' },
        status: { type: 'string', enum: ['ok', 'warning', 'alert'] },
        note: { type: 'string' },
        id: { type: 'string', format: 'uuid' },
        threshold: { type: 'number', default: 0.25 },
        label: { type: 'string', default: 'y_true (if present)' },
      },
    },
    Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } },
  };

  it('uses examples, enums and non-text defaults, whole numbers for counts, and leaves out bare optional text', () => {
    expect(
      exampleFromSchema({ type: 'array', items: { $ref: '#/components/schemas/Group' } }, schemas),
    ).toEqual([
      {
        key: { race: 'Black' },
        count: 1200,
        status: 'ok',
        id: '3f6c2a0e-8d4b-4c1e-9b7a-5d2e1f0a9c31',
        threshold: 0.25,
      },
    ]);
  });

  it('keeps a required text field, and the first variant of a oneOf', () => {
    expect(
      exampleFromSchema(
        {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, v: { oneOf: [{ type: 'boolean' }] } },
        },
        schemas,
      ),
    ).toEqual({ name: 'string', v: true });
  });

  it('stops on a self-referencing schema', () => {
    let depth = 0;
    let node = exampleFromSchema({ $ref: '#/components/schemas/Node' }, schemas) as { child?: unknown };
    while (node.child) {
      node = node.child;
      depth++;
    }
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThan(10);
  });
});
