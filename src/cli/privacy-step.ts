/**
 * `fairwatch aggregate FILE --epsilon E [--delta D] [--mechanism M]`: the cell table is noised on this machine,
 * before it is written, so only noised counts ever leave it (docs/privacy.md).
 *
 * Every cell of the table's domain is noised, the empty ones too: the domain is every combination of the values
 * each column takes in the file (an empty cell left out would say that no one has that combination). The
 * values themselves are treated as public (docs/privacy.md, "What is not protected").
 */
import { DomainError } from '../core/errors';
import {
  PRIVACY_MECHANISMS,
  parseAuditConfig,
  type PrivacyConfig,
  type PrivacyMechanism,
} from '../core/ingest';
import { noiseCounts, type RandomSource } from '../core/privacy';
import type { CellTable, CellTableStep } from './cell-table';

/** A domain larger than this is refused: coarser scores (--score-decimals) or fewer attributes shrink it. */
export const MAX_NOISED_CELLS = 2_000_000;

export interface PrivacyOptions {
  epsilon?: string;
  delta?: string;
  mechanism?: string;
}

/** The user's error, printed without a stack (exit 1). */
export class PrivacyOptionError extends Error {}

/**
 * The `config.privacy` the options ask for, or null without --epsilon. The mechanism defaults to the exact
 * two-sided geometric (ε-DP), or to the exact discrete Gaussian when a δ is given. Validated by the service's
 * own config parser, so what the CLI accepts the service accepts.
 */
export function privacyFromOptions(opts: PrivacyOptions): PrivacyConfig | null {
  if (opts.epsilon === undefined) {
    if (opts.delta !== undefined || opts.mechanism !== undefined)
      throw new PrivacyOptionError('--delta and --mechanism need --epsilon');
    return null;
  }
  const mechanism = (opts.mechanism ??
    (opts.delta === undefined ? 'geometric' : 'discrete_gaussian')) as PrivacyMechanism;
  if (!PRIVACY_MECHANISMS.includes(mechanism))
    throw new PrivacyOptionError(`--mechanism must be one of ${PRIVACY_MECHANISMS.join(', ')}`);
  const privacy = {
    mechanism,
    epsilon: Number(opts.epsilon),
    ...(opts.delta !== undefined && { delta: Number(opts.delta) }),
  };
  try {
    // countColumn is what any cell table has; the parser checks the privacy fields the way the service will.
    return parseAuditConfig({ sensitiveAttributes: ['_'], countColumn: 'n', privacy }).privacy!;
  } catch (err) {
    if (err instanceof DomainError)
      throw new PrivacyOptionError(
        err.errors.map((e) => `--${e.field?.split('.').pop()} ${e.message}`).join('; '),
      );
    throw err;
  }
}

/** The table with every combination of its columns' values present (absent ones with count 0). */
export function completeDomain(table: CellTable): CellTable {
  const values = table.columns.map((_, c) => [...new Set(table.cells.map((cell) => cell[c]!))]);
  const size = values.reduce((n, v) => n * v.length, 1);
  if (size > MAX_NOISED_CELLS) {
    throw new PrivacyOptionError(
      `the noised table would have ${size} cells (every combination of the columns' values; at most ` +
        `${MAX_NOISED_CELLS}): round scores coarser (--score-decimals) or audit fewer attributes at once`,
    );
  }
  const known = new Map(table.cells.map((cell, i) => [JSON.stringify(cell), table.counts[i]!]));
  const cells: string[][] = [];
  const counts: number[] = [];
  const walk = (prefix: string[]): void => {
    if (prefix.length === values.length) {
      cells.push(prefix);
      counts.push(known.get(JSON.stringify(prefix)) ?? 0);
      return;
    }
    for (const v of values[prefix.length]!) walk([...prefix, v]);
  };
  if (table.cells.length > 0) walk([]);
  return { ...table, cells, counts };
}

/** The noising step, or null without --epsilon. */
export function privacyStep(opts: PrivacyOptions, rng: () => RandomSource): CellTableStep | null {
  const privacy = privacyFromOptions(opts);
  if (privacy === null) return null;
  return (table) => {
    const complete = completeDomain(table);
    return { ...complete, counts: noiseCounts(complete.counts, privacy, rng()) };
  };
}
