import { Readable } from 'node:stream';
import { filterCsvRows, splitRecord, whereClause, type FilterStats } from './row-filter';

/** Runs the filter over `text` cut into chunks of `size` bytes (to cross every boundary) and joins the output. */
async function filtered(
  text: string,
  where: string[],
  size = 3,
): Promise<{ out: string; stats: FilterStats }> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const stats: FilterStats = { rows: 0, kept: 0 };
  const clauses = where.reduce((acc, w) => whereClause(w, acc), [] as ReturnType<typeof whereClause>);
  const parts: Buffer[] = [];
  for await (const part of filterCsvRows(Readable.from(chunks), clauses, stats)) parts.push(part);
  return { out: Buffer.concat(parts).toString(), stats };
}

const CSV = 'y_true,race,period\n1,A,1\n0,B,2\n1,"C, D",2\n0,A,3\n';

describe('filterCsvRows', () => {
  it('keeps the header and the matching rows byte for byte, for any chunking', async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const r = await filtered(CSV, ['period=2'], size);
      expect(r.out).toBe('y_true,race,period\n0,B,2\n1,"C, D",2\n');
      expect(r.stats).toEqual({ rows: 4, kept: 2 });
    }
  });

  it('ANDs different columns and ORs repeated values of one column', async () => {
    expect((await filtered(CSV, ['race=A', 'period=3'])).out).toBe('y_true,race,period\n0,A,3\n');
    expect((await filtered(CSV, ['period=1', 'period=3'])).out).toBe('y_true,race,period\n1,A,1\n0,A,3\n');
    expect((await filtered(CSV, ['race=C, D'])).out).toBe('y_true,race,period\n1,"C, D",2\n');
  });

  it('keeps a quoted line break inside a record, CRLF endings, a BOM and a last line without a newline', async () => {
    const text = '\uFEFFnote,period\r\n"two\r\nlines",2\r\nx,1\r\n"say ""hi""",2';
    const r = await filtered(text, ['period=2'], 4);
    expect(r.out).toBe('\uFEFFnote,period\r\n"two\r\nlines",2\r\n"say ""hi""",2');
    expect(r.stats).toEqual({ rows: 3, kept: 2 });
  });

  it('detects a semicolon or tab delimiter from the header', async () => {
    expect((await filtered('a;period\n1;2\n3;4\n', ['period=4'])).out).toBe('a;period\n3;4\n');
    expect((await filtered('a\tperiod\n1\t2\n3\t4\n', ['period=2'])).out).toBe('a\tperiod\n1\t2\n');
  });

  it('matches exact values only: no prefix, no trimming, no case folding', async () => {
    const r = await filtered('race,period\nWhite,1\nwhite,1\n White,1\nWhite2,1\n', ['race=White']);
    expect(r.out).toBe('race,period\nWhite,1\n');
    expect(r.stats).toEqual({ rows: 4, kept: 1 });
  });

  it('stops on a column the header lacks, naming the columns there are', async () => {
    await expect(filtered(CSV, ['perio=2'])).rejects.toThrow(
      '--where: no column "perio" in the CSV header (columns: "y_true", "race", "period")',
    );
  });
});

describe('whereClause', () => {
  it('splits at the first =, keeps an empty value and accumulates', () => {
    expect(whereClause('a=b=c')).toEqual([{ column: 'a', value: 'b=c' }]);
    expect(whereClause('race=', [{ column: 'x', value: '1' }])).toEqual([
      { column: 'x', value: '1' },
      { column: 'race', value: '' },
    ]);
  });

  it('refuses a clause without a column', () => {
    expect(() => whereClause('=3')).toThrow('expected column=value');
    expect(() => whereClause('period')).toThrow('expected column=value');
  });
});

describe('splitRecord', () => {
  it('unquotes fields and their doubled quotes', () => {
    expect(splitRecord('1,"a, ""b""",,x', ',')).toEqual(['1', 'a, "b"', '', 'x']);
  });
});
