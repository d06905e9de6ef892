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

describe('buildTimeline for regression and multiclass audits', () => {
  const regression = (mae: number) => ({
    slices: [
      {
        attributes: ['race'],
        groups: [
          {
            key: { race: 'A' },
            count: 40,
            metrics: { mean_absolute_error: { value: mae, ciLow: 1, ciHigh: 9 } },
          },
          { key: { race: 'B' }, count: 35, metrics: { mean_absolute_error: { value: mae * 2 } } },
        ],
        summary: { mean_absolute_error_ratio: 0.5, worst_group_mean_absolute_error: mae * 2 },
      },
    ],
  });

  it('charts a regression key per group, with the regression summary', () => {
    const timeline = buildTimeline(
      [
        { auditId: 'r2', at: '2026-02-01T00:00:00Z', result: regression(4) },
        { auditId: 'r1', at: '2026-01-01T00:00:00Z', result: regression(3) },
      ],
      'mean_absolute_error',
      'race',
    );
    expect(timeline.map((p) => p.auditId)).toEqual(['r1', 'r2']);
    expect(timeline[0]!.groups).toEqual([
      { key: { race: 'A' }, value: 3, ciLow: 1, ciHigh: 9, count: 40 },
      { key: { race: 'B' }, value: 6, ciLow: null, ciHigh: null, count: 35 },
    ]);
    expect(timeline[1]!.summary).toEqual({
      mean_absolute_error_ratio: 0.5,
      worst_group_mean_absolute_error: 8,
    });
  });

  it("charts a multiclass group's accuracy; an unknown key is still refused", () => {
    const result = {
      slices: [
        {
          attributes: ['sex'],
          groups: [
            {
              key: { sex: 'F' },
              count: 50,
              metrics: { accuracy: { value: 0.8, ciLow: 0.67, ciHigh: 0.89 } },
            },
          ],
          summary: {},
        },
      ],
    };
    const [point] = buildTimeline([{ auditId: 'm', at: '2026-01-01T00:00:00Z', result }], 'accuracy', 'sex');
    expect(point!.groups[0]!.value).toBe(0.8);
    expect(() =>
      buildTimeline([{ auditId: 'm', at: '2026-01-01T00:00:00Z', result }], 'accuracy_', 'sex'),
    ).toThrow(DomainError);
  });
});
