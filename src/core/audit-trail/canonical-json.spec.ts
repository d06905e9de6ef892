import { canonicalJson, storableJson } from './canonical-json';

/** The IEEE 754 double with these bits (RFC 8785 Appendix B lists numbers by their bits). */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785 style)', () => {
  it('sorts keys at every depth, whatever the insertion order', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
    const b = { a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('orders integer-like keys as strings, not as JavaScript lists them', () => {
    // JavaScript enumerates {"10", "2", "a"} as 2, 10, a; UTF-16 order is "10" < "2" < "a".
    expect(canonicalJson({ a: 3, 2: 2, 10: 1 })).toBe('{"10":1,"2":2,"a":3}');
  });

  it('orders keys by UTF-16 code units (RFC 8785 section 3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes the RFC 8785 section 3.2.2 example as the RFC does', () => {
    const input = {
      numbers: [Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('writes numbers as RFC 8785 Appendix B does', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'], // -0
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['41b3de4355555555', '333333333.3333333'],
    ];
    for (const [bits, text] of cases) expect([bits, canonicalJson(double(bits))]).toEqual([bits, text]);
    expect(canonicalJson([1e21, -0, 0.1 + 0.2, 1e-7, 100, -1.5])).toBe(
      '[1e+21,0,0.30000000000000004,1e-7,100,-1.5]',
    );
  });

  it('escapes only quote, backslash and control characters; other unicode is written as is', () => {
    expect(canonicalJson('é \u2028 😀 \u0000 \u001f \b\t\n\f\r "q" \\ /')).toBe(
      '"é \u2028 😀 \\u0000 \\u001f \\b\\t\\n\\f\\r \\"q\\" \\\\ /"',
    );
    // Composed and decomposed forms are different strings: no normalization.
    expect(canonicalJson('\u00e9')).not.toBe(canonicalJson('e\u0301'));
  });

  it('refuses what is not JSON', () => {
    for (const bad of [
      NaN,
      Infinity,
      -Infinity,
      undefined,
      1n,
      () => 1,
      new Date(0),
      { a: undefined },
      ['\ud800'],
    ]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });
});

describe('storableJson', () => {
  it('keeps what JSON keeps and replaces what jsonb cannot store', () => {
    const stored = storableJson({
      a: undefined,
      n: NaN,
      d: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
      s: 'x\u0000y\ud800z',
      nested: [{ inf: Infinity, ok: 'é' }],
      ['__proto__']: 'member',
    });
    expect(canonicalJson(stored)).toBe(
      '{"__proto__":"member","d":"2026-01-02T03:04:05.006Z","n":null,"nested":[{"inf":null,"ok":"é"}],"s":"x\ufffdy\ufffdz"}',
    );
  });
});
