import { DomainError } from '../errors';
import type { FairnessResult, SliceResult } from '../fairness/types';
import { buildTimeline } from './timeline';

function slice(attributes: string[], keys: Record<string, string>[], value: number): SliceResult {
  return {
    attributes,
    reference: keys[0]!,
    groups: keys.map((key, i) => ({
      key,
      count: 100 + i,
      share: 0.5,
      metrics: { selection_rate: { value: value + i / 10, ciLow: value - 0.05, ciHigh: value + 0.05 } },
      disparities: {},
      flags: [],
    })),
    summary: { demographic_parity_difference: 0.1, demographic_parity_ratio: value, impact_ratio: value },
  };
}

function audit(value: number): FairnessResult {
  return {
    overall: { count: 201, metrics: {} },
    slices: [
      slice(['race'], [{ race: 'A' }, { race: 'B' }], value),
      slice(['race', 'sex'], [{ race: 'A', sex: 'F' }], value),
    ],
    labelFree: true,
  } as unknown as FairnessResult; // conventions are not read by the timeline
}

const points = [
  { auditId: 'c', at: '2026-03-01T00:00:00Z', result: audit(0.3) },
  { auditId: 'b', at: '2026-01-01T00:00:00Z', result: audit(0.1) },
  { auditId: 'a', at: '2026-01-01T01:00:00+01:00', result: audit(0.2) }, // the same instant as b
];

describe('buildTimeline', () => {
  it('gives one point per audit in time order, ties by audit id', () => {
    const timeline = buildTimeline(points, 'selection_rate', 'race');
    expect(timeline.map((point) => point.auditId)).toEqual(['a', 'b', 'c']);
    expect(timeline[2]).toEqual({
      auditId: 'c',
      at: '2026-03-01T00:00:00Z',
      groups: [
        { key: { race: 'A' }, value: 0.3, ciLow: 0.25, ciHigh: 0.35, count: 100 },
        { key: { race: 'B' }, value: 0.4, ciLow: 0.25, ciHigh: 0.35, count: 101 },
      ],
      summary: { demographic_parity_difference: 0.1, demographic_parity_ratio: 0.3, impact_ratio: 0.3 },
    });
  });

  it('accepts an intersection in either order', () => {
    const timeline = buildTimeline(points, 'selection_rate', 'sex, race');
    expect(timeline.map((point) => point.groups.map((group) => group.key))).toEqual([
      [{ race: 'A', sex: 'F' }],
      [{ race: 'A', sex: 'F' }],
      [{ race: 'A', sex: 'F' }],
    ]);
  });

  it('gives null values for a metric the audit lacks', () => {
    const [first] = buildTimeline(points, 'true_positive_rate', 'race');
    expect(first?.groups[0]).toEqual({
      key: { race: 'A' },
      value: null,
      ciLow: null,
      ciHigh: null,
      count: 100,
    });
  });

  it('rejects an unknown metric, an unknown slice and a bad timestamp', () => {
    const invalid = expect.objectContaining({ code: 'invalid_input' });
    expect(() => buildTimeline(points, 'accuracy_score', 'race')).toThrow(DomainError);
    expect(() => buildTimeline(points, 'accuracy_score', 'race')).toThrow(invalid);
    expect(() => buildTimeline(points, 'selection_rate', 'age')).toThrow(invalid);
    expect(() => buildTimeline([{ ...points[0]!, at: 'yesterday' }], 'selection_rate', 'race')).toThrow(
      invalid,
    );
  });

  it('is empty without audits', () => {
    expect(buildTimeline([], 'selection_rate', 'race')).toEqual([]);
  });
});
