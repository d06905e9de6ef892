import { Injectable } from '@nestjs/common';
import { DomainError } from '../../core/errors';
import { AuditsService } from '../audits/audits.service';
import { ModelsService } from '../models/models.service';
import type { Model, PrivacyBudget } from '../models/models.types';
import type { PrivacyBudgetStatus } from './privacy.types';

/**
 * A model's differential-privacy budget (docs/privacy.md, "Budget"): an admin sets it, each noised upload
 * spends its (ε, δ) by basic composition, and an upload that would overrun it is refused (the audits module
 * checks that in the same transaction that stores the audit).
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly models: ModelsService,
    private readonly audits: AuditsService,
  ) {}

  async status(modelId: string): Promise<PrivacyBudgetStatus> {
    return this.statusOf(await this.models.get(modelId));
  }

  async setBudget(modelId: string, budget: PrivacyBudget): Promise<PrivacyBudgetStatus> {
    if (budget.delta !== undefined && !(budget.delta > 0 && budget.delta < 1)) {
      throw new DomainError('invalid_input', 'delta must lie strictly between 0 and 1', [
        { field: 'delta', message: 'must be in (0, 1)' },
      ]);
    }
    return this.statusOf(await this.models.setPrivacyBudget(modelId, budget));
  }

  private async statusOf(model: Model): Promise<PrivacyBudgetStatus> {
    const spent = await this.audits.privacySpent(model.id);
    const epsilon = model.privacyBudgetEpsilon;
    const delta = epsilon === null ? null : (model.privacyBudgetDelta ?? 0);
    return {
      modelId: model.id,
      epsilon,
      delta,
      spentEpsilon: spent.epsilon,
      spentDelta: spent.delta,
      remainingEpsilon: epsilon === null ? null : Math.max(0, epsilon - spent.epsilon),
      remainingDelta: delta === null ? null : Math.max(0, delta - spent.delta),
      noisedAudits: spent.audits,
    };
  }
}
