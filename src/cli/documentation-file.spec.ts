import { parseDocumentation } from './documentation-file';

describe('parseDocumentation', () => {
  it('reads JSON fields as given', () => {
    expect(
      parseDocumentation('{"intendedUse": "Flag for follow-up", "mitigations": null}', 'doc.json'),
    ).toEqual({ intendedUse: 'Flag for follow-up', mitigations: null });
  });

  it('reads YAML by extension, with dates and numbers written back as text', () => {
    const yaml = [
      'dataSources: EHR extract, 130 US hospitals',
      'protectedInputsReviewedAt: 2024-03-01',
      'monitoringCadence: 90',
      'knownLimitations: |',
      '  Two lines',
      '  of text',
    ].join('\n');
    expect(parseDocumentation(yaml, 'datasheet.YML')).toEqual({
      dataSources: 'EHR extract, 130 US hospitals',
      protectedInputsReviewedAt: '2024-03-01',
      monitoringCadence: '90',
      knownLimitations: 'Two lines\nof text\n',
    });
  });

  it('names unknown fields and non-text values, and lists the known fields', () => {
    const run = (): unknown =>
      parseDocumentation('{"intendedUse": "x", "intendedUsage": "y", "owner": ["a"]}', 'doc.json');
    expect(run).toThrow('doc.json: unknown field "intendedUsage"; field "owner" must be text');
    expect(run).toThrow('(documentation fields: intendedUse, users, setting,');
  });

  it('refuses text that is not an object, and syntax errors, naming the file and format', () => {
    expect(() => parseDocumentation('["a"]', 'd.json')).toThrow('d.json: expected an object');
    expect(() => parseDocumentation('{"a": ', 'd.json')).toThrow('d.json: not valid JSON');
    expect(() => parseDocumentation('a: [1', 'd.yaml')).toThrow('d.yaml: not valid YAML');
    expect(() => parseDocumentation('just text', 'd.yaml')).toThrow('d.yaml: expected an object');
  });

  it('refuses a field longer than the API accepts', () => {
    expect(() => parseDocumentation(JSON.stringify({ owner: 'x'.repeat(10_001) }), 'd.json')).toThrow(
      'field "owner" is longer than 10000 characters',
    );
  });
});
