import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { Repository } from 'typeorm';
import {
  CATALOG_VERSION,
  CONTROLS,
  FRAMEWORK_IDS,
  FRAMEWORKS,
  type ControlSpec,
  type FrameworkId,
  type FrameworkSpec,
} from '../../core/compliance';
import { DomainError } from '../../core/errors';
import { CatalogControlEntity } from './entities/catalog-control.entity';

export interface FrameworkSummary extends FrameworkSpec {
  controlCount: number;
  catalogVersion: string;
}

const controlKey = (framework: string, controlId: string): string => `${framework}\u0000${controlId}`;
/** Catalog order: the order the controls are written in core/compliance/catalog.ts. */
const CATALOG_ORDER = new Map(CONTROLS.map((c, i) => [controlKey(c.framework, c.controlId), i]));

function asRow(c: ControlSpec): CatalogControlEntity {
  return {
    catalogVersion: CATALOG_VERSION,
    framework: c.framework,
    controlId: c.controlId,
    title: c.title,
    description: c.description,
    evidence: [...c.evidence],
    rule: c.rule,
  };
}

/** The control fields a stored row must agree on with the shipped catalog. */
const content = (c: Pick<ControlSpec, 'title' | 'description' | 'evidence' | 'rule'>): unknown => ({
  title: c.title,
  description: c.description,
  evidence: c.evidence,
  rule: c.rule,
});

/**
 * The versioned control catalog in the database. At start-up the shipped catalog (CATALOG_VERSION) is inserted
 * idempotently and checked against what is stored under that version: a control changed without a version bump
 * would make recorded outcomes ambiguous, so the service refuses to start until CATALOG_VERSION is bumped.
 */
@Injectable()
export class CatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogService.name);

  constructor(
    @InjectRepository(CatalogControlEntity) private readonly repo: Repository<CatalogControlEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repo.createQueryBuilder().insert().values(CONTROLS.map(asRow)).orIgnore().execute();
    const stored = await this.repo.find({ where: { catalogVersion: CATALOG_VERSION } });
    const byKey = new Map(stored.map((r) => [controlKey(r.framework, r.controlId), r]));
    const differing = CONTROLS.filter((c) => {
      const row = byKey.get(controlKey(c.framework, c.controlId));
      return !row || !isDeepStrictEqual(content(row), content(c));
    }).map((c) => `${c.framework} ${c.controlId}`);
    const extra = stored.filter((r) => !CATALOG_ORDER.has(controlKey(r.framework, r.controlId)));
    if (differing.length > 0 || extra.length > 0) {
      throw new Error(
        `Compliance catalog ${CATALOG_VERSION} in the database differs from the shipped catalog ` +
          `(${[...differing, ...extra.map((r) => `${r.framework} ${r.controlId} (not shipped)`)].join('; ')}). ` +
          'Bump CATALOG_VERSION in src/core/compliance/catalog.ts whenever a control changes.',
      );
    }
    this.logger.log({ catalogVersion: CATALOG_VERSION, controls: stored.length }, 'Compliance catalog ready');
  }

  /** The frameworks of the contract, each with its number of controls in the current catalog version. */
  async frameworks(): Promise<FrameworkSummary[]> {
    const counts: { framework: string; count: string }[] = await this.repo
      .createQueryBuilder('c')
      .select('c.framework', 'framework')
      .addSelect('COUNT(*)', 'count')
      .where('c.catalogVersion = :v', { v: CATALOG_VERSION })
      .groupBy('c.framework')
      .getRawMany();
    const byFramework = new Map(counts.map((c) => [c.framework, Number(c.count)]));
    return FRAMEWORKS.map((f) => ({
      ...f,
      controlCount: byFramework.get(f.id) ?? 0,
      catalogVersion: CATALOG_VERSION,
    }));
  }

  /** A framework's controls as stored for the current catalog version, in catalog order; unknown → 404. */
  async controls(framework: string): Promise<CatalogControlEntity[]> {
    const known: readonly string[] = FRAMEWORK_IDS;
    if (!known.includes(framework)) {
      throw new DomainError(
        'not_found',
        `Framework "${framework}" not found. Known frameworks: ${FRAMEWORK_IDS.join(', ')}.`,
      );
    }
    const rows = await this.repo.find({
      where: { catalogVersion: CATALOG_VERSION, framework: framework as FrameworkId },
    });
    const order = (r: CatalogControlEntity): number =>
      CATALOG_ORDER.get(controlKey(r.framework, r.controlId)) ?? Number.MAX_SAFE_INTEGER;
    return rows.sort((a, b) => order(a) - order(b));
  }
}
