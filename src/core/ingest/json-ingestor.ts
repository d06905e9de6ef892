/**
 * JSON front ends: `{records: [{column: value}]}` and `{columns: {column: [values]}}`. Values may be JSON
 * numbers, booleans or strings; null (or an absent key) is missing. They go through the ColumnarIngestor (the
 * text a CSV would hold, then the same builder), so the same data gives the same outcome whichever way it was
 * sent. Rows are the 1-based record / array index.
 */
import { DomainError } from '../errors';
import { AuditConfig } from './audit-config';
import { IngestOutcome } from './batch-builder';
import { ColumnarIngestor } from './columnar-ingestor';
import { IngestLimits } from './limits';

type JsonObject = Record<string, unknown>;

/** Ingests `{records: [...]}`; the columns are the keys of all records, in order of first appearance. */
export function ingestJsonRecords(
  body: unknown,
  config: AuditConfig,
  limits: Partial<IngestLimits> = {},
): IngestOutcome {
  const records = requireField(body, 'records', Array.isArray) as unknown[];
  const columns = new Set<string>();
  records.forEach((record, i) => {
    if (!isObject(record)) throw invalid(`record ${i + 1} is not a JSON object`, { row: i + 1 });
    for (const key of Object.keys(record)) columns.add(key);
  });
  return ingestRows(
    config,
    limits,
    [...columns],
    records.length,
    // Own keys only: a record without a "toString" column must not read Object.prototype.toString.
    (i, column) => {
      const record = records[i] as JsonObject;
      return Object.hasOwn(record, column) ? record[column] : undefined;
    },
  );
}

/** Ingests `{columns: {name: [...]}}`; every column must be an array of the same length. */
export function ingestJsonColumns(
  body: unknown,
  config: AuditConfig,
  limits: Partial<IngestLimits> = {},
): IngestOutcome {
  const columns = requireField(body, 'columns', isObject) as JsonObject;
  const names = Object.keys(columns);
  const notArrays = names.filter((name) => !Array.isArray(columns[name]));
  if (notArrays.length > 0)
    throw invalid(`columns ${quoted(notArrays)} are not arrays`, { field: 'columns' });
  const lengths = names.map((name) => (columns[name] as unknown[]).length);
  if (new Set(lengths).size > 1) {
    const listed = names.map((name, k) => `"${name}" (${lengths[k]})`).join(', ');
    throw invalid(`columns have different lengths: ${listed}`, { field: 'columns' });
  }
  return ingestRows(config, limits, names, lengths[0] ?? 0, (i, column) => (columns[column] as unknown[])[i]);
}

function ingestRows(
  config: AuditConfig,
  limits: Partial<IngestLimits>,
  columns: readonly string[],
  rowCount: number,
  valueAt: (index: number, column: string) => unknown,
): IngestOutcome {
  const ingestor = new ColumnarIngestor(config, columns, limits, (row) => `record ${row}`);
  const names = ingestor.mapped.map((m) => m.name);
  ingestor.addRows(rowCount, (i, k) => valueAt(i, names[k] as string));
  return ingestor.finish();
}

function requireField(body: unknown, field: string, check: (v: unknown) => boolean): unknown {
  const value = isObject(body) ? body[field] : undefined;
  if (!check(value)) throw invalid(`body.${field} is missing or has the wrong type`, { field });
  return value;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function invalid(message: string, where: { field?: string; row?: number; column?: string }): DomainError {
  return new DomainError('invalid_input', message, [{ ...where, message }]);
}
