// eslint-disable-next-line no-restricted-imports -- the spec reads the reference datasets shipped in datasets/
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomainError } from '../errors';
import { AuditConfig, parseAuditConfig } from './audit-config';
import { MISSING_CODE } from './batch';
import { IngestOutcome } from './batch-builder';
import { createCsvIngestor } from './csv-ingestor';
import { IngestLimits } from './limits';
import { mulberry32 } from '../stats';

const DATASETS = resolve(__dirname, '../../../datasets/aequitas');
const enc = new TextEncoder();

function config(extra: Record<string, unknown> = {}): AuditConfig {
  return parseAuditConfig({ sensitiveAttributes: ['race'], ...extra });
}

/** Feeds `csv` in pieces cut at `cuts` (byte offsets). */
function ingest(
  csv: string | Uint8Array,
  cfg = config(),
  limits: Partial<IngestLimits> = {},
  cuts: number[] = [],
): IngestOutcome {
  const bytes = typeof csv === 'string' ? enc.encode(csv) : csv;
  const ingestor = createCsvIngestor(cfg, limits);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    ingestor.write(bytes.subarray(from, cut));
    from = cut;
  }
  return ingestor.end();
}

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

/** Group name of each row, for readable assertions. */
function groupsOf(out: IngestOutcome, k = 0): (string | null)[] {
  const a = out.batch.attributes[k];
  if (!a) throw new Error('no attribute');
  return Array.from(a.codes, (c) => (c === MISSING_CODE ? null : (a.levels[c] ?? '?')));
}

