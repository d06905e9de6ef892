import { DomainError } from '../errors';
import { parseRoundConfig, parseSites, partConfigOf } from './round-config';

const fields = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).errors.map((d) => d.field ?? '');
  }
  throw new Error('no error');
};

describe('parseRoundConfig', () => {
  it('adds site to the pooled audit and leaves it out of the parts', () => {
    const { pooled, part, siteAsAttribute } = parseRoundConfig({
      sensitiveAttributes: ['race'],
      intersections: [['site', 'race']],
      reference: { strategy: 'explicit', groups: { race: 'White', site: 'north' } },
    });
    expect(siteAsAttribute).toBe(true);
    expect(pooled.sensitiveAttributes).toEqual(['race', 'site']);
    expect(pooled.intersections).toEqual([['site', 'race']]);
    expect(part.sensitiveAttributes).toEqual(['race']);
    expect(part.intersections).toEqual([]);
    expect(part.reference).toEqual({ strategy: 'explicit', groups: { race: 'White' } });
    expect(partConfigOf(pooled, true)).toEqual(part);
  });

  it('keeps the config as it is with siteAsAttribute false', () => {
    const { pooled, part } = parseRoundConfig({ sensitiveAttributes: ['race'], siteAsAttribute: false });
    expect(pooled.sensitiveAttributes).toEqual(['race']);
    expect(part).toBe(pooled);
    expect(partConfigOf(pooled, false)).toBe(pooled);
  });

  it('names the field of each bad config', () => {
    expect(fields(() => parseRoundConfig({ sensitiveAttributes: ['race'], siteAsAttribute: 1 }))).toEqual([
      'config.siteAsAttribute',
    ]);
    expect(fields(() => parseRoundConfig({ sensitiveAttributes: ['site'] }))).toEqual([
      'config.sensitiveAttributes',
    ]);
    expect(fields(() => parseRoundConfig([]))).toEqual(['config']);
    // An explicit reference needs the site's group too.
    expect(
      fields(() =>
        parseRoundConfig({
          sensitiveAttributes: ['race'],
          reference: { strategy: 'explicit', groups: { race: 'W' } },
        }),
      ),
    ).toEqual(['config.reference.groups']);
  });
});

describe('parseRoundConfig and config.task', () => {
  it('opens a binary round (task left out or "binary") and refuses regression and multiclass naming config.task', () => {
    expect(parseRoundConfig({ sensitiveAttributes: ['race'] }).pooled.sensitiveAttributes).toEqual([
      'race',
      'site',
    ]);
    expect(parseRoundConfig({ task: 'binary', sensitiveAttributes: ['race'] }).part.task ?? 'binary').toBe(
      'binary',
    );
    expect(
      fields(() =>
        parseRoundConfig({ task: 'regression', targetColumn: 'los', sensitiveAttributes: ['race'] }),
      ),
    ).toEqual(['config.task']);
    expect(
      fields(() =>
        parseRoundConfig({ task: 'multiclass', sensitiveAttributes: ['race'], siteAsAttribute: false }),
      ),
    ).toEqual(['config.task']);
  });
});

describe('parseSites', () => {
  it('accepts distinct names and refuses empty lists, repeats, odd names and too many', () => {
    expect(parseSites(['north', 'south-2', 'St. Mary'], 10)).toEqual(['north', 'south-2', 'St. Mary']);
    expect(fields(() => parseSites([], 10))).toEqual(['sites']);
    expect(fields(() => parseSites(['a', 'b', 'a'], 10))).toEqual(['sites[2]']);
    expect(fields(() => parseSites(['a/b', ''], 10))).toEqual(['sites[0]', 'sites[1]']);
    expect(fields(() => parseSites(['a', 'b'], 1))).toEqual(['sites']);
  });
});
