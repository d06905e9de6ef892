import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Differential-privacy budgets (issue 20): a model may carry a budget (ε, optionally δ) that noised uploads
 * spend (basic composition: the ε and δ of the model's noised audits add up). What was spent is read from the
 * audits' configs; only the limit is stored. A δ needs an ε.
 */
export class ModelPrivacyBudget1764400023000 implements MigrationInterface {
  name = 'ModelPrivacyBudget1764400023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "models" ADD COLUMN "privacy_budget_epsilon" double precision
         CONSTRAINT "ck_models_privacy_budget_epsilon" CHECK ("privacy_budget_epsilon" > 0)`,
    );
    await q.query(
      `ALTER TABLE "models" ADD COLUMN "privacy_budget_delta" double precision
         CONSTRAINT "ck_models_privacy_budget_delta" CHECK ("privacy_budget_delta" IS NULL OR (
           "privacy_budget_delta" > 0 AND "privacy_budget_delta" < 1 AND "privacy_budget_epsilon" IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "models" DROP COLUMN "privacy_budget_delta"`);
    await q.query(`ALTER TABLE "models" DROP COLUMN "privacy_budget_epsilon"`);
  }
}
