/**
 * The audit `config` object of POST /v1/models/{modelId}/audits (api-contract.md, "Audits"), validated and
 * normalised with its defaults. Every problem is reported at once as `{field: 'config.<name>', message}`.
 *
 * Column fields have three states: a name (must exist in the upload), `undefined` (use the default name
 * — "y_true", "y_pred", "score" — only if such a column exists) and `null` (do not use one, even if present).
 * Which columns were finally used is decided against the header by `resolveColumns` (column-mapping.ts).
 */
import { DomainError, ProblemDetail } from '../errors';
import { withoutUndefined } from './without-undefined';

export type ReferenceStrategy = 'largest' | 'most_favorable' | 'overall' | 'explicit';
export type PositiveLabel = string | number | boolean;

export interface ReferenceConfig {
  readonly strategy: ReferenceStrategy;
  /** Reference group per sensitive attribute; required for every attribute with `explicit`. */
  readonly groups?: Readonly<Record<string, string>>;
}

/** HTI-1's settings of the data an audit was run on (45 CFR 170.315(b)(11)(iv)(B)(4), (6), (7), (8)). */
export const DATA_SOURCES = ['training', 'internal_test', 'external', 'local'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** What the model predicts (api-contract.md, "Regression and multiclass audits"); "binary" by default. */
export const AUDIT_TASKS = ['binary', 'regression', 'multiclass'] as const;
export type AuditTask = (typeof AUDIT_TASKS)[number];

/** Noise mechanisms an uploader may have applied to the counts before upload (api-contract.md, "Uploads"). */
export const PRIVACY_MECHANISMS = ['laplace', 'gaussian', 'discrete_gaussian', 'geometric'] as const;
export type PrivacyMechanism = (typeof PRIVACY_MECHANISMS)[number];

/** `config.privacy`: the counts were noised before upload with this mechanism at (ε, δ). */
export interface PrivacyConfig {
  readonly mechanism: PrivacyMechanism;
  readonly epsilon: number;
  readonly delta?: number;
}

export interface AuditConfig {
  /** "binary", "regression" or "multiclass"; absent means "binary" (read it with `taskOf`). */
  readonly task?: AuditTask;
  /** Regression only: the numeric outcome (cost, length of stay). */
  readonly targetColumn?: string;
  /** Multiclass only: the class names in display order; without it the classes come from the data. */
  readonly classes?: readonly string[];
  /** A row stands for this many identical rows (a non-negative integer frequency); not a sampling weight. */
  readonly countColumn?: string;
  /** The counts were noised before upload (differential privacy). */
  readonly privacy?: PrivacyConfig;
  readonly labelColumn?: string | null;
  readonly predictionColumn?: string | null;
  readonly scoreColumn?: string | null;
  /** Optional non-negative sample weights (our addition to the contract); no default name. */
  readonly weightColumn?: string;
  readonly threshold: number;
  /** A string matches values exactly (after whitespace stripping); a number must be 0 or 1; or a boolean. */
  readonly positiveLabel: PositiveLabel;
  readonly favorableOutcome: 'positive' | 'negative';
  readonly sensitiveAttributes: readonly string[];
  readonly intersections: readonly (readonly string[])[];
  readonly reference: ReferenceConfig;
  readonly minGroupSize: number;
  readonly missingAttribute: 'group' | 'drop';
  readonly missingTokens: readonly string[];
  readonly onInvalidRow: 'reject' | 'skip';
  readonly name?: string;
  /** ISO 8601 dates or date-times, start ≤ end. */
  readonly periodStart?: string;
  readonly periodEnd?: string;
  readonly notes?: string;
  /** Where the data come from (HTI-1's setting); the audit records "local" when absent. */
  readonly dataSource?: DataSource;
  /** Free text about the data: site, system, extract, who ran the external test. */
  readonly dataSourceDescription?: string;
}

/** The config's task; "binary" when the config does not name one (every audit before tasks existed). */
export function taskOf(config: Pick<AuditConfig, 'task'>): AuditTask {
  return config.task ?? 'binary';
}

/** Default column names, used only when the upload has such a column and the config leaves the field out. */
export const DEFAULT_COLUMNS = { label: 'y_true', prediction: 'y_pred', score: 'score' } as const;

const KNOWN_FIELDS = new Set([
  'task',
  'targetColumn',
  'classes',
  'countColumn',
  'privacy',
  'labelColumn',
  'predictionColumn',
  'scoreColumn',
  'weightColumn',
  'threshold',
  'positiveLabel',
  'favorableOutcome',
  'sensitiveAttributes',
  'intersections',
  'reference',
  'minGroupSize',
  'missingAttribute',
  'missingTokens',
  'onInvalidRow',
  'name',
  'periodStart',
  'periodEnd',
  'notes',
  'dataSource',
  'dataSourceDescription',
]);
const STRATEGIES: readonly ReferenceStrategy[] = ['largest', 'most_favorable', 'overall', 'explicit'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const MAX_TEXT = { name: 200, notes: 10_000, dataSourceDescription: 10_000 } as const;

type Raw = Record<string, unknown>;

/** Collects problems so that all of them are reported together. */
class Problems {
  readonly list: ProblemDetail[] = [];
  add(field: string, message: string): undefined {
    this.list.push({ field: `config.${field}`, message });
    return undefined;
  }
}

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates the raw `config` and fills in its defaults; throws DomainError('invalid_config') listing every problem. */
export function parseAuditConfig(raw: unknown): AuditConfig {
  const p = new Problems();
  if (!isObject(raw)) {
    throw new DomainError('invalid_config', 'config must be a JSON object', [
      { field: 'config', message: 'must be a JSON object' },
    ]);
  }
  for (const key of Object.keys(raw)) if (!KNOWN_FIELDS.has(key)) p.add(key, 'unknown field');

  const sensitiveAttributes = parseAttributes(raw.sensitiveAttributes, p) ?? [];
  const config: AuditConfig = {
    task: oneOf(raw, 'task', AUDIT_TASKS, p),
    targetColumn: optionalText(raw, 'targetColumn', p, 1, 1000),
    classes: parseClasses(raw.classes, p),
    countColumn: optionalText(raw, 'countColumn', p, 1, 1000),
    privacy: parsePrivacy(raw.privacy, p),
    labelColumn: columnField(raw, 'labelColumn', p),
    predictionColumn: columnField(raw, 'predictionColumn', p),
    scoreColumn: columnField(raw, 'scoreColumn', p),
    weightColumn: optionalText(raw, 'weightColumn', p, 1, 1000),
    threshold: finiteNumber(raw, 'threshold', p) ?? 0.5,
    positiveLabel: parsePositiveLabel(raw.positiveLabel, p) ?? 1,
    favorableOutcome: oneOf(raw, 'favorableOutcome', ['positive', 'negative'], p) ?? 'positive',
    sensitiveAttributes,
    intersections: parseIntersections(raw.intersections, sensitiveAttributes, p) ?? [],
    reference: parseReference(raw.reference, sensitiveAttributes, p) ?? { strategy: 'largest' },
    minGroupSize: parseMinGroupSize(raw.minGroupSize, p) ?? 30,
    missingAttribute: oneOf(raw, 'missingAttribute', ['group', 'drop'], p) ?? 'group',
    missingTokens: parseStringList(raw.missingTokens, 'missingTokens', p) ?? [''],
    onInvalidRow: oneOf(raw, 'onInvalidRow', ['reject', 'skip'], p) ?? 'reject',
    name: optionalText(raw, 'name', p, 1, MAX_TEXT.name),
    periodStart: isoDate(raw, 'periodStart', p),
    periodEnd: isoDate(raw, 'periodEnd', p),
    notes: optionalText(raw, 'notes', p, 0, MAX_TEXT.notes),
    dataSource: oneOf(raw, 'dataSource', DATA_SOURCES, p),
    dataSourceDescription: optionalText(raw, 'dataSourceDescription', p, 0, MAX_TEXT.dataSourceDescription),
  };
  checkPeriod(config, p);
  checkTaskFields(config, p);
  if (taskOf(config) === 'regression') checkRegressionFields(raw, p);
  checkDistinctColumns(config, p);
  if (p.list.length > 0) {
    throw new DomainError('invalid_config', `Invalid audit config (${p.list.length} problem(s))`, p.list);
  }
  return withoutUndefined(config);
}

function columnField(raw: Raw, field: string, p: Problems): string | null | undefined {
  if (raw[field] === null) return null;
  return optionalText(raw, field, p, 1, 1000);
}

function optionalText(raw: Raw, field: string, p: Problems, min: number, max: number): string | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return p.add(field, 'must be a string');
  if (v.length < min || v.length > max) return p.add(field, `must have ${min} to ${max} characters`);
  return v;
}

function finiteNumber(raw: Raw, field: string, p: Problems): number | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return p.add(field, 'must be a finite number');
  return v;
}

