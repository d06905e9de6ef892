import { DomainError } from '../errors';
import { ColumnarBatch, MISSING_CODE } from './batch';
import { decodeBatch, encodeBatch } from './batch-codec';

const full: ColumnarBatch = {
  rowCount: 3,
  labels: new Uint8Array([1, 0, 1]),
  predictions: new Uint8Array([0, 1, 1]),
  scores: new Float64Array([0.1 + 0.2, -0, Number.MIN_VALUE]),
  weights: new Float64Array([1, 2.5, 0]),
  attributes: [
    { name: 'race', levels: ['Black', 'Wei\u00df', '\u767d'], codes: new Uint16Array([0, 2, 1]) },
    { name: 'sex', levels: ['F'], codes: new Uint16Array([0, MISSING_CODE, 0]) },
  ],
};

describe('batch codec', () => {
  it('round-trips every column exactly, scores bit for bit', () => {
    const back = decodeBatch(encodeBatch(full));
    expect(back).toEqual(full);
    expect(Object.is(back.scores?.[1], -0)).toBe(true);
    expect(back.scores?.[0]).toBe(0.30000000000000004);
  });

  it('round-trips a label-free batch without scores or weights, also from an unaligned copy', () => {
    const minimal: ColumnarBatch = {
      rowCount: 5,
      predictions: new Uint8Array([1, 0, 0, 1, 1]),
      attributes: [],
    };
    const encoded = encodeBatch(minimal);
    const shifted = new Uint8Array(encoded.length + 3);
    shifted.set(encoded, 3);
    expect(decodeBatch(shifted.subarray(3))).toEqual(minimal);
  });

  it('round-trips a regression batch: targets and predicted values bit for bit, flags 16 and 32', () => {
    const regression: ColumnarBatch = {
      rowCount: 3,
      predictions: new Uint8Array(3),
      targets: new Float64Array([3.5, -0, 1e300]),
      predictedValues: new Float64Array([0.1 + 0.2, 2, -7.25]),
      attributes: [{ name: 'sex', levels: ['F', 'M'], codes: new Uint16Array([1, 0, 1]) }],
    };
    const encoded = encodeBatch(regression);
    expect(new DataView(encoded.buffer).getUint16(6, true)).toBe(16 | 32);
    const back = decodeBatch(encoded);
    expect(back).toEqual(regression);
    expect(Object.is(back.targets?.[1], -0)).toBe(true);
    expect(back.predictedValues?.[0]).toBe(0.30000000000000004);
    // A binary batch has neither section.
    expect(decodeBatch(encodeBatch(full)).targets).toBeUndefined();
  });

  it('lays sections out 8-byte aligned after a 16-byte header', () => {
    // 16 header + meta JSON {"attributes":[]} (17 bytes) → 40 after padding; 5 predictions → 8.
    const encoded = encodeBatch({ rowCount: 5, predictions: new Uint8Array(5), attributes: [] });
    expect(encoded.length).toBe(48);
    expect(new TextDecoder().decode(encoded.subarray(0, 4))).toBe('FWCB');
  });

  it('rejects bad magic, other versions and truncated blobs', () => {
    const encoded = encodeBatch(full);
    const badMagic = encoded.slice();
    badMagic[0] = 0;
    const otherVersion = encoded.slice();
    otherVersion[4] = 9;
    for (const bytes of [
      badMagic,
      otherVersion,
      encoded.subarray(0, encoded.length - 8),
      new Uint8Array(4),
    ]) {
      expect(() => decodeBatch(bytes)).toThrow(DomainError);
    }
  });
});
