import type { OpenAPIObject } from '@nestjs/swagger';

/** Maps whose key order carries no meaning; sorted so the committed document diffs cleanly. */
const SORTED_MAPS: ReadonlyArray<readonly string[]> = [
  ['paths'],
  ['components', 'schemas'],
  ['components', 'securitySchemes'],
  ['components', 'responses'],
  ['components', 'parameters'],
  ['components', 'requestBodies'],
];

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries);
}

/**
 * The OpenAPI document as it is committed in openapi.json: paths and component maps in sorted key order
 * (everything else as Nest emits it), two-space indentation, a final newline. The e2e suite compares the
 * served document, passed through this same function, with the committed file byte for byte.
 */
export function serializeOpenApiDocument(doc: OpenAPIObject): string {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  for (const path of SORTED_MAPS) {
    let parent: Record<string, unknown> | undefined = copy;
    for (const key of path.slice(0, -1)) {
      const next: unknown = parent?.[key];
      parent = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
    }
    const last = path[path.length - 1];
    if (parent && last !== undefined && parent[last] !== undefined) parent[last] = sortKeys(parent[last]);
  }
  return `${JSON.stringify(copy, null, 2)}\n`;
}
