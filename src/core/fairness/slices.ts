import { DomainError } from '../errors';
import { AttributeColumn, ColumnarBatch, MISSING_CODE } from '../ingest/batch';

/**
 * A slice: the partition of the rows by one attribute or one intersection, as a group code per row.
 * Codes are dense and ordered by group name (so "first by name" is the lowest code); MISSING_CODE marks
 * a row the slice leaves out (missingAttribute = "drop").
 */
export interface SliceSpec {
  attributes: string[];
  codes: Uint16Array;
  /** keys[g] = the group's value per attribute, in `attributes` order. */
  keys: string[][];
  droppedRows: number;
}

/** Largest number of combinations of an intersection the engine will index. */
const MAX_COMBINATIONS = 1 << 24;

/** The whole sample as a slice with one group. */
export function overallSlice(rowCount: number): SliceSpec {
  return { attributes: [], codes: new Uint16Array(rowCount), keys: [[]], droppedRows: 0 };
}

/** One slice per sensitive attribute, then one per intersection (empty combinations omitted). */
export function buildSlices(
  batch: ColumnarBatch,
  intersections: readonly (readonly string[])[],
): SliceSpec[] {
  const byName = new Map(batch.attributes.map((a) => [a.name, a]));
  const lookup = (name: string): AttributeColumn => {
    const column = byName.get(name);
    if (column === undefined) {
      throw new DomainError('invalid_config', `Intersection attribute ${name} is not a sensitive attribute`, [
        { field: 'intersections', message: `unknown attribute ${name}` },
      ]);
    }
    return column;
  };
  return [
    ...batch.attributes.map(attributeSlice),
    ...intersections.map((names) => intersectionSlice(names.map(lookup))),
  ];
}

/** Every level is a group, even one without rows; codes are re-ordered by name. */
function attributeSlice(column: AttributeColumn): SliceSpec {
  const byName = column.levels
    .map((name, code) => ({ name, code }))
    .sort((a, b) => compareText(a.name, b.name));
  const remap = new Uint16Array(MISSING_CODE + 1).fill(MISSING_CODE);
  byName.forEach((entry, rank) => (remap[entry.code] = rank));
  const codes = new Uint16Array(column.codes.length);
  let droppedRows = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = remap[column.codes[i] as number] as number;
    codes[i] = code;
    if (code === MISSING_CODE) droppedRows++;
  }
  return { attributes: [column.name], codes, keys: byName.map((e) => [e.name]), droppedRows };
}

/** Combined mixed-radix codes, compacted to the combinations that occur, ordered by name tuple. */
function intersectionSlice(columns: AttributeColumn[]): SliceSpec {
  const attributes = columns.map((c) => c.name);
  const combinations = columns.reduce((product, c) => product * c.levels.length, 1);
  if (combinations > MAX_COMBINATIONS) {
    throw new DomainError(
      'invalid_config',
      `Intersection ${attributes.join(' × ')} has too many combinations`,
    );
  }
  const n = columns[0]?.codes.length ?? 0;
  const combined = combineCodes(columns, n);
  const present = new Uint8Array(combinations);
  for (let i = 0; i < n; i++) if (combined[i]! >= 0) present[combined[i]!] = 1;
  const groups = presentCombinations(present, columns);
  if (groups.length >= MISSING_CODE) {
    throw new DomainError('invalid_config', `Intersection ${attributes.join(' × ')} has too many groups`);
  }
  const remap = new Uint16Array(combinations);
  groups.forEach((g, rank) => (remap[g.code] = rank));
  const codes = new Uint16Array(n);
  let droppedRows = 0;
  for (let i = 0; i < n; i++) {
    const code = combined[i] as number;
    codes[i] = code < 0 ? MISSING_CODE : (remap[code] as number);
    if (code < 0) droppedRows++;
  }
  return { attributes, codes, keys: groups.map((g) => g.key), droppedRows };
}

/** Mixed-radix code of each row's combination, a column at a time; −1 when any value is missing. */
function combineCodes(columns: readonly AttributeColumn[], n: number): Int32Array {
  const combined = new Int32Array(n);
  for (const column of columns) {
    const { codes } = column;
    const radix = column.levels.length;
    for (let i = 0; i < n; i++) {
      const level = codes[i]!;
      const code = combined[i]!;
      combined[i] = code < 0 || level === MISSING_CODE ? -1 : code * radix + level;
    }
  }
  return combined;
}

function presentCombinations(
  present: Uint8Array,
  columns: AttributeColumn[],
): { code: number; key: string[] }[] {
  const groups: { code: number; key: string[] }[] = [];
  for (let code = 0; code < present.length; code++) {
    if (present[code] === 1) groups.push({ code, key: decode(code, columns) });
  }
  return groups.sort((a, b) => compareKeys(a.key, b.key));
}

function decode(code: number, columns: AttributeColumn[]): string[] {
  const key: string[] = [];
  let rest = code;
  for (let c = columns.length - 1; c >= 0; c--) {
    const levels = (columns[c] as AttributeColumn).levels;
    key[c] = levels[rest % levels.length] as string;
    rest = Math.floor(rest / levels.length);
  }
  return key;
}

/** Code-unit order: deterministic and locale-independent. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareText(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return 0;
}
