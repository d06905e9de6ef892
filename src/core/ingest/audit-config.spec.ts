import { DomainError } from '../errors';
import { parseAuditConfig } from './audit-config';

function problemsOf(raw: unknown): { field?: string; message: string }[] {
  try {
    parseAuditConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid_config');
    return (err as DomainError).errors;
  }
  throw new Error('expected invalid_config');
}

describe('parseAuditConfig', () => {
  it('fills the contract defaults and leaves default-if-present columns unresolved', () => {
    expect(parseAuditConfig({ sensitiveAttributes: ['race'] })).toEqual({
      threshold: 0.5,
      positiveLabel: 1,
      favorableOutcome: 'positive',
      sensitiveAttributes: ['race'],
      intersections: [],
      reference: { strategy: 'largest' },
      minGroupSize: 30,
      missingAttribute: 'group',
      missingTokens: [''],
      onInvalidRow: 'reject',
    });
  });

  it('keeps explicit values, null columns and string positive labels', () => {
    const c = parseAuditConfig({
      labelColumn: null,
      scoreColumn: 'risk',
      positiveLabel: ' yes ',
      sensitiveAttributes: ['race', 'sex'],
      intersections: [['race', 'sex']],
      reference: { strategy: 'explicit', groups: { race: 'White', sex: 'Male' } },
      periodStart: '2024-01-01',
      periodEnd: '2024-03-31T23:59:59Z',
    });
    expect(c.labelColumn).toBeNull();
    expect(c.scoreColumn).toBe('risk');
    expect(c.positiveLabel).toBe('yes');
    expect(c.reference.groups).toEqual({ race: 'White', sex: 'Male' });
  });

  it('reports every problem at once, unknown fields included', () => {
    const fields = problemsOf({
      sensitiveAttributes: ['race', 'race'],
      threshold: 'high',
      minGroupSize: 0.5,
      onInvalidRow: 'ignore',
      colour: 'red',
      periodStart: '2024-05-01',
      periodEnd: '2024-04-01',
    }).map((p) => p.field);
    expect(fields.sort()).toEqual(
      [
        'config.colour',
        'config.minGroupSize',
        'config.onInvalidRow',
        'config.periodEnd',
        'config.sensitiveAttributes',
        'config.threshold',
      ].sort(),
    );
  });

  it('requires non-empty sensitive attributes', () => {
    expect(problemsOf({}).map((p) => p.field)).toEqual(['config.sensitiveAttributes']);
    expect(problemsOf({ sensitiveAttributes: [] })[0]?.message).toMatch(/at least one/);
  });

  it('checks intersections and explicit references against the attributes', () => {
    const problems = problemsOf({
      sensitiveAttributes: ['race', 'sex'],
      intersections: [['race'], ['race', 'age']],
      reference: { strategy: 'explicit', groups: { race: 'White' } },
    });
    expect(problems.map((p) => p.field)).toEqual([
      'config.intersections[0]',
      'config.intersections[1]',
      'config.reference.groups',
    ]);
    expect(problems[1]?.message).toMatch(/age not in sensitiveAttributes/);
    expect(problems[2]?.message).toMatch(/needs a group for sex/);
  });

  it('rejects positive labels other than 0/1, booleans or strings, and one column in two roles', () => {
    expect(problemsOf({ sensitiveAttributes: ['a'], positiveLabel: 2 })[0]?.field).toBe(
      'config.positiveLabel',
    );
    const clash = problemsOf({
      sensitiveAttributes: ['a'],
      labelColumn: 'y',
      predictionColumn: 'y',
      scoreColumn: 'a',
    });
    expect(clash.map((p) => p.field)).toEqual(['config.predictionColumn', 'config.scoreColumn']);
  });

  it('rejects a non-object config', () => {
    expect(problemsOf('{"a":1}')[0]?.field).toBe('config');
  });
});