function countBy(values: (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}

describe('createCsvIngestor: values', () => {
  it('reads labels, predictions, scores and groups, and reports the columns used', () => {
    const out = ingest('y_true,y_pred,score,race,patient_id\n1,0,0.25,White,P1\n0,1,0.75,Black,P2\n');
    expect(out.rowCount).toBe(2);
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0]);
    expect(Array.from(out.batch.predictions)).toEqual([0, 1]);
    expect(Array.from(out.batch.scores ?? [])).toEqual([0.25, 0.75]);
    expect(groupsOf(out)).toEqual(['White', 'Black']);
    expect(out.columnsUsed).toEqual({
      label: 'y_true',
      prediction: 'y_pred',
      score: 'score',
      attributes: ['race'],
    });
    expect(out.delimiter).toBe(',');
    expect(out.scoresInUnitInterval).toBe(true);
  });

  it('accepts 1.0/0.0 and true/false in any case, and strips surrounding blanks', () => {
    const out = ingest('y_true,y_pred,race\n1.0,TRUE, A \n0.0,false,A\n 1 ,True,B\n');
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0, 1]);
    expect(Array.from(out.batch.predictions)).toEqual([1, 0, 1]);
    expect(groupsOf(out)).toEqual(['A', 'A', 'B']);
  });

  it('reads one-byte binary values exactly as the general path does', () => {
    const csv = 'y_true,y_pred,race\n1,0,A\n0,1,A\n1, 1,A\n1,1 ,A\n2,1,A\n';
    const skip = { onInvalidRow: 'skip' };
    const plain = ingest(csv, config(skip));
    expect(Array.from(plain.batch.labels ?? [])).toEqual([1, 0, 1, 1]);
    expect(Array.from(plain.batch.predictions)).toEqual([0, 1, 1, 1]);
    expect(plain.firstSkippedRows).toEqual([5]);
    const flipped = ingest(csv, config({ ...skip, positiveLabel: 0 }));
    expect(Array.from(flipped.batch.labels ?? [])).toEqual([0, 1, 0, 0]);
    const named = ingest(csv, config({ ...skip, positiveLabel: '0' }));
    expect(Array.from(named.batch.labels ?? [])).toEqual([0, 1, 0, 0, 0]);
  });

  it('maps a string positiveLabel: that value is 1, any other value 0', () => {
    const cfg = config({ labelColumn: 'outcome', predictionColumn: 'flag', positiveLabel: 'yes' });
    const out = ingest('outcome,flag,race\nyes,no,A\nno,yes,A\nmaybe,yes,B\n', cfg);
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0, 0]);
    expect(Array.from(out.batch.predictions)).toEqual([0, 1, 1]);
  });

  it('maps positiveLabel 0 and false by flipping the binary value', () => {
    const out = ingest('y_true,y_pred,race\n0,1,A\n1,0,A\n', config({ positiveLabel: false }));
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0]);
    expect(Array.from(out.batch.predictions)).toEqual([0, 1]);
  });

  it('derives predictions as score >= threshold when no prediction column is mapped', () => {
    // threshold 0.4: 0.39 < 0.4 → 0; 0.4 >= 0.4 → 1; 1.7 → 1 (scores outside [0,1] are noted)
    const out = ingest('y_true,score,race\n0,0.39,A\n1,0.4,A\n1,1.7,B\n', config({ threshold: 0.4 }));
    expect(Array.from(out.batch.predictions)).toEqual([0, 1, 1]);
    expect(out.columnsUsed.prediction).toBeUndefined();
    expect(out.scoresInUnitInterval).toBe(false);
  });

  it('does not give a column named for one role a second role by default (COMPAS: predictionColumn "score")', () => {
    const out = ingest(
      'label_value,score,race\n1,1,A\n0,0,A\n1,0,B\n',
      config({ labelColumn: 'label_value', predictionColumn: 'score' }),
    );
    expect(out.columnsUsed).toMatchObject({ label: 'label_value', prediction: 'score' });
    expect(out.columnsUsed.score).toBeUndefined();
    expect(Array.from(out.batch.predictions)).toEqual([1, 0, 0]);
    expect(out.batch.scores).toBeUndefined();
  });

  it('reads numbers as Number() does, exponents and long decimals included', () => {
    const scores = ['0.1', '-0', '1e-3', '0.30000000000000004', '123456789012345678', '.5', '+2.50'];
    const out = ingest(`score,race\n${scores.map((s) => `${s},A`).join('\n')}\n`);
    expect(Array.from(out.batch.scores ?? [])).toEqual(scores.map(Number));
  });

  it('works label-free and with weights', () => {
    const out = ingest('y_pred,w,race\n1,2.5,A\n0,0,B\n', config({ weightColumn: 'w' }));
    expect(out.batch.labels).toBeUndefined();
    expect(Array.from(out.batch.weights ?? [])).toEqual([2.5, 0]);
  });

  it('treats missingTokens as Unknown with "group" and as MISSING_CODE with "drop"', () => {
    const csv = 'y_pred,race\n1,A\n0,?\n1,\n0, A\n';
    const grouped = ingest(csv, config({ missingTokens: ['', '?'] }));
    expect(groupsOf(grouped)).toEqual(['A', 'Unknown', 'Unknown', 'A']);
    expect(grouped.batch.attributes[0]?.levels).toEqual(['A', 'Unknown']);
    const dropped = ingest(csv, config({ missingTokens: ['', '?'], missingAttribute: 'drop' }));
    expect(groupsOf(dropped)).toEqual(['A', null, null, 'A']);
    expect(dropped.batch.attributes[0]?.levels).toEqual(['A']);
  });

  it('tells apart groups of the same length and first byte (the interner guess), in order of appearance', () => {
    const values = ['Black', 'Brown', 'Black', 'B', 'Brown', 'Bx', 'B', 'Black', 'x'.repeat(40), 'Brown'];
    const out = ingest(`y_pred,race\n${values.map((v) => `1,${v}`).join('\n')}\n`);
    expect(groupsOf(out)).toEqual(values);
    expect(out.batch.attributes[0]?.levels).toEqual(['Black', 'Brown', 'B', 'Bx', 'x'.repeat(40)]);
  });

  it('accepts an attribute with a single group', () => {
    expect(ingest('y_pred,race\n1,A\n0,A\n').batch.attributes[0]?.levels).toEqual(['A']);
  });
});

