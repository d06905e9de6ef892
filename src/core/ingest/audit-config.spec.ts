import { DomainError } from '../errors';
import { parseAuditConfig, taskOf } from './audit-config';

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

  describe('task, count and privacy fields (second wave)', () => {
    const base = { sensitiveAttributes: ['race'] };

    it('accepts each task with its own fields, and reads a missing task as binary', () => {
      expect(taskOf(parseAuditConfig(base))).toBe('binary');
      const regression = parseAuditConfig({ ...base, task: 'regression', targetColumn: 'cost' });
      expect([regression.task, regression.targetColumn]).toEqual(['regression', 'cost']);
      const multiclass = parseAuditConfig({ ...base, task: 'multiclass', classes: [' low', 'mid', 'high '] });
      expect(multiclass.classes).toEqual(['low', 'mid', 'high']);
      const counted = parseAuditConfig({
        ...base,
        countColumn: 'n',
        privacy: { mechanism: 'gaussian', epsilon: 1, delta: 1e-6 },
      });
      expect([counted.countColumn, counted.privacy]).toEqual([
        'n',
        { mechanism: 'gaussian', epsilon: 1, delta: 1e-6 },
      ]);
    });

    it('refuses fields of another task, bad class lists, counts with weights and bad privacy', () => {
      expect(problemsOf({ ...base, task: 'ordinal' })).toEqual([
        { field: 'config.task', message: 'must be one of "binary", "regression", "multiclass"' },
      ]);
      expect(problemsOf({ ...base, targetColumn: 'cost' })).toEqual([
        { field: 'config.targetColumn', message: 'is only used with task "regression"' },
      ]);
      expect(problemsOf({ ...base, task: 'regression', classes: ['a', 'b'] })).toEqual([
        { field: 'config.classes', message: 'is only used with task "multiclass"' },
      ]);
      expect(problemsOf({ ...base, task: 'multiclass', classes: ['a'] })[0]?.field).toBe('config.classes');
      expect(problemsOf({ ...base, task: 'multiclass', classes: ['a', ' a'] })).toEqual([
        { field: 'config.classes', message: 'lists a more than once' },
      ]);
      expect(problemsOf({ ...base, countColumn: 'n', weightColumn: 'w' })[0]?.field).toBe(
        'config.countColumn',
      );
      expect(problemsOf({ ...base, countColumn: 'race' })).toEqual([
        { field: 'config.countColumn', message: 'column "race" is also a sensitive attribute' },
      ]);
      expect(problemsOf({ ...base, privacy: { mechanism: 'laplace', epsilon: 0 } })).toEqual([
        { field: 'config.privacy.epsilon', message: 'must be a finite number > 0' },
      ]);
      expect(problemsOf({ ...base, privacy: { epsilon: 1, delta: 2 } }).map((p) => p.field)).toEqual([
        'config.privacy.mechanism',
        'config.privacy.delta',
      ]);
    });

    it('refuses the binary-only settings with task regression, each named; null columns and none pass', () => {
      const regression = { ...base, task: 'regression' };
      expect(
        problemsOf({
          ...regression,
          labelColumn: 'y',
          scoreColumn: 's',
          threshold: 0.3,
          positiveLabel: 1,
          favorableOutcome: 'negative',
        }).map((p) => p.field),
      ).toEqual([
        'config.labelColumn',
        'config.scoreColumn',
        'config.threshold',
        'config.positiveLabel',
        'config.favorableOutcome',
      ]);
      expect(problemsOf({ ...regression, threshold: 0.5 })).toEqual([
        {
          field: 'config.threshold',
          message:
            'is not used with task "regression": a regression audit has no threshold: its prediction is the number',
        },
      ]);
      expect(parseAuditConfig({ ...regression, labelColumn: null, scoreColumn: null }).task).toBe(
        'regression',
      );
      // The same settings stay valid for a binary audit.
      expect(
        parseAuditConfig({ ...base, threshold: 0.3, scoreColumn: 's', positiveLabel: 1 }).threshold,
      ).toBe(0.3);
    });
  });
});
