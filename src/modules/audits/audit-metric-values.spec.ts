import type { SliceResult } from '../../core/fairness';
import { metricValueRows } from './audit-metric-values';

const slice = (fields: Partial<SliceResult>): SliceResult => ({
  attributes: ['race'],
  reference: { race: 'A' },
  groups: [],
  summary: { demographic_parity_difference: null, demographic_parity_ratio: null, impact_ratio: null },
  ...fields,
});

describe('metricValueRows', () => {
  it('writes one row per (slice, group, metric) and per (slice, summary key), values as stored', () => {
    const rows = metricValueRows({
      slices: [
        slice({
          attributes: ['sex', 'race'],
          groups: [
            {
              key: { sex: 'M', race: 'B' },
              count: 7,
              share: 0.7,
              metrics: { count: { value: 7 }, selection_rate: { value: 0.5, ciLow: 0.2, ciHigh: 0.8 } },
              disparities: {},
              flags: [],
            },
            {
              key: { sex: 'F', race: 'A' },
              count: 3,
              share: 0.3,
              metrics: { selection_rate: { value: null, ciLow: null, ciHigh: null } },
              disparities: {},
              flags: ['insufficient_sample'],
            },
          ],
          summary: { demographic_parity_difference: 0.25, demographic_parity_ratio: null, impact_ratio: 0.5 },
        }),
      ],
    });
    const group = { slice: 'sex,race', ciLow: null, ciHigh: null };
    const summary = {
      slice: 'sex,race',
      groupKey: null,
      groupOrdinal: null,
      ciLow: null,
      ciHigh: null,
      count: null,
    };
    expect(rows).toEqual([
      { ...group, groupKey: { sex: 'M', race: 'B' }, groupOrdinal: 0, metric: 'count', value: 7, count: 7 },
      {
        ...group,
        groupKey: { sex: 'M', race: 'B' },
        groupOrdinal: 0,
        metric: 'selection_rate',
        value: 0.5,
        ciLow: 0.2,
        ciHigh: 0.8,
        count: 7,
      },
      {
        ...group,
        groupKey: { sex: 'F', race: 'A' },
        groupOrdinal: 1,
        metric: 'selection_rate',
        value: null,
        count: 3,
      },
      { ...summary, metric: 'demographic_parity_difference', value: 0.25 },
      { ...summary, metric: 'demographic_parity_ratio', value: null },
      { ...summary, metric: 'impact_ratio', value: 0.5 },
    ]);
  });

  it('keeps the slice order of attributes and skips undefined summary entries', () => {
    const rows = metricValueRows({
      slices: [
        slice({ attributes: ['race'] }),
        slice({
          attributes: ['b', 'a'],
          summary: {
            demographic_parity_difference: 0,
            demographic_parity_ratio: 1,
            impact_ratio: 1,
            theil_index: undefined,
          },
        }),
      ],
    });
    expect(rows.map((r) => `${r.slice}:${r.metric}`)).toEqual([
      'race:demographic_parity_difference',
      'race:demographic_parity_ratio',
      'race:impact_ratio',
      'b,a:demographic_parity_difference',
      'b,a:demographic_parity_ratio',
      'b,a:impact_ratio',
    ]);
  });

  it('is empty without slices', () => {
    expect(metricValueRows({ slices: [] })).toEqual([]);
  });
});
