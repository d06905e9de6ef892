/**
 * Maps the config's columns onto the upload's column names (CSV header or JSON keys), applying the
 * "default if present" rule of the contract.
 */
import { DomainError, ProblemDetail } from '../errors';
import { AuditConfig, DEFAULT_COLUMNS, taskOf } from './audit-config';
import { withoutUndefined } from './without-undefined';

/** The columns finally used, by name. */
export interface ColumnsUsed {
  /** Regression only: the numeric outcome (`targetColumn`, default "y_true" when present). */
  readonly target?: string;
  readonly label?: string;
  readonly prediction?: string;
  readonly score?: string;
  readonly weight?: string;
  readonly attributes: readonly string[];
}

/** Position in the upload's column list of each used column. */
export interface ColumnIndexes {
  readonly target?: number;
  readonly label?: number;
  readonly prediction?: number;
  readonly score?: number;
  readonly weight?: number;
  readonly attributes: readonly number[];
}

export interface ColumnMapping {
  readonly used: ColumnsUsed;
  readonly indexes: ColumnIndexes;
}

const MAX_LISTED_COLUMNS = 50;

/** Resolves the mapping; throws DomainError('invalid_input') for duplicate names, missing columns or nothing to audit. */
export function resolveColumns(config: AuditConfig, columns: readonly string[]): ColumnMapping {
  rejectDuplicateNames(columns);
  const problems: ProblemDetail[] = [];
  const find = (field: string, name: string): number | undefined => {
    const index = columns.indexOf(name);
    if (index < 0)
      problems.push({ field: `config.${field}`, column: name, message: `column "${name}" not found` });
    return index < 0 ? undefined : index;
  };
  // A default name ("score", ...) is used only when the upload has it and the config does not already give that
  // column another role (COMPAS: `predictionColumn: "score"` must not also make "score" the score column).
  const named = new Set(
    [
      config.targetColumn,
      config.labelColumn,
      config.predictionColumn,
      config.scoreColumn,
      config.weightColumn,
      ...config.sensitiveAttributes,
    ].filter((c): c is string => typeof c === 'string'),
  );
  const pick = (field: string, choice: string | null | undefined, fallback?: string): string | undefined => {
    if (choice === null) return undefined;
    if (choice !== undefined) return find(field, choice) === undefined ? undefined : choice;
    return fallback !== undefined && columns.includes(fallback) && !named.has(fallback)
      ? fallback
      : undefined;
  };
  // A regression audit reads its target where a binary one reads its label (the same default name, "y_true")
  // and has no score: its prediction is the number.
  const regression = taskOf(config) === 'regression';
  const used: ColumnsUsed = {
    target: regression ? pick('targetColumn', config.targetColumn, DEFAULT_COLUMNS.label) : undefined,
    label: regression ? undefined : pick('labelColumn', config.labelColumn, DEFAULT_COLUMNS.label),
    prediction: pick('predictionColumn', config.predictionColumn, DEFAULT_COLUMNS.prediction),
    score: regression ? undefined : pick('scoreColumn', config.scoreColumn, DEFAULT_COLUMNS.score),
    weight: pick('weightColumn', config.weightColumn),
    attributes: config.sensitiveAttributes.filter((a) => find('sensitiveAttributes', a) !== undefined),
  };
  if (problems.length > 0) {
    throw new DomainError(
      'invalid_input',
      `${problems.map((p) => p.message).join('; ')}. ${listColumns(columns)}`,
      problems,
    );
  }
  if (regression) requireRegressionColumns(used, columns);
  if (used.prediction === undefined && used.score === undefined) {
    throw new DomainError(
      'invalid_input',
      `Nothing to audit: no prediction or score column. ${listColumns(columns)}`,
      [
        {
          field: 'config.predictionColumn',
          message: 'no prediction column and no score column to derive it from',
        },
      ],
    );
  }
  return { used: withoutUndefined(used), indexes: indexesOf(used, columns) };
}

function indexesOf(used: ColumnsUsed, columns: readonly string[]): ColumnIndexes {
  const at = (name: string | undefined): number | undefined =>
    name === undefined ? undefined : columns.indexOf(name);
  return withoutUndefined({
    target: at(used.target),
    label: at(used.label),
    prediction: at(used.prediction),
    score: at(used.score),
    weight: at(used.weight),
    attributes: used.attributes.map((a) => columns.indexOf(a)),
  });
}

/** A regression audit needs both numbers: its target and its prediction. */
function requireRegressionColumns(used: ColumnsUsed, columns: readonly string[]): void {
  const missing: ProblemDetail[] = [];
  if (used.target === undefined)
    missing.push({
      field: 'config.targetColumn',
      message: `no target column: name one with targetColumn (or upload a "${DEFAULT_COLUMNS.label}" column)`,
    });
  if (used.prediction === undefined)
    missing.push({
      field: 'config.predictionColumn',
      message: `no prediction column: name one with predictionColumn (or upload a "${DEFAULT_COLUMNS.prediction}" column)`,
    });
  if (missing.length === 0) return;
  const message = `Nothing to audit: ${missing.map((p) => p.message).join('; ')}. ${listColumns(columns)}`;
  throw new DomainError('invalid_input', message, missing);
}

function rejectDuplicateNames(columns: readonly string[]): void {
  const dupes = [...new Set(columns.filter((c, i) => columns.indexOf(c) !== i))];
  if (dupes.length === 0) return;
  const names = dupes.map((d) => `"${d}"`).join(', ');
  throw new DomainError('invalid_input', `Duplicate column names in the header: ${names}`, [
    { row: 0, message: `duplicate column names: ${names}` },
  ]);
}

function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, MAX_LISTED_COLUMNS).map((c) => `"${c}"`);
  const more = columns.length > MAX_LISTED_COLUMNS ? ` and ${columns.length - MAX_LISTED_COLUMNS} more` : '';
  return `Available columns: ${shown.join(', ')}${more}.`;
}
