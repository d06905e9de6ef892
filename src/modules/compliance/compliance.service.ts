import { Injectable } from '@nestjs/common';
import {
  CATALOG_VERSION,
  evaluateControls,
  type ComplianceInput,
  type ControlOutcome,
  type Documentation,
  type FrameworkId,
} from '../../core/compliance';
import { computeDrift, type DriftReport } from '../../core/drift';
import { AuditsService } from '../audits/audits.service';
import type { AuditEntity } from '../audits/entities/audit.entity';
import { ModelsService } from '../models/models.service';
import type { ModelEntity } from '../models/entities/model.entity';
import { PolicyService } from './policy.service';

export interface ComplianceEvaluation {
  outcomes: ControlOutcome[];
  policyVersion: number;
  catalogVersion: string;
}

/** The model's documentation with the audit's own fields on top (a blank or null audit field does not erase). */
export function mergeDocumentation(model: Documentation, audit: Documentation): Documentation {
  const merged: Documentation = { ...model };
  for (const [field, value] of Object.entries(audit) as [keyof Documentation, string | null | undefined][]) {
    if (typeof value === 'string' && value.trim().length > 0) merged[field] = value;
  }
  return merged;
}

/** Evaluates an audit against the compliance catalog under the organization's policy in force. */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly audits: AuditsService,
    private readonly models: ModelsService,
    private readonly policies: PolicyService,
  ) {}

  /**
   * Every control of the chosen frameworks (default: the policy's) for one audit. Unknown frameworks → 400
   * naming them; another organization's audit → 404. Used by the controls route and by reports.
   */
  async evaluate(auditId: string, frameworks?: readonly FrameworkId[]): Promise<ComplianceEvaluation> {
    const audit = await this.audits.get(auditId);
    const [model, { policy }, previous] = await Promise.all([
      this.models.get(audit.modelId),
      this.policies.current(),
      this.audits.previous(audit),
    ]);
    const input: ComplianceInput = {
      result: audit.results,
      drift: await this.driftFor(audit, model, previous),
      documentation: mergeDocumentation(model.documentation, audit.documentation),
      audit: {
        rowCount: audit.rowCount,
        dataSha256: audit.dataSha256,
        createdAt: audit.createdAt.toISOString(),
        periodStart: audit.periodStart?.toISOString() ?? null,
        periodEnd: audit.periodEnd?.toISOString() ?? null,
        lastAuditAt: previous?.createdAt.toISOString() ?? null,
      },
      now: new Date().toISOString(),
    };
    return {
      outcomes: evaluateControls(input, policy, frameworks),
      policyVersion: policy.version,
      catalogVersion: CATALOG_VERSION,
    };
  }

  /**
   * Drift against the model's pinned baseline (unless that is this audit), else the previous audit; null on
   * the model's first audit. Same default baseline as GET /v1/audits/{auditId}/drift.
   */
  private async driftFor(
    audit: AuditEntity,
    model: ModelEntity,
    previous: AuditEntity | null,
  ): Promise<DriftReport | null> {
    const pinned =
      model.baselineAuditId && model.baselineAuditId !== audit.id
        ? await this.audits.audits.findOne({ id: model.baselineAuditId })
        : null;
    const baseline = pinned ?? previous;
    if (!baseline) return null;
    const [baselineBatch, currentBatch] = await Promise.all([
      this.audits.loadBatch(baseline.id),
      this.audits.loadBatch(audit.id),
    ]);
    return computeDrift(
      { batch: baselineBatch, result: baseline.results },
      { batch: currentBatch, result: audit.results },
    );
  }
}
