import { Injectable } from '@nestjs/common';
import type { ExportAudit, ExportInput, ExportModel } from '../../core/exports';
import type { FairnessResult } from '../../core/fairness';
import { isBinaryResult, resultTask } from '../../core/tasks';
import { AuditsService } from '../audits/audits.service';
import type { Audit } from '../audits/audits.types';
import { DriftService } from '../drift/drift.service';
import type { Model } from '../models/models.types';
import { ModelsService } from '../models/models.service';

/** The model facts and audits the HTI-1 export and the model card are built from (core/exports). */
export type ExportSources = Omit<ExportInput, 'exportId' | 'generatedAt'>;

/** An audit with binary results (the exports read those; regression and multiclass audits are left out). */
type BinaryAudit = Audit & { results: FairnessResult };

export function toExportAudit(a: BinaryAudit): ExportAudit {
  return {
    id: a.id,
    name: a.name,
    dataSource: a.dataSource,
    dataSourceDescription: a.dataSourceDescription,
    createdAt: a.createdAt.toISOString(),
    periodStart: a.periodStart?.toISOString() ?? null,
    periodEnd: a.periodEnd?.toISOString() ?? null,
    rowCount: a.rowCount,
    documentation: a.documentation,
    results: a.results,
    ...(a.config.privacy ? { privacy: a.config.privacy } : {}),
  };
}

function toExportModel(m: Model): ExportModel {
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    description: m.description,
    documentation: m.documentation,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * Gathers a model (404 for another organization's) with every audit of it, and its drift policy in force.
 * Used by the exports and by the onc-hti-1 controls, which read the same HTI-1 export.
 */
@Injectable()
export class ExportInputService {
  constructor(
    private readonly audits: AuditsService,
    private readonly models: ModelsService,
    private readonly drift: DriftService,
  ) {}

  async sources(modelId: string): Promise<ExportSources> {
    const model = await this.models.get(modelId);
    const [audits, policy] = await Promise.all([
      this.audits.allForModel(modelId),
      this.drift.getPolicy(modelId),
    ]);
    return {
      model: toExportModel(model),
      // The exports' figures are those of binary audits; the others are named as not summarised.
      audits: audits.filter((a): a is BinaryAudit => isBinaryResult(a.results)).map(toExportAudit),
      otherTaskAudits: audits.flatMap((a) =>
        isBinaryResult(a.results)
          ? []
          : [
              {
                id: a.id,
                name: a.name,
                task: resultTask(a.results) as 'regression' | 'multiclass',
                dataSource: a.dataSource,
                createdAt: a.createdAt.toISOString(),
              },
            ],
      ),
      driftPolicy: {
        thresholds: policy.thresholds,
        overridden: Object.keys(policy.overrides).length > 0,
      },
    };
  }
}
