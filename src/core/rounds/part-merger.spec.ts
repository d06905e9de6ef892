import { DomainError } from '../errors';
import { MISSING_CODE, type ColumnarBatch } from '../ingest';
import { PartMerger } from './part-merger';

/** A batch from literal rows: [label, prediction, score, race] with race a level name or null (missing). */
function batch(rows: [number, number, number, string | null][]): ColumnarBatch {
  const levels: string[] = [];
  const codes = rows.map(([, , , race]) => {
    if (race === null) return MISSING_CODE;
    if (!levels.includes(race)) levels.push(race);
    return levels.indexOf(race);
  });
  return {
    rowCount: rows.length,
    labels: Uint8Array.from(rows.map((r) => r[0])),
    predictions: Uint8Array.from(rows.map((r) => r[1])),
    scores: Float64Array.from(rows.map((r) => r[2])),
    attributes: [{ name: 'race', levels, codes: Uint16Array.from(codes) }],
  };
}

const layout = { attributes: ['race', 'site'], siteAttribute: 'site', maxGroupsPerAttribute: 100 };

describe('PartMerger', () => {
  it('concatenates rows in order and re-interns levels by first appearance across parts', () => {
    const merger = new PartMerger({ ...layout, totalRows: 5 });
    merger.add(
      'north',
      batch([
        [1, 1, 0.9, 'B'],
        [0, 0, 0.1, 'A'],
      ]),
    );
    merger.add(
      'south',
      batch([
        [0, 1, 0.6, 'C'],
        [1, 0, 0.4, 'A'],
        [0, 0, 0.2, null],
      ]),
    );
    const merged = merger.finish();
    expect(merged.rowCount).toBe(5);
    expect([...merged.labels!]).toEqual([1, 0, 0, 1, 0]);
    expect([...merged.predictions]).toEqual([1, 0, 1, 0, 0]);
    expect([...merged.scores!]).toEqual([0.9, 0.1, 0.6, 0.4, 0.2]);
    const [race, site] = merged.attributes;
    // South's own codes were C=0, A=1: after merging A keeps north's code 1 and C is new (2).
    expect(race!.levels).toEqual(['B', 'A', 'C']);
    expect([...race!.codes]).toEqual([0, 1, 2, 1, MISSING_CODE]);
    expect(site!.levels).toEqual(['north', 'south']);
    expect([...site!.codes]).toEqual([0, 0, 1, 1, 1]);
  });

  it('gives an empty part no site level, as one upload without its rows would', () => {
    const merger = new PartMerger({ ...layout, totalRows: 1 });
    merger.add('a', batch([]));
    merger.add('b', batch([[1, 1, 0.5, 'A']]));
    expect(merger.finish().attributes[1]!.levels).toEqual(['b']);
  });

  it('carries counts and leaves the site out when there is no site attribute', () => {
    const merger = new PartMerger({ ...layout, attributes: ['race'], siteAttribute: null, totalRows: 3 });
    merger.add('a', { ...batch([[1, 1, 0.5, 'A']]), counts: Float64Array.of(7) });
    merger.add('b', {
      ...batch([
        [0, 0, 0.5, 'A'],
        [1, 0, 0.3, 'B'],
      ]),
      counts: Float64Array.of(2, 40),
    });
    const merged = merger.finish();
    expect([...merged.counts!]).toEqual([7, 2, 40]);
    expect(merged.attributes.map((a) => a.name)).toEqual(['race']);
  });

  it('refuses a part whose columns differ from the first part', () => {
    const merger = new PartMerger({ ...layout, totalRows: 2 });
    merger.add('a', batch([[1, 1, 0.5, 'A']]));
    const { scores: _dropped, ...noScores } = batch([[1, 1, 0.5, 'A']]);
    expect(() => merger.add('b', noScores)).toThrow(/site "b" has no score column and the earlier parts do/);
  });

  it('refuses more groups than the limit across parts, naming the attribute', () => {
    const merger = new PartMerger({ ...layout, maxGroupsPerAttribute: 2, totalRows: 3 });
    merger.add(
      'a',
      batch([
        [1, 1, 0.5, 'A'],
        [1, 1, 0.5, 'B'],
      ]),
    );
    const err = (() => {
      try {
        merger.add('b', batch([[1, 1, 0.5, 'C']]));
      } catch (e) {
        return e as DomainError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err!.code).toBe('payload_too_large');
    expect(err!.errors[0]!.column).toBe('race');
  });

  it('refuses to finish before every row has been added', () => {
    const merger = new PartMerger({ ...layout, totalRows: 2 });
    merger.add('a', batch([[1, 1, 0.5, 'A']]));
    expect(() => merger.finish()).toThrow(/1 rows added, 2 expected/);
  });
});
