/** A model's privacy budget with what its noised audits have spent of it (GET /v1/models/{id}/privacy-budget). */
export interface PrivacyBudgetStatus {
  modelId: string;
  /** The budget; null when none is set (uploads are then not limited, but still counted). */
  epsilon: number | null;
  delta: number | null;
  spentEpsilon: number;
  spentDelta: number;
  /** null without a budget. */
  remainingEpsilon: number | null;
  remainingDelta: number | null;
  noisedAudits: number;
}
