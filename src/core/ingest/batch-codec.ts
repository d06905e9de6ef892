/**
 * Storage codec of a ColumnarBatch: compact, versioned, little-endian, exact round trip (scores, weights and
 * counts bit-exact). Layout (every section starts 8-byte aligned):
 *
 *   0  magic "FWCB" | 4 u16 version (1) | 6 u16 flags (1 labels, 2 scores, 4 weights, 8 counts, 16 targets,
 *      32 predicted values) | 8 u32 rowCount
 *   12 u32 byte length L of the meta JSON | 16 meta: UTF-8 JSON {attributes: [{name, levels}]}
 *   then, each padded to 8 bytes: predictions (u8 per row), labels (u8 per row), scores (f64), weights (f64),
 *   counts (f64), targets (f64), predicted values (f64), one u16 code array per attribute.
 *
 * Counts, targets and predicted values came with flags and no new version: the flags say which optional
 * sections follow, so every stored blob still decodes unchanged. A flag this decoder does not know is refused
 * rather than misread.
 *
 * Labels and predictions are stored one byte per row rather than bit-packed: simpler and directly usable
 * as Uint8Array views; the storage layer may compress the blob.
 */
import { DomainError } from '../errors';
import { AttributeColumn, ColumnarBatch } from './batch';

const MAGIC = 0x42435746; // "FWCB" read as a little-endian u32
/** The format version encodeBatch writes (the u16 at byte 4), stored beside each blob. */
export const BATCH_FORMAT_VERSION = 1;
const HEADER_BYTES = 16;
const FLAG = { labels: 1, scores: 2, weights: 4, counts: 8, targets: 16, predictedValues: 32 } as const;
const KNOWN_FLAGS =
  FLAG.labels | FLAG.scores | FLAG.weights | FLAG.counts | FLAG.targets | FLAG.predictedValues;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Section = Uint8Array | Uint16Array | Float64Array;

interface Meta {
  attributes: { name: string; levels: readonly string[] }[];
  classes?: readonly string[];
}

export function encodeBatch(batch: ColumnarBatch): Uint8Array {
  requireLittleEndian();
  const meta = new TextEncoder().encode(
    JSON.stringify({
      attributes: batch.attributes.map((a) => ({ name: a.name, levels: a.levels })),
      ...(batch.classes && { classes: batch.classes }),
    } satisfies Meta),
  );
  const sections = sectionsOf(batch);
  let size = align(HEADER_BYTES + meta.length);
  for (const s of sections) size += align(s.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, BATCH_FORMAT_VERSION, true);
  view.setUint16(6, flagsOf(batch), true);
  view.setUint32(8, batch.rowCount, true);
  view.setUint32(12, meta.length, true);
  out.set(meta, HEADER_BYTES);
  let offset = align(HEADER_BYTES + meta.length);
  for (const s of sections) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offset);
    offset += align(s.byteLength);
  }
  return out;
}

export function decodeBatch(bytes: Uint8Array): ColumnarBatch {
  requireLittleEndian();
  if (bytes.length < HEADER_BYTES) corrupt('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) corrupt('bad magic');
  if (view.getUint16(4, true) !== BATCH_FORMAT_VERSION)
    corrupt(`unsupported version ${view.getUint16(4, true)}`);
  const flags = view.getUint16(6, true);
  if ((flags & ~KNOWN_FLAGS) !== 0) corrupt(`unknown flags ${flags}`);
  const n = view.getUint32(8, true);
  const metaLength = view.getUint32(12, true);
  const meta = parseMeta(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength));
  const reader = new SectionReader(bytes, align(HEADER_BYTES + metaLength));
  const predictions = reader.take(n, Uint8Array);
  const labels = flags & FLAG.labels ? reader.take(n, Uint8Array) : undefined;
  const scores = flags & FLAG.scores ? reader.take(n, Float64Array) : undefined;
  const weights = flags & FLAG.weights ? reader.take(n, Float64Array) : undefined;
  const counts = flags & FLAG.counts ? reader.take(n, Float64Array) : undefined;
  const targets = flags & FLAG.targets ? reader.take(n, Float64Array) : undefined;
  const predictedValues = flags & FLAG.predictedValues ? reader.take(n, Float64Array) : undefined;
  const attributes: AttributeColumn[] = meta.attributes.map((a) => ({
    ...a,
    codes: reader.take(n, Uint16Array),
  }));
  return {
    rowCount: n,
    ...(labels && { labels }),
    predictions,
    ...(scores && { scores }),
    ...(weights && { weights }),
    ...(counts && { counts }),
    ...(targets && { targets }),
    ...(predictedValues && { predictedValues }),
    attributes,
    ...(meta.classes && { classes: meta.classes }),
  };
}

function sectionsOf(batch: ColumnarBatch): Section[] {
  const optional = [
    batch.labels,
    batch.scores,
    batch.weights,
    batch.counts,
    batch.targets,
    batch.predictedValues,
  ].filter((s): s is Uint8Array | Float64Array => !!s);
  return [batch.predictions, ...optional, ...batch.attributes.map((a) => a.codes)];
}

function flagsOf(batch: ColumnarBatch): number {
  return (
    (batch.labels ? FLAG.labels : 0) |
    (batch.scores ? FLAG.scores : 0) |
    (batch.weights ? FLAG.weights : 0) |
    (batch.counts ? FLAG.counts : 0) |
    (batch.targets ? FLAG.targets : 0) |
    (batch.predictedValues ? FLAG.predictedValues : 0)
  );
}

/** Copies typed arrays out of the blob (the blob's offset may not be aligned for a view). */
class SectionReader {
  constructor(
    private readonly bytes: Uint8Array,
    private offset: number,
  ) {}

  take<T extends Section>(n: number, type: { new (length: number): T; BYTES_PER_ELEMENT: number }): T {
    const byteLength = n * type.BYTES_PER_ELEMENT;
    if (this.offset + byteLength > this.bytes.length) corrupt('truncated');
    const out = new type(n);
    new Uint8Array(out.buffer).set(this.bytes.subarray(this.offset, this.offset + byteLength));
    this.offset += align(byteLength);
    return out;
  }
}

function parseMeta(bytes: Uint8Array): Meta {
  try {
    const meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Meta;
    if (!Array.isArray(meta.attributes)) corrupt('bad metadata');
    if (meta.classes !== undefined && !Array.isArray(meta.classes)) corrupt('bad metadata');
    return meta;
  } catch {
    return corrupt('bad metadata');
  }
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function requireLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error('batch codec: big-endian platforms are not supported');
}

function corrupt(why: string): never {
  throw new DomainError('invalid_input', `Stored batch is corrupt: ${why}`);
}
