import type { OpenAPIObject } from '@nestjs/swagger';
import { OPERATION_DOCS } from './operation-docs';

/** What every error status means on every route; a route's own decorator text wins. */
const STANDARD_ERRORS: Readonly<Record<string, string>> = {
  '400': 'Invalid input: the problem lists each field (or row and column) at fault; nothing was changed',
  '401': 'Missing, unknown or revoked API key',
  '403': "The key's role may not do this",
  '404': 'Not found (an object of another organization is reported the same way)',
  '409': 'Conflicts with the current state; nothing was changed',
  '413': 'Over a size limit; nothing was stored',
  '415': 'Unsupported media type',
  '429': 'Rate limit exceeded: retry after the seconds in Retry-After',
  '503': 'The database does not answer',
};

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  example?: unknown;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  default?: unknown;
  required?: string[];
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  operationId?: string;
  description?: string;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}

/** Values for formats whose type alone would give a meaningless example. */
const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  uuid: '3f6c2a0e-8d4b-4c1e-9b7a-5d2e1f0a9c31',
  'date-time': '2026-03-31T23:59:59.000Z',
  date: '2026-03-31',
  binary: '(file bytes)',
};

/** Properties that hold a number of people, rows or events: their example is a whole number. */
const COUNT_NAME = /(count|rows|checked|size|total)$|^(n|seq)$/i;

/**
 * An example built from a schema: each property's own `example` where the DTO gives one, else its first enum
 * value, else its default, else a value of its type and format (a whole number for counts). Arrays get one item; recursion stops at a fixed depth.
 */
export function exampleFromSchema(
  schema: Schema | undefined,
  schemas: Record<string, Schema>,
  depth = 0,
  name = '',
): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) {
    return exampleFromSchema(schemas[schema.$ref.split('/').pop() ?? ''], schemas, depth + 1, name);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined && typeof schema.default !== 'string') return schema.default;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return exampleFromSchema(variant, schemas, depth + 1);
  if (schema.allOf) {
    return Object.assign(
      {},
      ...schema.allOf.map((s) => exampleFromSchema(s, schemas, depth + 1) ?? {}),
    ) as unknown;
  }
  switch (schema.type) {
    case 'object':
    case undefined: {
      if (!schema.properties) {
        const values =
          typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
        return values ? { key: exampleFromSchema(values, schemas, depth + 1) } : {};
      }
      const out: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [property, sub] of Object.entries(schema.properties)) {
        // An optional free-text field without an example of its own would only show "string": leave it out.
        if (!required.has(property) && isBareString(sub)) continue;
        const value = exampleFromSchema(sub, schemas, depth + 1, property);
        if (value !== undefined) out[property] = value;
      }
      return out;
    }
    case 'array': {
      const item = exampleFromSchema(schema.items, schemas, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'string':
      return (schema.format && FORMAT_EXAMPLES[schema.format]) ?? 'string';
    case 'integer':
      return COUNT_NAME.test(name) ? 1200 : Math.max(1, schema.minimum ?? 1);
    case 'number':
      return COUNT_NAME.test(name) ? 1200 : Math.max(0.5, schema.minimum ?? 0.5);
    case 'boolean':
      return true;
    default:
      return undefined;
  }
}

function isBareString(schema: Schema): boolean {
  return (
    schema.type === 'string' &&
    schema.example === undefined &&
    schema.enum === undefined &&
    !(schema.format && schema.format in FORMAT_EXAMPLES)
  );
}

function addExample(media: Media | undefined, schemas: Record<string, Schema>): void {
  if (!media?.schema || media.example !== undefined || media.examples !== undefined) return;
  const example = exampleFromSchema(media.schema, schemas);
  if (example !== undefined) media.example = example;
}

/**
 * Fills in what the decorators leave out: each operation's description and success-response description from
 * OPERATION_DOCS, the standard meaning of each error status, and an example for each JSON request body and
 * JSON success response, built from the schema.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, Operation>)) {
      const docs = operation.operationId ? OPERATION_DOCS[operation.operationId] : undefined;
      if (!operation.description && docs) operation.description = docs.description;
      addExample(operation.requestBody?.content?.['application/json'], schemas);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!response.description) {
          response.description = status.startsWith('2')
            ? (docs?.success ?? '')
            : (STANDARD_ERRORS[status] ?? '');
        }
        if (status.startsWith('2')) addExample(response.content?.['application/json'], schemas);
      }
    }
  }
  return document;
}