describe('createCsvIngestor: format', () => {
  const plain = 'y_true,y_pred,race\n1,0,A\n0,1,B\n';

  it('reads a BOM, CRLF and a last line without newline the same as plain LF', () => {
    const expected = ingest(plain);
    expect(ingest(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(plain)]))).toEqual(expected);
    expect(ingest(plain.replaceAll('\n', '\r\n'))).toEqual(expected);
    expect(ingest(plain.slice(0, -1))).toEqual(expected);
    expect(ingest('y_true,y_pred,race\r\n1,0,A\r\n\r\n0,1,B')).toEqual(expected);
  });

  it('detects semicolon and tab delimiters from the header', () => {
    const semi = ingest(
      'y_true;y_pred;score;race\n1;0;0,5;"A;x"\n0;1;0,25;B\n',
      config({ scoreColumn: null }),
    );
    expect(semi.delimiter).toBe(';');
    expect(groupsOf(semi)).toEqual(['A;x', 'B']);
    expect(Array.from(semi.batch.predictions)).toEqual([0, 1]);
    const tab = ingest('y_true\ty_pred\trace\n1\t0\tA,B\n');
    expect(tab.delimiter).toBe('\t');
    expect(groupsOf(tab)).toEqual(['A,B']);
  });

  it('reads a quote inside an unquoted header name as data, as in data rows', () => {
    // A quoted data field later in the file must not be taken for the end of a quoted header field.
    const semi = ingest('y_pred;race;height "in\n1;A;"a,b,c,d"\n0;B;x\n', config(), {}, [4]);
    expect(semi.delimiter).toBe(';');
    expect(groupsOf(semi)).toEqual(['A', 'B']);
    // More than a megabyte after such a header is data, not an unfinished header.
    const rows = '1,A,x\n'.repeat(200_000);
    const big = ingest(`y_pred,race,height "in\n${rows}`, config(), {}, [1000, 70_000]);
    expect(big.rowCount).toBe(200_000);
  });

  it('reads quoted fields with delimiters, newlines and doubled quotes', () => {
    const csv =
      'y_pred,race,note\n1,"Black, not Hispanic","a\nb"\n0,"say ""hi""",x\n1,"",""\n0,"caf\u00e9",y\n';
    const out = ingest(csv);
    expect(groupsOf(out)).toEqual(['Black, not Hispanic', 'say "hi"', 'Unknown', 'café']);
    expect(Array.from(out.batch.predictions)).toEqual([1, 0, 1, 0]);
  });

  it('gives the same result for every chunk boundary, 1 byte at a time, and random splits', () => {
    const csv = enc.encode(
      '\ufeffy_true,y_pred,score,race,id\r\n1,0,0.5,"caf\u00e9, ""x""",P1\r\n0,1,0.25,"two\r\nlines",P2\r\n1,1,1e-2,\u00c5sa,"P""3"',
    );
    const expected = ingest(csv);
    expect(groupsOf(expected)).toEqual(['café, "x"', 'two\r\nlines', 'Åsa']);
    for (let cut = 0; cut <= csv.length; cut++) expect(ingest(csv, config(), {}, [cut])).toEqual(expected);
    expect(
      ingest(
        csv,
        config(),
        {},
        Array.from({ length: csv.length }, (_, i) => i),
      ),
    ).toEqual(expected);
    const rand = mulberry32(7);
    for (let trial = 0; trial < 50; trial++) {
      const cuts = Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
        Math.floor(rand() * csv.length),
      ).sort((a, b) => a - b);
      expect(ingest(csv, config(), {}, cuts)).toEqual(expected);
    }
  });
});