function oneOf<T extends string>(
  raw: Raw,
  field: string,
  allowed: readonly T[],
  p: Problems,
  prefix = '',
): T | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T))
    return p.add(prefix + field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return v as T;
}

function parsePositiveLabel(v: unknown, p: Problems): PositiveLabel | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (typeof v === 'number')
    return v === 0 || v === 1 ? v : p.add('positiveLabel', 'a number must be 0 or 1');
  if (typeof v === 'string' && v.trim().length > 0) return v.trim();
  return p.add('positiveLabel', 'must be a non-empty string, 0, 1, true or false');
}

function parseStringList(v: unknown, field: string, p: Problems): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    return p.add(field, 'must be a list of strings');
  return v;
}

function parseAttributes(v: unknown, p: Problems): string[] | undefined {
  if (v === undefined) return p.add('sensitiveAttributes', 'is required');
  const list = parseStringList(v, 'sensitiveAttributes', p);
  if (list === undefined) return undefined;
  if (list.length === 0) return p.add('sensitiveAttributes', 'must name at least one column');
  if (list.some((a) => a.length === 0)) return p.add('sensitiveAttributes', 'must not contain empty names');
  const dupes = duplicates(list);
  if (dupes.length > 0) return p.add('sensitiveAttributes', `lists ${dupes.join(', ')} more than once`);
  return list;
}

