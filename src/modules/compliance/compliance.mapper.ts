import { CATALOG_VERSION, type ControlOutcome } from '../../core/compliance';
import type { FrameworkSummary } from './catalog.service';
import type { CatalogControlDto, FrameworkDto } from './dto/catalog.dto';
import type { ControlOutcomeDto } from './dto/control-outcome.dto';
import type { PolicyDto } from './dto/policy.dto';
import type { CatalogControlEntity } from './entities/catalog-control.entity';
import type { PolicyVersion } from './policy.service';

export function toFrameworkDto(f: FrameworkSummary): FrameworkDto {
  return {
    id: f.id,
    name: f.name,
    version: f.version,
    description: f.description,
    controlCount: f.controlCount,
    catalogVersion: f.catalogVersion,
  };
}

export function toCatalogControlDto(c: CatalogControlEntity): CatalogControlDto {
  return {
    framework: c.framework,
    controlId: c.controlId,
    title: c.title,
    description: c.description,
    evidence: c.evidence,
    rule: c.rule,
    catalogVersion: c.catalogVersion,
  };
}

export function toControlOutcomeDto(o: ControlOutcome): ControlOutcomeDto {
  return {
    framework: o.framework,
    controlId: o.controlId,
    title: o.title,
    status: o.status,
    evidence: o.evidence,
    rationale: o.rationale,
    policyVersion: o.policyVersion,
    catalogVersion: o.catalogVersion ?? CATALOG_VERSION,
  };
}

export function toPolicyDto(v: PolicyVersion): PolicyDto {
  return {
    version: v.policy.version,
    frameworks: v.policy.frameworks,
    thresholds: { ...v.policy.thresholds },
    createdAt: v.createdAt,
    createdByKeyId: v.createdByKeyId,
    suppressSmallCells: v.policy.suppressSmallCells,
    excludeSmallCategoriesFromImpactRatio: v.policy.excludeSmallCategoriesFromImpactRatio,
    multipleTesting: v.policy.multipleTesting,
  };
}