describe('createCsvIngestor: whole and byte-at-a-time feeding agree', () => {
  /** The outcome (or error) of `csv` fed whole and one byte at a time (the careful path at every byte). */
  function expectSame(csv: string, cfg = config(), limits: Partial<IngestLimits> = {}): unknown {
    const bytes = enc.encode(csv);
    const run = (cuts: number[]): unknown => {
      try {
        return ingest(bytes, cfg, limits, cuts);
      } catch (err) {
        if (err instanceof DomainError) return { error: err.message, errors: err.errors };
        throw err;
      }
    };
    const whole = run([]);
    expect(run(Array.from({ length: bytes.length }, (_, i) => i))).toEqual(whole);
    return whole;
  }

  it('reads a quote inside an unquoted field as data', () => {
    const out = expectSame('y_pred,race,id\n1,A"B,x"y\n0,A"B,"q"\n') as IngestOutcome;
    expect(groupsOf(out)).toEqual(['A"B', 'A"B']);
  });

  it('skips blank and CR-only lines', () => {
    const out = expectSame('y_pred,race\r\n1,A\r\n\r\n\n\r\n0,B\r\n\r\n') as IngestOutcome;
    expect(groupsOf(out)).toEqual(['A', 'B']);
  });

  it('reads quoted fields anywhere in a row, with escapes, CRLF and newlines, counting lines', () => {
    const csv =
      'id,y_true,y_pred,race\r\n"a\nb","1",0,"x ""y"""\r\n"",0,"1","B"\r\nz,1,1,"C\r\nD"\r\nq,x,1,A\r\n';
    const err = expectSame(csv) as { error: string };
    expect(err.error).toMatch(/^row 4 \(line 7\), column "y_true"/);
    const out = expectSame(csv.replace('q,x', 'q,1')) as IngestOutcome;
    expect(groupsOf(out)).toEqual(['x "y"', 'B', 'C\r\nD', 'A']);
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0, 1, 1]);
  });

  it('fails ragged rows, NUL bytes and bad quotes the same way', () => {
    for (const row of ['1,A,x,extra', '1,A', '1', '1,"A",x,y', '"1"', '1,A\u0000,x', '1,A,"x"y', '1,"A']) {
      const out = expectSame(`y_pred,race,id\n0,B,ok\n${row}\n0,B,ok\n`) as { error?: string };
      expect(out.error).toMatch(/^row 2 \(line 3\)/);
    }
  });

  it('applies the field size limit to fields of exactly the limit and one byte over', () => {
    const limits = { maxFieldBytes: 6 };
    const out = expectSame('y_pred,race\n1,abcdef\r\n0,"abcdef"\n', config(), limits) as IngestOutcome;
    expect(groupsOf(out)).toEqual(['abcdef', 'abcdef']);
    for (const row of ['1,abcdefg', '1,"abcdefg"', '1234567,A']) {
      const err = expectSame(`y_pred,race\n${row}\n`, config(), limits) as { error?: string };
      expect(err.error).toMatch(/^row 1 \(line 2\), column "(race|y_pred)": field larger than 6 bytes/);
    }
  });
});