function parseIntersections(v: unknown, attributes: readonly string[], p: Problems): string[][] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return p.add('intersections', 'must be a list of attribute lists');
  const seen = new Set<string>();
  v.forEach((entry, i) => {
    const field = `intersections[${i}]`;
    if (!Array.isArray(entry) || entry.length < 2 || !entry.every((a) => typeof a === 'string')) {
      return p.add(field, 'must be a list of at least 2 attribute names');
    }
    const names = entry;
    const unknown = names.filter((a) => !attributes.includes(a));
    if (unknown.length > 0) p.add(field, `${unknown.join(', ')} not in sensitiveAttributes`);
    if (duplicates(names).length > 0) p.add(field, 'lists an attribute more than once');
    const key = [...names].sort().join('\u0000');
    if (seen.has(key)) p.add(field, 'repeats an earlier intersection');
    seen.add(key);
  });
  return v as string[][];
}

function parseReference(v: unknown, attributes: readonly string[], p: Problems): ReferenceConfig | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) return p.add('reference', 'must be an object {strategy, groups?}');
  for (const key of Object.keys(v))
    if (key !== 'strategy' && key !== 'groups') p.add(`reference.${key}`, 'unknown field');
  const strategy = oneOf(v, 'strategy', STRATEGIES, p, 'reference.');
  const groups = parseReferenceGroups(v.groups, attributes, p);
  if (strategy === 'explicit') {
    const missing = attributes.filter((a) => groups?.[a] === undefined);
    if (missing.length > 0)
      p.add('reference.groups', `explicit strategy needs a group for ${missing.join(', ')}`);
  }
  return { strategy: strategy ?? 'largest', ...(groups ? { groups } : {}) };
}

function parseReferenceGroups(
  v: unknown,
  attributes: readonly string[],
  p: Problems,
): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || !Object.values(v).every((g) => typeof g === 'string')) {
    return p.add('reference.groups', 'must map attribute names to group names');
  }
  const unknown = Object.keys(v).filter((a) => !attributes.includes(a));
  if (unknown.length > 0) p.add('reference.groups', `${unknown.join(', ')} not in sensitiveAttributes`);
  return v as Record<string, string>;
}

function parseMinGroupSize(v: unknown, p: Problems): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return p.add('minGroupSize', 'must be an integer ≥ 1');
  return v;
}

function isoDate(raw: Raw, field: string, p: Problems): string | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) {
    return p.add(field, 'must be an ISO 8601 date (YYYY-MM-DD) or date-time');
  }
  return v;
}

