import { choiceList, isoDate } from './context';

describe('isoDate', () => {
  it('takes a date (midnight UTC) or a date-time with a zone', () => {
    expect(isoDate('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(isoDate('2024-03-31T23:59:59Z')).toBe('2024-03-31T23:59:59Z');
    expect(isoDate('2024-03-31T08:00+02:00')).toBe('2024-03-31T08:00+02:00');
  });

  it('refuses impossible dates and other formats', () => {
    expect(() => isoDate('2023-02-29')).toThrow('not a calendar date');
    expect(() => isoDate('2024-13-01')).toThrow();
    expect(() => isoDate('31/03/2024')).toThrow('not an ISO 8601 date');
    expect(() => isoDate('2024-03-31T10:00')).toThrow('not an ISO 8601 date'); // no zone: ambiguous
  });
});

describe('choiceList', () => {
  const parse = choiceList(['ok', 'warning', 'alert'] as const);
  it('takes known values, comma-separated, once each', () => {
    expect(parse('alert, warning,alert')).toEqual(['alert', 'warning']);
  });
  it('names an unknown value and the allowed ones', () => {
    expect(() => parse('alert,critical')).toThrow('unknown value "critical" (one of ok, warning, alert)');
    expect(() => parse(',')).toThrow('give at least one of ok, warning, alert');
  });
});