describe('createCsvIngestor: bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['empty file', '', /empty file/],
    ['header only', 'y_pred,race\n', /no data rows/],
    [
      'unclosed quote',
      'y_pred,race\n1,A\n0,"B\n',
      /row 2 \(line 3\), column "race": has a quote that is never closed/,
    ],
    ['ragged row', 'y_pred,race\n1,A\n0,B,extra\n', /row 2 \(line 3\): 3 fields, but the header has 2/],
    ['NUL byte', 'y_pred,race\n1,A\n0,B\u0000\n', /row 2 \(line 3\), column "race": contains a NUL byte/],
    ['text after a quote', 'y_pred,race\n1,"A"B\n', /text after its closing quote/],
    [
      'duplicate headers',
      'y_pred,race,race,id,id\n1,A,A,1,1\n',
      /Duplicate column names in the header: "race", "id"/,
    ],
    [
      'missing mapped column',
      'y_pred,sex\n1,F\n',
      /column "race" not found.*Available columns: "y_pred", "sex"/,
    ],
    ['nothing to audit', 'y_true,race\n1,A\n', /no prediction or score column/],
    [
      'non-binary label',
      'y_true,y_pred,race\n1,1,A\n2,0,A\n',
      /row 2 \(line 3\), column "y_true": label "2" is not binary/,
    ],
    [
      'non-finite score',
      'score,race\n0.5,A\nInfinity,B\n',
      /row 2 \(line 3\), column "score": score "Infinity" is not a finite number/,
    ],
    ['NaN score', 'score,race\nNaN,A\n', /score "NaN" is not a finite number/],
    ['empty score', 'score,race\n,A\n', /row 1 \(line 2\), column "score": missing score/],
    ['negative weight', 'y_pred,w,race\n1,-1,A\n', /weight "-1" is not a finite number/],
  ];
  it.each(cases)('%s → 400 naming it', (_name, csv, message) => {
    const err = failure(() => ingest(csv, config({ weightColumn: csv.includes(',w,') ? 'w' : undefined })));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(message);
  });

  it('invalid UTF-8 in a group value or in the header is a 400 naming where', () => {
    // 0xff never occurs in UTF-8; 0xc3 0x28 is a lead byte followed by a non-continuation byte.
    const head = enc.encode('y_pred,race\n1,A\n0,');
    for (const bad of [[0xff], [0xc3, 0x28]]) {
      const csv = new Uint8Array([...head, ...bad, 0x0a]);
      const err = failure(() => ingest(csv));
      expect(err.code).toBe('invalid_input');
      expect(err.errors).toEqual([
        {
          row: 2,
          column: 'race',
          message: expect.stringMatching(/^row 2 \(line 3\), column "race".*not valid UTF-8/),
        },
      ]);
    }
    const header = failure(() =>
      ingest(new Uint8Array([...enc.encode('y_pred,r'), 0xff, ...enc.encode('\n1,A\n')])),
    );
    expect(header.message).toMatch(/column 2 of the header is not valid UTF-8/);
    // The same value well-formed (é as 0xc3 0xa9) is a group.
    expect(groupsOf(ingest(new Uint8Array([...head, 0xc3, 0xa9, 0x0a])))).toEqual(['A', 'é']);
  });

  it('counts lines through quoted newlines and blank lines', () => {
    const err = failure(() => ingest('y_true,y_pred,race\n1,1,"A\nB"\n\n1,x,A\n'));
    expect(err.errors).toEqual([
      { row: 2, column: 'y_pred', message: expect.stringMatching(/^row 2 \(line 5\)/) },
    ]);
  });

  it('fails ragged rows even when skipping invalid rows', () => {
    expect(failure(() => ingest('y_pred,race\n1\n', config({ onInvalidRow: 'skip' }))).message).toMatch(
      /1 fields/,
    );
  });

  it('never echoes unmapped values and cuts mapped excerpts to 40 characters', () => {
    const secret = 'PATIENT-0042-SECRET';
    const long = 'x'.repeat(100);
    const err = failure(() => ingest(`id,y_true,y_pred,race\n${secret},${long},1,A\n`));
    expect(err.message).not.toContain(secret);
    expect(err.message).toContain(`"${'x'.repeat(39)}…"`);
    const out = ingest(`id,y_pred,race\n${secret},1,A\n`);
    expect(
      JSON.stringify({ ...out, batch: { ...out.batch, attributes: out.batch.attributes } }),
    ).not.toContain(secret);
    expect(failure(() => ingest(`id,y_pred,race\n${secret},1\n`)).message).not.toContain(secret);
  });

  it('rejects a megabyte field with payload_too_large naming row and column', () => {
    const err = failure(() =>
      ingest(`y_pred,race,note\n1,A,ok\n1,A,${'n'.repeat(1 << 20)}\n`, config(), {}, [30, 70_000]),
    );
    expect(err.code).toBe('payload_too_large');
    expect(err.errors[0]).toMatchObject({ row: 2, column: 'note' });
  });

  it('rejects more rows than maxRows with payload_too_large', () => {
    const err = failure(() => ingest('y_pred,race\n1,A\n1,A\n1,A\n', config(), { maxRows: 2 }));
    expect(err.code).toBe('payload_too_large');
    expect(err.errors[0]?.row).toBe(3);
  });

  it('rejects too many groups as a likely identifier column', () => {
    const rows = Array.from({ length: 6 }, (_, i) => `1,G${i}`).join('\n');
    const err = failure(() => ingest(`y_pred,race\n${rows}\n`, config(), { maxGroupsPerAttribute: 5 }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(
      /row 6 \(line 7\), column "race": more than 5 distinct values; it looks like a free-text or identifier/,
    );
  });

  it('rejects more sensitive attributes than maxAttributes', () => {
    const err = failure(() =>
      createCsvIngestor(config({ sensitiveAttributes: ['a', 'b', 'c'] }), { maxAttributes: 2 }),
    );
    expect(err.code).toBe('invalid_config');
  });

  it('skips invalid rows when told to, counting them and keeping the first 10 row numbers', () => {
    // rows 1..25; the even rows have the label "x" → 12 skipped (2, 4, …, 24), 13 kept; first ten: 2 … 20
    const rows = Array.from({ length: 25 }, (_, i) => ((i + 1) % 2 === 0 ? 'x,1,A' : '1,1,B'));
    const out = ingest(`y_true,y_pred,race\n${rows.join('\n')}\n`, config({ onInvalidRow: 'skip' }));
    expect(out.rowCount).toBe(13);
    expect(out.skippedRows).toBe(12);
    expect(out.firstSkippedRows).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(groupsOf(out)).toEqual(Array(13).fill('B'));
  });
});