function checkPeriod(c: AuditConfig, p: Problems): void {
  if (
    c.periodStart !== undefined &&
    c.periodEnd !== undefined &&
    Date.parse(c.periodStart) > Date.parse(c.periodEnd)
  ) {
    p.add('periodEnd', 'must not be before periodStart');
  }
}

/** One column plays one role: label, prediction, score, weight and the attributes must all differ. */
function checkDistinctColumns(c: AuditConfig, p: Problems): void {
  const roles: [string, string | null | undefined][] = [
    ['targetColumn', c.targetColumn],
    ['labelColumn', c.labelColumn],
    ['predictionColumn', c.predictionColumn],
    ['scoreColumn', c.scoreColumn],
    ['weightColumn', c.weightColumn],
    ['countColumn', c.countColumn],
  ];
  const named = roles.filter((r): r is [string, string] => typeof r[1] === 'string');
  named.forEach(([field, column], i) => {
    const clash = named.slice(0, i).find(([, other]) => other === column);
    if (clash) p.add(field, `uses column "${column}" already used by ${clash[0]}`);
    if (c.sensitiveAttributes.includes(column))
      p.add(field, `column "${column}" is also a sensitive attribute`);
  });
}

/** Fields that belong to one task are refused with another; counts and sampling weights do not mix. */
function checkTaskFields(c: AuditConfig, p: Problems): void {
  const task = taskOf(c);
  if (c.targetColumn !== undefined && task !== 'regression')
    p.add('targetColumn', 'is only used with task "regression"');
  if (c.classes !== undefined && task !== 'multiclass')
    p.add('classes', 'is only used with task "multiclass"');
  if (c.countColumn !== undefined && c.weightColumn !== undefined)
    p.add('countColumn', 'cannot be combined with weightColumn (frequencies and sampling weights differ)');
}

/**
 * Settings of binary audits that a regression audit cannot honour: refused rather than silently ignored
 * (its target is `targetColumn`, its prediction is the number itself).
 */
const BINARY_ONLY_FIELDS = {
  labelColumn: 'use targetColumn for the outcome of a regression audit',
  scoreColumn: 'a regression audit has no score: its prediction (predictionColumn) is the number',
  threshold: 'a regression audit has no threshold: its prediction is the number',
  positiveLabel: 'a regression audit has no positive label',
  favorableOutcome: 'a regression audit has no favorable outcome',
} as const;

function checkRegressionFields(raw: Raw, p: Problems): void {
  for (const [field, why] of Object.entries(BINARY_ONLY_FIELDS)) {
    // null "do not use a column" is harmless; any other value is a binary setting.
    if (raw[field] !== undefined && raw[field] !== null)
      p.add(field, `is not used with task "regression": ${why}`);
  }
}

function parseClasses(v: unknown, p: Problems): string[] | undefined {
  const list = parseStringList(v, 'classes', p);
  if (list === undefined) return undefined;
  const names = list.map((c) => c.trim());
  if (names.length < 2) return p.add('classes', 'must name at least 2 classes');
  if (names.some((c) => c.length === 0)) return p.add('classes', 'must not contain empty names');
  const dupes = duplicates(names);
  if (dupes.length > 0) return p.add('classes', `lists ${dupes.join(', ')} more than once`);
  return names;
}

function parsePrivacy(v: unknown, p: Problems): PrivacyConfig | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) return p.add('privacy', 'must be an object {mechanism, epsilon, delta?}');
  for (const key of Object.keys(v))
    if (!['mechanism', 'epsilon', 'delta'].includes(key)) p.add(`privacy.${key}`, 'unknown field');
  const mechanism = oneOf(v, 'mechanism', PRIVACY_MECHANISMS, p, 'privacy.');
  if (v.mechanism === undefined) p.add('privacy.mechanism', 'is required');
  const epsilon = v.epsilon;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0)
    p.add('privacy.epsilon', 'must be a finite number > 0');
  const delta = v.delta;
  if (delta !== undefined && (typeof delta !== 'number' || !(delta > 0 && delta < 1)))
    p.add('privacy.delta', 'must be a number in (0, 1)');
  if (mechanism === undefined || typeof epsilon !== 'number') return undefined;
  return withoutUndefined({ mechanism, epsilon, delta: typeof delta === 'number' ? delta : undefined });
}

function duplicates(list: readonly string[]): string[] {
  return [...new Set(list.filter((x, i) => list.indexOf(x) !== i))];
}
