/**
 * A round's config: the audit config every part is read with, and the pooled audit's. With
 * `siteAsAttribute` (the default) the pooled audit also audits `site`, each part's site as its group: the
 * parts' files need no site column, so the part config is the pooled config without `site` (left out of
 * `sensitiveAttributes`, of the intersections that name it, and of `reference.groups`).
 */
import { DomainError, type ProblemDetail } from '../errors';
import { parseAuditConfig, taskOf, type AuditConfig } from '../ingest';

/** The attribute (and column name) the pooled audit gives each part's site. */
export const SITE_ATTRIBUTE = 'site';

/** A site name: short, printable, safe in a file name, a CLI argument and a report. */
const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

export interface RoundConfigs {
  /** The pooled audit's config (with `site` among its attributes when siteAsAttribute). */
  readonly pooled: AuditConfig;
  /** The config each part's file is read with. */
  readonly part: AuditConfig;
  readonly siteAsAttribute: boolean;
}

type Raw = Record<string, unknown>;

/** Parses a round's config (an audit config plus `siteAsAttribute`); a DomainError names each problem. */
export function parseRoundConfig(raw: unknown): RoundConfigs {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DomainError('invalid_config', 'config must be a JSON object (an audit config).', [
      { field: 'config', message: 'must be a JSON object' },
    ]);
  }
  const { siteAsAttribute = true, ...rest } = raw as Raw;
  if (typeof siteAsAttribute !== 'boolean') throw invalidConfig('siteAsAttribute', 'must be true or false');
  if (!siteAsAttribute) {
    const config = parseAuditConfig(rest);
    refuseNonBinaryTask(config);
    return { pooled: config, part: config, siteAsAttribute };
  }
  const listed = Array.isArray(rest.sensitiveAttributes) ? (rest.sensitiveAttributes as unknown[]) : null;
  const pooled = parseAuditConfig(
    listed && !listed.includes(SITE_ATTRIBUTE)
      ? { ...rest, sensitiveAttributes: [...listed, SITE_ATTRIBUTE] }
      : rest,
  );
  refuseNonBinaryTask(pooled);
  const others = pooled.sensitiveAttributes.filter((a) => a !== SITE_ATTRIBUTE);
  if (others.length === 0) {
    throw invalidConfig(
      'sensitiveAttributes',
      `must name at least one column besides "${SITE_ATTRIBUTE}" (the round adds the site itself)`,
    );
  }
  return { pooled, part: withoutSite(rest, others), siteAsAttribute };
}

function withoutSite(rest: Raw, attributes: readonly string[]): AuditConfig {
  const part: Raw = { ...rest, sensitiveAttributes: attributes };
  if (Array.isArray(rest.intersections)) {
    part.intersections = (rest.intersections as unknown[]).filter(
      (names) => !(Array.isArray(names) && names.includes(SITE_ATTRIBUTE)),
    );
  }
  const reference = rest.reference as Raw | undefined;
  const groups = reference?.groups as Raw | undefined;
  if (reference && groups && typeof groups === 'object') {
    part.reference = {
      ...reference,
      groups: Object.fromEntries(Object.entries(groups).filter(([name]) => name !== SITE_ATTRIBUTE)),
    };
  }
  return parseAuditConfig(part);
}

/**
 * The config a part's file is read with, from the round's stored (pooled) config: the same without the site
 * attribute. Equal to RoundConfigs.part of the config the round was opened with.
 */
export function partConfigOf(pooled: AuditConfig, siteAsAttribute: boolean): AuditConfig {
  if (!siteAsAttribute) return pooled;
  const groups = pooled.reference.groups;
  return {
    ...pooled,
    sensitiveAttributes: pooled.sensitiveAttributes.filter((a) => a !== SITE_ATTRIBUTE),
    intersections: pooled.intersections.filter((names) => !names.includes(SITE_ATTRIBUTE)),
    reference: {
      ...pooled.reference,
      ...(groups && {
        groups: Object.fromEntries(Object.entries(groups).filter(([name]) => name !== SITE_ATTRIBUTE)),
      }),
    },
  };
}

/** The expected sites: 1 to `maxSites` distinct names (MAX_GROUPS_PER_ATTRIBUTE: each becomes a group). */
export function parseSites(raw: unknown, maxSites: number): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalidInput('sites', 'must be a non-empty list of site names');
  }
  if (raw.length > maxSites) throw invalidInput('sites', `lists more than ${maxSites} sites`);
  const problems: ProblemDetail[] = [];
  raw.forEach((site, i) => {
    if (typeof site !== 'string' || !SITE_NAME.test(site)) {
      problems.push({
        field: `sites[${i}]`,
        message: 'must be 1 to 64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit',
      });
    } else if (raw.indexOf(site) !== i) {
      problems.push({ field: `sites[${i}]`, message: `repeats "${site}"` });
    }
  });
  if (problems.length > 0) {
    throw new DomainError('invalid_input', `Invalid sites: ${problems[0]!.message}.`, problems);
  }
  return raw as string[];
}

/**
 * The part merger pools the binary columns (labels, predictions, scores) only: a regression part's targets
 * and a multiclass part's class codes would be lost, so such a round is refused at open rather than pooled
 * wrong. Upload the sites' rows as one audit instead.
 */
function refuseNonBinaryTask(config: AuditConfig): void {
  const task = taskOf(config);
  if (task !== 'binary') {
    throw invalidConfig(
      'task',
      `is "${task}": rounds pool binary audits only; upload the sites' rows as one ${task} audit instead`,
    );
  }
}

function invalidConfig(field: string, message: string): DomainError {
  return new DomainError('invalid_config', `config.${field} ${message}.`, [
    { field: `config.${field}`, message },
  ]);
}

function invalidInput(field: string, message: string): DomainError {
  return new DomainError('invalid_input', `${field} ${message}.`, [{ field, message }]);
}
