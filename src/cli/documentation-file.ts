/**
 * `--documentation <file>`: model-card / datasheet fields from a JSON or YAML file (YAML by the .yaml/.yml
 * extension, JSON otherwise). Checked here so a typo is named before anything is uploaded: the file must hold
 * one object whose keys are documentation fields (src/core/compliance/documentation.ts) and whose values are
 * text (YAML dates and numbers are written back as text; null clears a field on update).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { load } from 'js-yaml';
import { DOCUMENTATION_FIELD_NAMES, type Documentation, type DocumentationField } from '../core/compliance';
import { UsageError } from './context';

const MAX_FIELD_LENGTH = 10_000; // the API's limit per field

/** The documentation in `text`, or a UsageError naming the file and what is wrong. */
export function parseDocumentation(text: string, file: string): Documentation {
  const yaml = /^\.ya?ml$/i.test(extname(file));
  let value: unknown;
  try {
    value = yaml ? load(text) : JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${why}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${file}: expected an object of documentation fields, e.g. {"intendedUse": "..."}`);
  const known: readonly string[] = DOCUMENTATION_FIELD_NAMES;
  const doc: Documentation = {};
  const problems: string[] = [];
  for (const [field, raw] of Object.entries(value)) {
    if (!known.includes(field)) {
      problems.push(`unknown field "${field}"`);
      continue;
    }
    const text =
      raw === null
        ? null
        : typeof raw === 'string'
          ? raw
          : typeof raw === 'number'
            ? String(raw)
            : raw instanceof Date && !Number.isNaN(raw.getTime())
              ? raw.toISOString().slice(0, 10) // YAML reads 2024-03-01 as a date
              : undefined;
    if (text === undefined) problems.push(`field "${field}" must be text`);
    else if (text !== null && text.length > MAX_FIELD_LENGTH)
      problems.push(`field "${field}" is longer than ${MAX_FIELD_LENGTH} characters`);
    else doc[field as DocumentationField] = text;
  }
  if (problems.length > 0)
    throw new UsageError(
      `${file}: ${problems.join('; ')} (documentation fields: ${DOCUMENTATION_FIELD_NAMES.join(', ')})`,
    );
  return doc;
}

export async function readDocumentationFile(file: string): Promise<Documentation> {
  return parseDocumentation(await readFile(file, 'utf8'), file);
}
