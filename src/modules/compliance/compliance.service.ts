import { Injectable } from '@nestjs/common';
import {
  CATALOG_VERSION,
  evaluateControls,
  type ComplianceInput,
  type ControlOutcome,
  type Documentation,
  type FrameworkId,
} from '../../core/compliance';
import type { DriftReport } from '../../core/drift';
import { buildHti1Export } from '../../core/exports';
import { requireBinary } from '../../core/tasks';
import { AuditsService } from '../audits/audits.service';
import { DriftService } from '../drift/drift.service';
import { ExportInputService } from '../exports/export-input.service';
import { ModelsService } from '../models/models.service';
import { PolicyService } from './policy.service';

export interface ComplianceEvaluation {
  outcomes: ControlOutcome[];
  policyVersion: number;
  /** The policy's significance level (thresholds.alpha), for the report's words. */
  alpha: number;
  catalogVersion: string;
  /** The drift report the controls were evaluated with (null on the model's first audit). */
  drift: DriftReport | null;
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
    private readonly drift: DriftService,
    private readonly exportInput: ExportInputService,
  ) {}

  /**
   * Every control of the chosen frameworks (default: the policy's) for one audit. Unknown frameworks → 400
   * naming them; another organization's audit → 404. Used by the controls route and by reports.
   */
  async evaluate(auditId: string, frameworks?: readonly FrameworkId[]): Promise<ComplianceEvaluation> {
    const audit = await this.audits.get(auditId);
    requireBinary(audit.results, 'Compliance evaluation');
    const now = new Date().toISOString();
    const [model, { policy }, previous, drift, sources] = await Promise.all([
      this.models.get(audit.modelId),
      this.policies.current(),
      this.audits.previous(audit),
      this.driftFor(auditId),
      this.exportInput.sources(audit.modelId),
    ]);
    // The onc-hti-1 controls read the model's HTI-1 export as GET /v1/models/{modelId}/exports/hti-1 makes it.
    const hti1 = buildHti1Export({ ...sources, exportId: '', generatedAt: now }).attributes.map((a) => ({
      id: a.id,
      source: a.source,
      documentationFields: a.documentationFields,
    }));
    const input: ComplianceInput = {
      result: requireBinary(audit.results, 'Compliance evaluation'),
      drift,
      documentation: mergeDocumentation(model.documentation, audit.documentation),
      audit: {
        rowCount: audit.rowCount,
        dataSha256: audit.dataSha256,
        createdAt: audit.createdAt.toISOString(),
        periodStart: audit.periodStart?.toISOString() ?? null,
        periodEnd: audit.periodEnd?.toISOString() ?? null,
        lastAuditAt: previous?.createdAt.toISOString() ?? null,
      },
      now,
      hti1,
    };
    return {
      outcomes: evaluateControls(input, policy, frameworks),
      policyVersion: policy.version,
      alpha: policy.thresholds.alpha,
      catalogVersion: CATALOG_VERSION,
      drift,
    };
  }

  /**
   * The drift report GET /v1/audits/{auditId}/drift serves by default (pinned baseline unless it is this audit,
   * else the previous audit; the model's drift thresholds), or null on the model's first audit.
   */
  private async driftFor(auditId: string): Promise<DriftReport | null> {
    const outcome = await this.drift.drift(auditId);
    return outcome.baselineSource === 'none' ? null : outcome.report;
  }
}
