import { RecentlyUsed } from './recently-used';

describe('RecentlyUsed', () => {
  it('keeps the most recently used entries and drops the least recently used one', () => {
    const m = new RecentlyUsed<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3); // drops b
    expect([m.get('a'), m.get('b'), m.get('c'), m.size]).toEqual([1, undefined, 3, 2]);
    m.set('a', 10); // replacing keeps one entry per key
    expect([m.get('a'), m.size]).toEqual([10, 2]);
  });
});
