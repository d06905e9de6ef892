/** What every command shares: the output streams, the exit codes, the option parsers and the server helpers. */
import { InvalidArgumentError } from 'commander';
import {
  createFairwatchClient,
  listAllModels,
  unwrap,
  type ControlOutcome,
  type FairwatchClient,
  type FrameworkId,
  type Model,
} from '../client';
import { FRAMEWORK_IDS } from '../core/compliance/types';

/** Exit codes a CI pipeline can branch on. */
export const EXIT = {
  ok: 0,
  /** Bad usage, a missing file, FAIRWATCH_API_KEY unset, anything unexpected. */
  usage: 1,
  /** The server answered with an HTTP error (its problem detail is printed), or could not be reached. */
  server: 2,
  /** The gate failed: a control of a --fail-on framework fails, drift at the --fail-on level, or an invalid PDF. */
  gate: 3,
} as const;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The user's mistake (no API key, an unknown model): printed, exit 1 like any error that is not the server's. */
export class UsageError extends Error {}
/** A gate that failed: its verdict was already printed, so runCli prints nothing more. */
export class GateFailed extends Error {}

/** Handed to each command's register function. */
export interface CliContext {
  io: CliIo;
  out(text: string): void;
  /** The client for --url/--api-key (or FAIRWATCH_URL/FAIRWATCH_API_KEY); throws UsageError without a key. */
  client(): FairwatchClient;
  /** The server URL (--url, FAIRWATCH_URL, default http://localhost:3000). */
  baseUrl(): string;
}

/** "a, b,,c" → ["a", "b", "c"]. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function frameworkList(value: string): FrameworkId[] {
  const known: readonly string[] = FRAMEWORK_IDS;
  const ids = [...new Set(commaList(value))];
  for (const id of ids) {
    if (!known.includes(id))
      throw new InvalidArgumentError(`unknown framework "${id}" (one of ${FRAMEWORK_IDS.join(', ')})`);
  }
  if (ids.length === 0) throw new InvalidArgumentError('give at least one framework id');
  return ids as FrameworkId[];
}

export function attributeList(value: string): string[] {
  const names = commaList(value);
  if (names.length === 0) throw new InvalidArgumentError('give at least one column name');
  return names;
}

/** A comma-separated list of values from `allowed` (e.g. drift --status alert,warning). */
export function choiceList<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = [...new Set(commaList(value))];
    const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
    if (bad.length > 0)
      throw new InvalidArgumentError(`unknown value "${bad.join('", "')}" (one of ${allowed.join(', ')})`);
    if (items.length === 0) throw new InvalidArgumentError(`give at least one of ${allowed.join(', ')}`);
    return items as T[];
  };
}

export function modelRef(value: string): { name: string; version: string } {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1)
    throw new InvalidArgumentError(`expected <name>@<version>, e.g. readmission-risk@2.1.0, got "${value}"`);
  return { name: value.slice(0, at), version: value.slice(at + 1) };
}

export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`not a number: "${value}"`);
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1)
    throw new InvalidArgumentError(`not a positive integer: "${value}"`);
  return n;
}

/**
 * An ISO 8601 date (2024-01-31) or date-time with a zone (2024-01-31T00:00:00Z), as the API stores periods.
 * A date alone means midnight UTC. Impossible dates (2024-02-30) are refused.
 */
export function isoDate(value: string): string {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(v);
  const time = m ? Date.parse(m[4] ? v : `${v}T00:00:00Z`) : Number.NaN;
  if (!m || Number.isNaN(time))
    throw new InvalidArgumentError(
      `not an ISO 8601 date: "${value}" (e.g. 2024-01-31 or 2024-01-31T00:00:00Z)`,
    );
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d))
    throw new InvalidArgumentError(`not a calendar date: "${value}"`);
  return m[4] ? v : `${v}T00:00:00.000Z`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A model by id or name@version. */
export async function resolveModel(fw: FairwatchClient, ref: string): Promise<Model> {
  if (UUID.test(ref))
    return unwrap(await fw.GET('/v1/models/{modelId}', { params: { path: { modelId: ref } } }));
  const { name, version } = modelRef(ref);
  const model = (await listAllModels(fw)).find((m) => m.name === name && m.version === version);
  if (!model) throw new UsageError(`No model ${name}@${version}. List them with: fairwatch models`);
  return model;
}

/** GET /v1/audits/{auditId}/controls of these frameworks (default: the organization policy's). */
export async function fetchControls(
  fw: FairwatchClient,
  auditId: string,
  frameworks?: FrameworkId[],
): Promise<ControlOutcome[]> {
  return unwrap(
    await fw.GET('/v1/audits/{auditId}/controls', {
      params: { path: { auditId }, query: frameworks ? { frameworks: frameworks.join(',') } : {} },
    }),
  );
}

export function serverUrl(io: CliIo, url: string | undefined): string {
  return url ?? io.env.FAIRWATCH_URL ?? 'http://localhost:3000';
}

export function clientFactory(
  io: CliIo,
  opts: () => { url?: string; apiKey?: string },
): () => FairwatchClient {
  return () => {
    const { url, apiKey } = opts();
    const key = apiKey ?? io.env.FAIRWATCH_API_KEY;
    if (!key) throw new UsageError('FAIRWATCH_API_KEY is not set (or pass --api-key).');
    return createFairwatchClient(serverUrl(io, url), key);
  };
}

export const EXIT_HELP = `
Exit codes:
  0  ok
  1  usage or other error (bad option, missing file, no API key)
  2  server or HTTP error: the problem detail is printed on stderr
  3  gate failed: a control of a --fail-on framework fails, drift reached the
     --fail-on level, or verify found the PDF not valid
`;

/** "Examples:" help text after a command's options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
