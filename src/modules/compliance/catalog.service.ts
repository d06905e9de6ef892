import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { Repository } from 'typeorm';
import {
  CATALOG_VERSION,
  CONTROLS,
  FRAMEWORK_IDS,
  FRAMEWORKS,
  frameworkControls,
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
const SHIPPED_KEYS = new Set(CONTROLS.map((c) => controlKey(c.framework, c.controlId)));

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

/** The shipped catalog as rows, in catalog order (the order of core/compliance/catalog.ts), by framework. */
const ROWS_BY_FRAMEWORK = new Map<FrameworkId, readonly CatalogControlEntity[]>(
  FRAMEWORK_IDS.map((id) => [id, frameworkControls(id).map(asRow)]),
);

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
 * Once checked, the stored rows equal the shipped catalog, so requests are answered from it without a query.
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
    const extra = stored.filter((r) => !SHIPPED_KEYS.has(controlKey(r.framework, r.controlId)));
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
  frameworks(): FrameworkSummary[] {
    return FRAMEWORKS.map((f) => ({
      ...f,
      controlCount: ROWS_BY_FRAMEWORK.get(f.id)?.length ?? 0,
      catalogVersion: CATALOG_VERSION,
    }));
  }

  /** A framework's controls in the current catalog version, in catalog order; unknown → 404. */
  controls(framework: string): readonly CatalogControlEntity[] {
    const rows = ROWS_BY_FRAMEWORK.get(framework as FrameworkId);
    if (!rows) {
      throw new DomainError(
        'not_found',
        `Framework "${framework}" not found. Known frameworks: ${FRAMEWORK_IDS.join(', ')}.`,
      );
    }
    return rows;
  }
}