describe('createCsvIngestor: published datasets', () => {
  it('reads COMPAS with the group counts of the dataset README', () => {
    const csv = readFileSync(join(DATASETS, 'compas_for_aequitas.csv'));
    const out = ingest(
      csv,
      parseAuditConfig({ labelColumn: 'label_value', sensitiveAttributes: ['race', 'sex'] }),
      {},
      [1000, 65536],
    );
    expect(out.rowCount).toBe(7214);
    expect(countBy(groupsOf(out, 0))).toEqual({
      'African-American': 3696,
      Caucasian: 2454,
      Hispanic: 637,
      Other: 377,
      Asian: 32,
      'Native American': 18,
    });
    expect(countBy(groupsOf(out, 1))).toEqual({ Male: 5819, Female: 1395 });
  });

  it('rejects NYC SQF naming its first empty label, or skips all 13 of them', () => {
    const csv = readFileSync(join(DATASETS, 'nyc_sqf_for_aequitas.csv'));
    // Independent count: data lines whose second comma-separated field is empty.
    const emptyRows = csv
      .toString('utf8')
      .split('\n')
      .slice(1)
      .map((line, i) => ({ row: i + 1, label: line.split(',')[1] }))
      .filter((r) => r.label === '');
    expect(emptyRows).toHaveLength(13);
    const cfg = { labelColumn: 'label_value', sensitiveAttributes: ['race', 'sex'] };
    const err = failure(() => ingest(csv, parseAuditConfig(cfg)));
    expect(err.errors).toEqual([
      { row: emptyRows[0]?.row, column: 'label_value', message: expect.stringMatching(/missing label/) },
    ]);
    const out = ingest(csv, parseAuditConfig({ ...cfg, onInvalidRow: 'skip' }));
    expect(out.skippedRows).toBe(13);
    expect(out.rowCount).toBe(11296 - 13);
    expect(out.firstSkippedRows).toEqual(emptyRows.slice(0, 10).map((r) => r.row));
  });
});
